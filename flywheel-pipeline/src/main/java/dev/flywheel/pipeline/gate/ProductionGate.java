package dev.flywheel.pipeline.gate;

import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.InputField;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SelectionSpec;
import dev.flywheel.core.spec.SplitSpec;
import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.data.split.HashSplitter;
import dev.flywheel.data.split.Splitter;
import dev.flywheel.ml.Trainers;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.pipeline.TrainingRunner;
import dev.flywheel.pipeline.train.DataPreparer;
import dev.flywheel.pipeline.train.PreparedData;
import dev.flywheel.pipeline.train.Truth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The promotion gate of INTERFACES.md, run on the test split: the selected candidate must meet
 * {@code selection.min}/{@code max}, beat the baseline, and be non-inferior to the production
 * version by the paired bootstrap, on test rows that neither model trained on.
 *
 * <p>A retraining run passes a {@link Holdout}: then non-inferiority is judged on the holdout's
 * labelled production rows instead, each model scoring them through its own bundle, and the
 * evidence says {@code computed_on: holdout}. The other checks stay on the test split.
 */
public final class ProductionGate {

  private final ArtifactStore artifacts;
  private final PipelineSpec spec;

  public ProductionGate(ArtifactStore artifacts, PipelineSpec spec) {
    this.artifacts = artifacts;
    this.spec = spec;
  }

  public RunResult.Gate evaluate(
      Metric metric,
      TrainingRunner.Trained best,
      Map<String, Double> testMetrics,
      Map<String, Double> baselineTest,
      Predictions bestTest,
      PreparedData data,
      Optional<ModelVersion> production) {
    return evaluate(
        metric, best, testMetrics, baselineTest, bestTest, data, production, null, null);
  }

  /**
   * The gate, with non-inferiority judged on {@code holdout} when it is not null.
   *
   * @param production the current production version
   * @param holdout the retraining holdout, or null to compare on the test split
   * @param challenger the challenger's bundle (needed with a holdout)
   */
  public RunResult.Gate evaluate(
      Metric metric,
      TrainingRunner.Trained best,
      Map<String, Double> testMetrics,
      Map<String, Double> baselineTest,
      Predictions bestTest,
      PreparedData data,
      Optional<ModelVersion> production,
      Holdout holdout,
      ModelBundle challenger) {
    List<RunResult.Check> checks = new ArrayList<>();
    String name = metric.specName();
    Double score = testMetrics.get(name);
    SelectionSpec selection = spec.selection();

    if (selection.min() != null) {
      boolean ok = score != null && score >= selection.min();
      checks.add(
          new RunResult.Check(
              "meets_min", ok, name + " " + f(score) + " on test; min is " + f(selection.min())));
    }
    if (selection.max() != null) {
      boolean ok = score != null && score <= selection.max();
      checks.add(
          new RunResult.Check(
              "meets_max", ok, name + " " + f(score) + " on test; max is " + f(selection.max())));
    }

    Double base = baselineTest.get(name);
    if (best.spec().algorithm() == Algorithm.BASELINE) {
      checks.add(
          new RunResult.Check(
              "beats_baseline",
              false,
              "the baseline itself won on validation: no candidate beat predicting the "
                  + (spec.task() == Task.REGRESSION ? "mean" : "class shares")));
    } else {
      boolean ok = score != null && base != null && metric.improvement(score, base) > 0;
      checks.add(
          new RunResult.Check(
              "beats_baseline",
              ok,
              name + " " + f(score) + " vs baseline " + f(base) + " on test"));
    }

    RunResult.Evidence evidence = null;
    if (holdout != null) {
      Comparison c = compareOnHoldout(metric, challenger, data, holdout);
      checks.add(c.check);
      evidence = c.evidence;
      int champion = holdout.champion().version();
      // Another process may have promoted a version while this one trained: promoting now would
      // replace a version the challenger was never compared with.
      boolean unchanged = production.isPresent() && production.get().version() == champion;
      checks.add(
          new RunResult.Check(
              "champion_still_in_production",
              unchanged,
              unchanged
                  ? "production is still v" + champion
                  : "production moved from v"
                      + champion
                      + " to "
                      + production.map(p -> "v" + p.version()).orElse("no version")
                      + " while this run trained; retrain again to compare with it"));
    } else if (production.isEmpty()) {
      checks.add(
          new RunResult.Check(
              "non_inferior_to_production", true, "skipped: there is no production version yet"));
    } else {
      Comparison c = compare(metric, bestTest, data, production.get());
      checks.add(c.check);
      evidence = c.evidence;
    }
    boolean passed = checks.stream().allMatch(RunResult.Check::passed);
    return new RunResult.Gate(passed, checks, evidence);
  }

  private record Comparison(RunResult.Check check, RunResult.Evidence evidence) {}

