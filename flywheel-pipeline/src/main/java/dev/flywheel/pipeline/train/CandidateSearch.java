package dev.flywheel.pipeline.train;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.Trainer;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.core.spec.CandidateSpec;
import dev.flywheel.data.split.KFold;
import dev.flywheel.ml.Trainers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trains every setting of every candidate and scores it: on the validation split by default, or by
 * k-fold cross-validation on the training split when a candidate's {@code search.cv} asks for it.
 *
 * <p><b>Parallelism.</b> Every fit (one setting, or one fold of one setting) is a task. Tasks run
 * on a pool of {@code min(threads, tasks)} workers, and each fit may use {@code threads / workers}
 * threads itself (XGBoost's {@code nthread}), so the pool and XGBoost's own threads together never
 * ask for more than {@code threads} cores. With two cores and more than one fit, that is two
 * single-threaded fits side by side, which also avoids XGBoost's per-round thread synchronisation.
 *
 * <p><b>Determinism.</b> Each fit's result depends only on its data, parameters, seed and thread
 * count, never on which worker ran it or when; results are collected in task order. So the same
 * spec and data, with the same {@code threads}, give the same leaderboard (apart from {@code
 * train_seconds}) and the same models.
 *
 * <p><b>Cross-validation.</b> Folds split the training rows (stratified by class for
 * classification, seeded by {@code search.seed}). Each fold's fit stops early, if at all, on the
 * validation split, never on its own held-out fold. A setting's score is the mean over folds, with
 * the standard deviation (population, as scikit-learn's {@code cv_results_}) beside it. Then the
 * best setting of each candidate is refit on the whole training split; only that refit has a model.
 * The feature pipeline was fitted on the whole training split, so imputation values and encoders
 * have seen each held-out fold: a small optimism that the validation-split scoring does not have.
 */
public final class CandidateSearch {

  /**
   * One scored setting of a candidate.
   *
   * @param candidate the candidate
   * @param params every parameter, defaults filled in
   * @param model the trained model; null for a cross-validated setting that was not refit
   * @param validation the scores: on the validation split, or the mean over folds
   * @param validationSd the standard deviation over folds; null without cross-validation
   * @param bestIteration the best round of a fit that stopped early, else null
   * @param seconds the wall time of its fits
   */
  public record Scored(
      CandidateSpec candidate,
      Map<String, Number> params,
      Model model,
      Map<String, Double> validation,
      Map<String, Double> validationSd,
      Integer bestIteration,
      double seconds) {}

  private final PreparedData data;
  private final long seed;
  private final int threads;
  private final Metric metric;
  private final Progress progress;
  private final Map<CandidateSpec, Trainer> imported = new java.util.IdentityHashMap<>();

  /**
   * @param data the prepared splits
   * @param seed the seed every trainer gets
   * @param threads the most threads all fits together may use
   * @param metric the selection metric: picks each cross-validated candidate's setting to refit
   * @param progress where progress is reported, from the calling thread only
   */
  public CandidateSearch(
      PreparedData data, long seed, int threads, Metric metric, Progress progress) {
    this.data = data;
    this.seed = seed;
    this.threads = threads;
    this.metric = metric;
    this.progress = progress;
  }

  /** A fit to run: which rows it trains on, and which it is scored on. */
  private record Fit(
      CandidateSpec candidate,
      Map<String, Number> params,
      TrainingSet train,
      Truth scoreOn,
      double[][] scoreX) {}

  /** A fit's outcome. */
  private record Done(Model model, Map<String, Double> scores, double seconds) {}

  /** Trains and scores every setting of every candidate, in the candidates' order. */
  public List<Scored> run(List<CandidateSpec> candidates) {
    // An onnx candidate's trainer checks its graph as it is made: make them all before training
    // anything, so a bad mapping fails the run at once.
    for (CandidateSpec c : candidates) {
      if (c.algorithm() == Algorithm.ONNX) {
        imported.put(c, Trainers.forCandidate(c));
      }
    }
    TrainingSet validation = validationSet();
    List<List<Map<String, Number>>> settings = new ArrayList<>();
    List<Fit> fits = new ArrayList<>();
    int refits = 0;
    for (CandidateSpec c : candidates) {
      List<Map<String, Number>> trials =
          c.trials().stream().map(t -> ParameterTable.withDefaults(c.algorithm(), t)).toList();
      settings.add(trials);
      int folds = folds(c);
      if (folds == 0) {
        for (Map<String, Number> p : trials) {
          fits.add(new Fit(c, p, data.trainingSet(), data.validationTruth(), data.validationX()));
        }
      } else {
        int[][] held = heldOut(c);
        for (Map<String, Number> p : trials) {
          for (int[] fold : held) {
            fits.add(foldFit(c, p, fold));
          }
        }
        refits++;
      }
    }
    int workers = Math.max(1, Math.min(threads, fits.size()));
    // A lone remaining refit per candidate gets the same per-fit threads as the first phase, so
    // a model's bytes do not depend on how many other fits happened to run beside it.
    TrainOptions options = new TrainOptions(seed, Math.max(1, threads / workers));
    progress.start("train", fits.size() + refits);
    AtomicInteger done = new AtomicInteger();
    List<Done> results = runAll(fits, validation, options, workers, done);

    List<Scored> out = new ArrayList<>();
    List<Fit> refitFits = new ArrayList<>();
    List<Integer> refitSlots = new ArrayList<>();
    int next = 0;
    for (int ci = 0; ci < candidates.size(); ci++) {
      CandidateSpec c = candidates.get(ci);
      int folds = folds(c);
      int bestSlot = -1;
      for (Map<String, Number> p : settings.get(ci)) {
        if (folds == 0) {
          Done d = results.get(next++);
          out.add(
              new Scored(c, p, d.model, d.scores, null, bestIteration(d.model), round(d.seconds)));
          continue;
        }
        List<Done> per = results.subList(next, next + folds);
        next += folds;
        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Double> sd = new LinkedHashMap<>();
        summarise(per, mean, sd);
        double seconds = per.stream().mapToDouble(Done::seconds).sum();
        out.add(new Scored(c, p, null, mean, sd, null, round(seconds)));
        if (bestSlot < 0 || better(mean, out.get(bestSlot).validation())) {
          bestSlot = out.size() - 1;
        }
      }
      if (folds > 0) {
        Scored s = out.get(bestSlot);
        refitFits.add(
            new Fit(c, s.params(), data.trainingSet(), data.validationTruth(), data.validationX()));
        refitSlots.add(bestSlot);
      }
    }
    List<Done> refitted = runAll(refitFits, validation, options, workers, done);
    for (int i = 0; i < refitted.size(); i++) {
      Scored s = out.get(refitSlots.get(i));
      Done d = refitted.get(i);
      out.set(
          refitSlots.get(i),
          new Scored(
              s.candidate(),
              s.params(),
              d.model,
              s.validation(),
              s.validationSd(),
              bestIteration(d.model),
              round(s.seconds() + d.seconds)));
    }
    progress.finish();
    return out;
  }

  private List<Done> runAll(
      List<Fit> fits,
      TrainingSet validation,
      TrainOptions options,
      int workers,
      AtomicInteger done) {
    if (fits.isEmpty()) {
      return List.of();
    }
    List<Done> out = new ArrayList<>();
    if (workers == 1) {
      for (Fit f : fits) {
        out.add(fit(f, validation, options));
        progress.step(done.incrementAndGet());
      }
      return out;
    }
    AtomicInteger started = new AtomicInteger();
    try (ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "flywheel-train-" + started.incrementAndGet());
              t.setDaemon(true);
              return t;
            })) {
      List<Future<Done>> futures = new ArrayList<>();
      for (Fit f : fits) {
        futures.add(pool.submit(() -> fit(f, validation, options)));
      }
      try {
        for (Future<Done> f : futures) {
          out.add(f.get());
          progress.step(done.incrementAndGet());
        }
      } catch (ExecutionException e) {
        futures.forEach(f -> f.cancel(true));
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        futures.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while training candidates", e);
      }
    }
    return out;
  }

  private Done fit(Fit f, TrainingSet validation, TrainOptions options) {
    long start = System.nanoTime();
    Model model =
        (f.candidate.algorithm() == Algorithm.ONNX
                ? imported.get(f.candidate)
                : Trainers.forAlgorithm(f.candidate.algorithm()))
            .train(f.train, validation, f.params, options);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Double> scores = f.scoreOn.metrics(model.predict(f.scoreX));
    return new Done(model, scores, seconds);
  }

  /** The validation split as a trainer sees it, for early stopping. */
  private TrainingSet validationSet() {
    Truth t = data.validationTruth();
    TrainingSet train = data.trainingSet();
    return new TrainingSet(
        data.validationX(), train.featureNames(), train.task(), train.classes(), t.labels(), t.y());
  }

  /** Trains on the training rows outside {@code fold}, scores on the rows in it. */
  private Fit foldFit(CandidateSpec c, Map<String, Number> p, int[] fold) {
    TrainingSet all = data.trainingSet();
    boolean[] held = new boolean[all.rows()];
    for (int i : fold) {
      held[i] = true;
    }
    int n = all.rows() - fold.length;
    double[][] x = new double[n][];
    int[] labels = all.labels() == null ? null : new int[n];
    double[] y = all.y() == null ? null : new double[n];
    int k = 0;
    for (int i = 0; i < all.rows(); i++) {
      if (!held[i]) {
        x[k] = all.x()[i];
        if (labels != null) {
          labels[k] = all.labels()[i];
        }
        if (y != null) {
          y[k] = all.y()[i];
        }
        k++;
      }
    }
    double[][] hx = new double[fold.length][];
    int[] hl = all.labels() == null ? null : new int[fold.length];
    double[] hy = all.y() == null ? null : new double[fold.length];
    for (int j = 0; j < fold.length; j++) {
      hx[j] = all.x()[fold[j]];
      if (hl != null) {
        hl[j] = all.labels()[fold[j]];
      }
      if (hy != null) {
        hy[j] = all.y()[fold[j]];
      }
    }
    TrainingSet train =
        new TrainingSet(x, all.featureNames(), all.task(), all.classes(), labels, y);
    Truth truth = new Truth(all.task(), hl, hy, data.validationTruth().positive());
    return new Fit(c, p, train, truth, hx);
  }

  /**
   * How many folds score candidate {@code c}: its own {@code search.cv}, else the spec's {@code
   * split.folds}, else 0 (score on the validation split).
   */
  private int folds(CandidateSpec c) {
    if (c.search().folds() > 0) {
      return c.search().folds();
    }
    return data.folds() == null ? 0 : (int) Arrays.stream(data.folds()).distinct().count();
  }

  /**
   * The held-out training rows of each fold. With {@code search.cv}: {@link KFold} over the
   * training split, stratified by class for classification, seeded by {@code search.seed}. Without
   * it, {@code split.folds}: the training rows' part of the split's own assignment (which is
   * group-aware under {@code method: group}).
   */
  private int[][] heldOut(CandidateSpec c) {
    TrainingSet train = data.trainingSet();
    int k = folds(c);
    int[] assignment;
    if (c.search().folds() > 0) {
      assignment = folds(train, k, c.search().seed());
    } else {
      assignment = Arrays.copyOf(data.folds(), train.rows());
    }
    int[][] out = new int[k][];
    for (int f = 0; f < k; f++) {
      out[f] = KFold.heldOut(assignment, f);
      if (out[f].length == 0) {
        throw new BadInputException(
            "fold "
                + f
                + " of "
                + k
                + " holds no training rows; use fewer folds (split.folds or search.cv)");
      }
    }
    return out;
  }

  /**
   * The fold of each training row: seeded, and stratified by class for classification so every fold
   * keeps the class shares.
   */
  static int[] folds(TrainingSet data, int k, long seed) {
    if (data.task() != Task.CLASSIFICATION) {
      return KFold.assign(data.rows(), k, seed);
    }
    String[] labels = new String[data.rows()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = Integer.toString(data.labels()[i]);
    }
    return KFold.assignStratified(labels, k, seed);
  }

  /** Mean and population standard deviation of each metric defined on every fold. */
  private static void summarise(
      List<Done> folds, Map<String, Double> mean, Map<String, Double> sd) {
    for (String name : folds.get(0).scores.keySet()) {
      if (folds.stream().anyMatch(d -> d.scores.get(name) == null)) {
        continue;
      }
      double m = folds.stream().mapToDouble(d -> d.scores.get(name)).average().orElseThrow();
      double v =
          folds.stream().mapToDouble(d -> (d.scores.get(name) - m) * (d.scores.get(name) - m)).sum()
              / folds.size();
      mean.put(name, m);
      sd.put(name, Math.sqrt(v));
    }
  }

  /** Whether {@code a} scores strictly better than {@code b}; an undefined score never wins. */
  private boolean better(Map<String, Double> a, Map<String, Double> b) {
    Double va = a.get(metric.specName());
    Double vb = b.get(metric.specName());
    return va != null && (vb == null || metric.improvement(va, vb) > 0);
  }

  private static Integer bestIteration(Model model) {
    return model.bestIteration().isPresent() ? model.bestIteration().getAsInt() : null;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1e3) / 1e3;
  }
}