  private Comparison compare(
      Metric metric, Predictions bestTest, PreparedData data, ModelVersion production) {
    String check = "non_inferior_to_production";
    ModelBundle champion =
        BundleIO.read(
            artifacts.get(production.bundleKey()),
            artifacts.describe(production.bundleKey()),
            Trainers.LOADER);
    Frame test = data.test();
    for (InputField in : champion.manifest().inputs()) {
      if (test.find(in.name()).isEmpty()) {
        return new Comparison(
            new RunResult.Check(
                check,
                false,
                "production v"
                    + production.version()
                    + " needs column '"
                    + in.name()
                    + "', which the current data lacks, so the two cannot be compared"),
            null);
      }
    }

    // Rows production trained on are found by replaying its own seeded hash (or group hash)
    // split. That works when it saw the same columns and its split method is replayable;
    // otherwise every test row is used, which can only favour production, never the challenger.
    Set<String> productionColumns = new HashSet<>();
    champion.manifest().inputs().forEach(i -> productionColumns.add(i.name()));
    productionColumns.add(champion.manifest().target());
    SplitSpec productionSplit = champion.manifest().lineage().split();
    boolean replayable = Splitter.replayable(productionSplit);
    boolean sameColumns = productionColumns.equals(new HashSet<>(test.names()));
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < test.rowCount(); i++) {
      if (!sameColumns
          || !replayable
          || Splitter.replay(test, i, productionSplit) != HashSplitter.Part.TRAIN) {
        rows.add(i);
      }
    }
    if (rows.isEmpty()) {
      return new Comparison(
          new RunResult.Check(
              check, false, "no test row is free of production's training data; add fresh rows"),
          null);
    }
    int[] idx = rows.stream().mapToInt(Integer::intValue).toArray();
    List<Map<String, Object>> raw = new ArrayList<>();
    for (int i : idx) {
      raw.add(test.row(i));
    }
    Predictions champ = align(champion.predict(raw), data.classes());
    Truth truth = subset(data.testTruth(), idx);
    Predictions challenger = subset(bestTest, idx);

    return bootstrap(
        check,
        metric,
        truth,
        challenger,
        champ,
        production,
        idx.length
            + " rows"
            + (!sameColumns
                ? " (production's training rows unknown: columns differ)"
                : !replayable
                    ? " (production's training rows unknown: its "
                        + productionSplit.method()
                        + " split depends on the whole data set)"
                    : " neither trained on"),
        "test");
  }

  private Comparison compareOnHoldout(
      Metric metric, ModelBundle challenger, PreparedData data, Holdout holdout) {
    String check = "non_inferior_to_production";
    ModelVersion production = holdout.champion();
    ModelBundle champion = read(production);
    Frame rows = holdout.rows();
    for (ModelBundle b : List.of(champion, challenger)) {
      for (InputField in : b.manifest().inputs()) {
        if (rows.find(in.name()).isEmpty()) {
          return new Comparison(
              new RunResult.Check(
                  check,
                  false,
                  (b == champion ? "production v" + production.version() : "the challenger")
                      + " needs column '"
                      + in.name()
                      + "', which the holdout rows lack, so the two cannot be compared"),
              null);
        }
      }
    }
    // A label the challenger never saw has no class index; such rows cannot be scored.
    Column target = rows.column(spec.target());
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < rows.rowCount(); i++) {
      if (!target.isMissing(i)
          && (data.classes().isEmpty() || data.classes().contains((String) target.value(i)))) {
        keep.add(i);
      }
    }
    int unknown = rows.rowCount() - keep.size();
    if (keep.isEmpty()) {
      return new Comparison(
          new RunResult.Check(check, false, "no holdout row has a label the challenger knows"),
          null);
    }
    int[] idx = keep.stream().mapToInt(Integer::intValue).toArray();
    Frame scored = rows.take(idx);
    List<Map<String, Object>> raw = new ArrayList<>(idx.length);
    for (int i = 0; i < scored.rowCount(); i++) {
      raw.add(scored.row(i));
    }
    Truth truth =
        DataPreparer.truth(
            spec.task(),
            scored.column(spec.target()),
            data.classes(),
            data.positive() == null ? -1 : data.classes().indexOf(data.positive()));
    Predictions challengerP = align(challenger.predict(raw), data.classes());
    Predictions championP = align(champion.predict(raw), data.classes());

    return bootstrap(
        check,
        metric,
        truth,
        challengerP,
        championP,
        production,
        idx.length
            + " holdout rows ("
            + holdout.description()
            + ") neither trained on"
            + (unknown == 0
                ? ""
                : "; " + unknown + " rows left out: labels the challenger never saw"),
        "holdout");
  }

  /**
   * The non-inferiority check proper: the test the spec names ({@code
   * selection.vs_production.test}) of (challenger − production) on rows neither trained on, its
   * verdict, and the evidence recorded with the run.
   *
   * @param rows how many rows, and which, for the detail line
   * @param scope where the rows came from: {@code test} or {@code holdout}
   */
  private Comparison bootstrap(
      String check,
      Metric metric,
      Truth truth,
      Predictions challenger,
      Predictions champion,
      ModelVersion production,
      String rows,
      String scope) {
    SelectionSpec.VsProduction vs = spec.selection().vsProduction();
    return switch (vs.test()) {
      case PAIRED_BOOTSTRAP ->
          pairedBootstrap(check, metric, truth, challenger, champion, production, rows, scope);
      case MCNEMAR -> mcnemar(check, truth, challenger, champion, production, rows, scope);
      case DELONG -> delong(check, truth, challenger, champion, production, rows, scope);
    };
  }

  private Comparison pairedBootstrap(
      String check,
      Metric metric,
      Truth truth,
      Predictions challenger,
      Predictions champion,
      ModelVersion production,
      String rows,
      String scope) {
    SelectionSpec.VsProduction vs = spec.selection().vsProduction();
    PairedBootstrap.Interval interval =
        PairedBootstrap.compute(
            metric, truth, challenger, champion, vs.resamples(), vs.confidence(), vs.seed());
    boolean ok = !Double.isNaN(interval.lower()) && interval.lower() >= -vs.tolerance();
    String detail =
        String.format(
            Locale.ROOT,
            "%s %s vs production v%d %s on %s; improvement %s, %.0f%% interval [%s, %s];"
                + " needs lower bound ≥ -%s",
            metric.specName(),
            f(interval.challenger()),
            production.version(),
            f(interval.production()),
            rows,
            f(interval.improvement()),
            vs.confidence() * 100,
            f(interval.lower()),
            f(interval.upper()),
            f(vs.tolerance()));
    RunResult.Evidence evidence =
        new RunResult.Evidence(
            "paired_bootstrap",
            metric.specName(),
            interval.challenger(),
            interval.production(),
            production.version(),
            interval.improvement(),
            List.of(interval.lower(), interval.upper()),
            vs.confidence(),
            vs.resamples(),
            truth.size(),
            vs.tolerance(),
            ok ? "pass" : "fail",
            scope,
            null,
            null,
            null);
    return new Comparison(new RunResult.Check(check, ok, detail), evidence);
  }

  private Comparison mcnemar(
      String check,
      Truth truth,
      Predictions challenger,
      Predictions champion,
      ModelVersion production,
      String rows,
      String scope) {
    SelectionSpec.VsProduction vs = spec.selection().vsProduction();
    // Accuracy of the most probable label, as the paired bootstrap and the leaderboard score it.
    boolean[] c = right(truth, (Predictions.Probabilities) challenger);
    boolean[] p = right(truth, (Predictions.Probabilities) champion);
    McNemar.Result r = McNemar.compute(c, p, vs.tolerance(), vs.confidence());
    double alpha = (1 - vs.confidence()) / 2;
    String detail =
        String.format(
            Locale.ROOT,
            "accuracy %s vs production v%d %s on %s; McNemar: %d rows right only for the"
                + " challenger, %d only for production, one-sided p %s for 'worse by %s or more'"
                + " (needs ≤ %s); %.0f%% interval [%s, %s]",
            f(r.challenger()),
            production.version(),
            f(r.production()),
            rows,
            r.challengerOnly(),
            r.productionOnly(),
            r.pValue() == null ? "undefined (both right on the same rows)" : f(r.pValue()),
            f(vs.tolerance()),
            f(alpha),
            vs.confidence() * 100,
            f(r.lower()),
            f(r.upper()));
    Map<String, Number> stats = new java.util.LinkedHashMap<>();
    stats.put("challenger_only", r.challengerOnly());
    stats.put("production_only", r.productionOnly());
    RunResult.Evidence evidence =
        new RunResult.Evidence(
            "mcnemar",
            Metric.ACCURACY.specName(),
            r.challenger(),
            r.production(),
            production.version(),
            r.improvement(),
            List.of(r.lower(), r.upper()),
            vs.confidence(),
            null,
            truth.size(),
            vs.tolerance(),
            r.nonInferior() ? "pass" : "fail",
            scope,
            r.pValue(),
            alpha,
            stats);
    return new Comparison(new RunResult.Check(check, r.nonInferior(), detail), evidence);
  }

  private Comparison delong(
      String check,
      Truth truth,
      Predictions challenger,
      Predictions champion,
      ModelVersion production,
      String rows,
      String scope) {
    SelectionSpec.VsProduction vs = spec.selection().vsProduction();
    Predictions.Probabilities cp = (Predictions.Probabilities) challenger;
    Predictions.Probabilities pp = (Predictions.Probabilities) champion;
    if (cp.classes().size() != 2 || truth.positive() < 0) {
      return new Comparison(
          new RunResult.Check(
              check,
              false,
              "test: delong compares the ROC AUC of binary classifiers, and the target has "
                  + cp.classes().size()
                  + " classes; use test: paired_bootstrap or mcnemar"),
          null);
    }
    int n = truth.size();
    boolean[] positive = new boolean[n];
    double[] cs = new double[n];
    double[] ps = new double[n];
    for (int i = 0; i < n; i++) {
      positive[i] = truth.labels()[i] == truth.positive();
      cs[i] = cp.probabilities()[i][truth.positive()];
      ps[i] = pp.probabilities()[i][truth.positive()];
    }
    DeLong.Result r;
    try {
      r = DeLong.compute(positive, cs, ps, vs.tolerance(), vs.confidence());
    } catch (IllegalArgumentException e) {
      return new Comparison(
          new RunResult.Check(check, false, "cannot compare on " + rows + ": " + e.getMessage()),
          null);
    }
    double alpha = (1 - vs.confidence()) / 2;
    String detail =
        String.format(
            Locale.ROOT,
            "auc %s vs production v%d %s on %s; DeLong: se %s, one-sided p %s for 'worse by %s or"
                + " more' (needs ≤ %s); %.0f%% interval [%s, %s]",
            f(r.challenger()),
            production.version(),
            f(r.production()),
            rows,
            f(r.se()),
            r.pValue() == null ? "undefined (se 0)" : f(r.pValue()),
            f(vs.tolerance()),
            f(alpha),
            vs.confidence() * 100,
            f(r.lower()),
            f(r.upper()));
    Map<String, Number> stats = new java.util.LinkedHashMap<>();
    stats.put("positives", r.positives());
    stats.put("negatives", r.negatives());
    stats.put("se", r.se());
    RunResult.Evidence evidence =
        new RunResult.Evidence(
            "delong",
            Metric.AUC.specName(),
            r.challenger(),
            r.production(),
            production.version(),
            r.improvement(),
            List.of(r.lower(), r.upper()),
            vs.confidence(),
            null,
            n,
            vs.tolerance(),
            r.nonInferior() ? "pass" : "fail",
            scope,
            r.pValue(),
            alpha,
            stats);
    return new Comparison(new RunResult.Check(check, r.nonInferior(), detail), evidence);
  }

  /** Whether each row's most probable label (ties to the lower index) is its true one. */
  private static boolean[] right(Truth truth, Predictions.Probabilities p) {
    boolean[] out = new boolean[truth.size()];
    for (int i = 0; i < out.length; i++) {
      double[] row = p.probabilities()[i];
      int arg = 0;
      for (int k = 1; k < row.length; k++) {
        if (row[k] > row[arg]) {
          arg = k;
        }
      }
      out[i] = arg == truth.labels()[i];
    }
    return out;
  }

  private ModelBundle read(ModelVersion version) {
    return BundleIO.read(
        artifacts.get(version.bundleKey()),
        artifacts.describe(version.bundleKey()),
        Trainers.LOADER);
  }

  /** Production's probabilities re-ordered to the current class list (absent classes get 0). */
  private static Predictions align(Predictions p, List<String> classes) {
    if (!(p instanceof Predictions.Probabilities probs) || probs.classes().equals(classes)) {
      return p;
    }
    double[][] out = new double[probs.size()][classes.size()];
    for (int k = 0; k < probs.classes().size(); k++) {
      int to = classes.indexOf(probs.classes().get(k));
      if (to >= 0) {
        for (int i = 0; i < out.length; i++) {
          out[i][to] = probs.probabilities()[i][k];
        }
      }
    }
    return new Predictions.Probabilities(classes, out);
  }

  private static Truth subset(Truth t, int[] idx) {
    int[] labels = null;
    double[] y = null;
    if (t.labels() != null) {
      labels = new int[idx.length];
      for (int i = 0; i < idx.length; i++) {
        labels[i] = t.labels()[idx[i]];
      }
    }
    if (t.y() != null) {
      y = new double[idx.length];
      for (int i = 0; i < idx.length; i++) {
        y[i] = t.y()[idx[i]];
      }
    }
    return new Truth(t.task(), labels, y, t.positive());
  }

  private static Predictions subset(Predictions p, int[] idx) {
    return switch (p) {
      case Predictions.Probabilities probs -> {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
          out[i] = probs.probabilities()[idx[i]];
        }
        yield new Predictions.Probabilities(probs.classes(), out);
      }
      case Predictions.Values v -> {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
          out[i] = v.values()[idx[i]];
        }
        yield new Predictions.Values(out);
      }
    };
  }

  private static String f(Double v) {
    if (v == null || v.isNaN()) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
