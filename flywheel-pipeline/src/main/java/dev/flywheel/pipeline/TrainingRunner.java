package dev.flywheel.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.FlywheelVersion;
import dev.flywheel.core.Json;
import dev.flywheel.core.Progress;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.FeatureImportance;
import dev.flywheel.core.bundle.InputField;
import dev.flywheel.core.bundle.Lineage;
import dev.flywheel.core.bundle.Manifest;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.spec.CandidateSpec;
import dev.flywheel.core.spec.FeaturesSpec;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SelectionSpec;
import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.DatasetVersion;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.data.collect.Collected;
import dev.flywheel.data.collect.Snapshots;
import dev.flywheel.data.profile.ProfileBuilder;
import dev.flywheel.data.validate.DatasetProfile;
import dev.flywheel.data.validate.ValidationReport;
import dev.flywheel.pipeline.gate.ProductionGate;
import dev.flywheel.pipeline.train.CandidateSearch;
import dev.flywheel.pipeline.train.DataPreparer;
import dev.flywheel.pipeline.train.DefaultSearch;
import dev.flywheel.pipeline.train.FeatureSelector;
import dev.flywheel.pipeline.train.Footprint;
import dev.flywheel.pipeline.train.PreparedData;
import dev.flywheel.pipeline.train.SelectedAnalysis;
import dev.flywheel.pipeline.validate.DataValidation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the training half of the loop for one spec: collect, curate, split, fit features, train
 * every candidate, select on validation, gate on test, package, register and, if the gate passes,
 * promote to {@code production}. Every run is recorded, including failed and refused ones.
 *
 * <p>One runner is used by one thread at a time. The clock is injected so that tests and
 * reproducible runs control it.
 */
public final class TrainingRunner {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingRunner.class);

  /**
   * The status of a run whose data failed the quality gate ({@code quality.fail_on}): recorded with
   * its validation report, without a model version or a dataset version.
   */
  public static final String REJECTED = "rejected";

  private final MetadataStore metadata;
  private final ArtifactStore artifacts;
  private final Clock clock;
  private final Progress progress;
  private final int threads;

  /**
   * @param metadata where runs and versions are recorded
   * @param artifacts where bundles are written
   * @param clock the clock for run timestamps
   * @param progress where progress is reported
   * @param threads the most threads a trainer may use
   */
  public TrainingRunner(
      MetadataStore metadata,
      ArtifactStore artifacts,
      Clock clock,
      Progress progress,
      int threads) {
    this.metadata = metadata;
    this.artifacts = artifacts;
    this.clock = clock;
    this.progress = progress;
    this.threads = threads;
  }

  public RunResult run(PipelineSpec spec) {
    return run(spec, RunOptions.NONE);
  }

  /** Records a run, executes it with {@code options} and records its outcome or its failure. */
  public RunResult run(PipelineSpec spec, RunOptions options) {
    return run(spec, options, Map.of());
  }

  /**
   * As {@link #run(PipelineSpec, RunOptions)}, labelling the run with {@code tags}: they are logged
   * as the run's parameters under the scope {@code tags} before training starts, and kept in its
   * result (or in its failure record), so {@code flywheel runs} can show them.
   */
  public RunResult run(PipelineSpec spec, RunOptions options, Map<String, String> tags) {
    String runId =
        metadata.createRun(
            spec.name(),
            spec.text(),
            spec.file() == null ? null : spec.file().toString(),
            clock.instant());
    if (!tags.isEmpty()) {
      metadata.logParams(runId, "tags", tags);
    }
    progress.stage("run", runId + " for model '" + spec.name() + "'");
    try {
      RunResult result = execute(runId, spec, options).withTags(tags);
      metadata.finishRun(runId, result.status(), clock.instant(), result.toJson());
      return result;
    } catch (RuntimeException e) {
      recordFailure(runId, e, tags);
      throw e;
    }
  }

  /**
   * Records a run as {@code failed} with the exception's message. Failures to record are added to
   * {@code e} as suppressed, so the original error is what the caller sees.
   */
  public void recordFailure(String runId, RuntimeException e) {
    recordFailure(runId, e, Map.of());
  }

  private void recordFailure(String runId, RuntimeException e, Map<String, String> tags) {
    ObjectNode failure = Json.mapper().createObjectNode();
    failure.put("run_id", runId);
    failure.put("status", "failed");
    failure.put("error", e.getMessage() == null ? e.getClass().getName() : e.getMessage());
    if (!tags.isEmpty()) {
      failure.set("tags", Json.mapper().valueToTree(new java.util.TreeMap<>(tags)));
    }
    String json = failure.toString();
    try {
      metadata.finishRun(runId, "failed", clock.instant(), json);
    } catch (RuntimeException suppressed) {
      e.addSuppressed(suppressed);
    }
  }

  /**
   * Executes a run that was created already (its id from {@link MetadataStore#createRun}) and
   * returns its result, without finishing the run record: callers that own the record, such as the
   * retraining controller, finish it themselves, adding to the result first.
   */
  public RunResult execute(String runId, PipelineSpec spec, RunOptions options) {
    Frame raw;
    long badRows = 0;
    String quarantine = null;
    long unparsed = 0;
    List<RunResult.UnparsedLine> unparsedExamples = null;
    Long newRows = null;
    List<RunResult.IncrementalSource> incremental = null;
    if (options.source() != null) {
      raw = options.source();
    } else {
      Collected collected =
          DataPreparer.collectSource(
              spec, progress, new Snapshots(spec.name(), runId, metadata, artifacts, clock));
      raw = collected.frame();
      badRows = collected.badRows();
      quarantine = collected.quarantine() == null ? null : collected.quarantine().toString();
      unparsed = collected.unparsed();
      unparsedExamples =
          collected.unparsedExamples().stream()
              .map(u -> new RunResult.UnparsedLine(u.file(), u.line(), u.text()))
              .toList();
      if (!collected.increments().isEmpty()) {
        newRows = collected.newRows();
        incremental =
            collected.increments().stream()
                .map(
                    i ->
                        new RunResult.IncrementalSource(
                            i.source(),
                            i.watermark(),
                            i.previous(),
                            i.current(),
                            i.newRows(),
                            i.snapshotRows(),
                            i.nullWatermark()))
                .toList();
      }
    }
    if (options.extraRows() != null && options.extraRows().rowCount() > 0) {
      raw = raw.concat(options.extraRows());
    }
    DataPreparer.Curated curated = DataPreparer.curate(spec, raw, progress);
    String dataHash = curated.frame().contentHash();
    ValidationReport validation =
        DataValidation.validate(spec, raw, curated.frame(), metadata, progress);
    if (!validation.passed()) {
      // The quality gate said no: record the run with its report, and write nothing else.
      return new RunResult(
          runId,
          spec.name(),
          spec.task().specName(),
          REJECTED,
          new RunResult.Dataset(
              curated.frame().rowCount(),
              dataHash,
              null,
              curated.missingTarget(),
              curated.duplicates(),
              badRows,
              quarantine,
              unparsed,
              unparsedExamples,
              newRows,
              incremental,
              null),
          null,
          null,
          null,
          null,
          null,
          false,
          null,
          validation,
          null);
    }
    PreparedData prepared = DataPreparer.prepare(spec, curated.frame(), progress);
    if (options.inspect() != null) {
      options.inspect().accept(prepared);
    }
    FeaturesSpec.Select select = spec.features().select();
    List<FeatureSelector.Selected> variants =
        select == null
            ? List.of()
            : FeatureSelector.select(select, prepared, spec.split().seed(), threads);
    if (select != null) {
      for (FeatureSelector.Selected v : variants) {
        progress.stage(
            "select features",
            select.method()
                + ": "
                + v.selection().kept().size()
                + " of "
                + prepared.pipeline().inputs().size()
                + " kept "
                + v.selection().kept());
      }
    }
    Metric metric = spec.selection().metricFor(spec.task(), prepared.classes().size());
    if (spec.selection().vsProduction().test() == SelectionSpec.GateTest.DELONG
        && prepared.classes().size() != 2) {
      throw new BadInputException(
          (spec.file() == null ? "the spec" : spec.file().toString())
              + ": selection.vs_production.test: delong compares the ROC AUC of binary"
              + " classifiers, and target '"
              + spec.target()
              + "' has "
              + prepared.classes().size()
              + " classes "
              + prepared.classes()
              + ". Use test: paired_bootstrap or mcnemar.");
    }

    List<CandidateSpec> candidates =
        new ArrayList<>(spec.candidates() == null ? DefaultSearch.candidates() : spec.candidates());
    if (candidates.stream().noneMatch(c -> c.algorithm() == Algorithm.BASELINE)) {
      // The gate needs a baseline to beat, whatever the spec lists.
      candidates.add(0, new CandidateSpec("baseline", Algorithm.BASELINE, Map.of()));
    }
    List<Trained> trained = trainAll(runId, spec, prepared, variants, candidates, metric);

    Trained best = select(trained, metric);
    // With selection, the winner's narrowed data is what it is tested, gated and bundled with.
    PreparedData data = best.selected == null ? prepared : best.selected.data();
    Trained baseline =
        trained.stream()
            .filter(t -> t.spec.algorithm() == Algorithm.BASELINE && t.model != null)
            .findFirst()
            .orElseThrow();
    progress.stage(
        "select",
        best.spec.name()
            + " "
            + ParameterTable.nonDefault(best.spec.algorithm(), best.params)
            + " ("
            + metric.specName()
            + " "
            + format(best.validation.get(metric.specName()))
            + " on validation)");

    SelectedAnalysis.Decision decision = SelectedAnalysis.decide(spec, data, best.model);
    if (decision.choice() != null) {
      progress.stage(
          "threshold",
          format(decision.threshold())
              + " on P("
              + data.positive()
              + ") ("
              + decision.choice().method()
              + ")");
    }
    Predictions bestTest = best.model.predict(data.testX());
    Map<String, Double> testMetrics =
        SelectedAnalysis.metrics(data.testTruth(), bestTest, decision.rule());
    RunResult.TestDetails testDetails =
        data.testTruth().details(bestTest, data.classes(), decision.rule());
    Map<String, Double> baselineTest =
        data.testTruth().metrics(baseline.model.predict(dataOf(baseline, prepared).testX()));
    metadata.logMetrics(runId, "test", testMetrics);

    FeatureImportance importance =
        SelectedAnalysis.importance(data, best.model, metric, decision.rule(), spec.split().seed());
    ModelBundle bundle =
        bundle(runId, spec, prepared, data, dataHash, best, testMetrics, options.feedbackUntil())
            .withDecision(decision.threshold(), importance);
    Optional<ModelVersion> production = metadata.alias(spec.name(), MetadataStore.PRODUCTION);
    RunResult.Gate gate =
        new ProductionGate(artifacts, spec)
            .evaluate(
                metric,
                best,
                testMetrics,
                baselineTest,
                bestTest,
                data,
                production,
                options.holdout(),
                bundle);
    progress.stage("gate", gate.passed() ? "passed" : "refused: " + failedChecks(gate));

    String key = "models/" + spec.name() + "/" + runId + "/bundle.zip";
    artifacts.put(key, BundleIO.write(bundle));
    DatasetVersion datasetVersion =
        metadata.useDatasetVersion(
            spec.name(),
            runId,
            dataHash,
            curated.frame().rowCount(),
            curated.frame().columns().size(),
            DatasetProfile.document(curated.frame()),
            clock.instant());
    ModelVersion version =
        metadata.registerVersion(
            spec.name(),
            runId,
            key,
            dataHash,
            best.spec.algorithm().specName(),
            best.spec.name(),
            testMetrics,
            clock.instant());
    if (gate.passed()) {
      metadata.setAlias(spec.name(), MetadataStore.PRODUCTION, version.version(), clock.instant());
    }
    progress.stage(
        "register",
        spec.name()
            + " v"
            + version.version()
            + (gate.passed() ? " promoted to production" : " registered, not promoted"));

    List<RunResult.LeaderboardEntry> leaderboard =
        trained.stream()
            .map(
                t ->
                    new RunResult.LeaderboardEntry(
                        t.spec.name(),
                        t.spec.algorithm().specName(),
                        t.params,
                        t.validation,
                        t.seconds,
                        t.validationSd,
                        t.bestIteration,
                        t.model == null ? null : Footprint.bytes(t.model),
                        t.model == null
                            ? null
                            : Footprint.predictMicros(t.model, dataOf(t, prepared).validationX()),
                        t.model == null || t.model.history().isEmpty() ? null : t.model.history(),
                        dataOf(t, prepared).pipeline().inputs().size()))
            .toList();
    return new RunResult(
            runId,
            spec.name(),
            spec.task().specName(),
            "succeeded",
            new RunResult.Dataset(
                curated.frame().rowCount(),
                dataHash,
                splits(data),
                curated.missingTarget(),
                curated.duplicates(),
                badRows,
                quarantine,
                unparsed,
                unparsedExamples,
                newRows,
                incremental,
                new RunResult.Cleaning(
                    curated.duplicates(),
                    curated.missingTarget(),
                    data.outliers(),
                    curated.filtered() == null ? null : curated.filtered().total(),
                    curated.filtered() == null ? null : curated.filtered().counts())),
            metric.specName(),
            leaderboard,
            new RunResult.Selected(
                best.spec.name(),
                best.spec.algorithm().specName(),
                best.params,
                best.validation,
                testMetrics,
                decision.threshold(),
                decision.choice() == null ? null : decision.choice().method(),
                testDetails,
                best.selected == null ? null : best.selected.selection().kept()),
            gate,
            version.version(),
            gate.passed(),
            null,
            validation,
            List.of(
                new RunResult.DatasetVersionRef(
                    datasetVersion.model(),
                    datasetVersion.version(),
                    datasetVersion.hash(),
                    datasetVersion.rows(),
                    !datasetVersion.runId().equals(runId))))
        .withArtifacts(Map.of("bundle", key));
  }

  /**
   * A trained candidate with its validation scores.
   *
   * @param spec the candidate
   * @param params every parameter, defaults filled in
   * @param model the model; null for a cross-validated setting that was not refit
   * @param validation scores on the validation split, or the mean over cross-validation folds
   * @param seconds the wall time of its fits
   * @param validationSd the standard deviation over folds, or null without cross-validation
   * @param bestIteration the best round of a fit that stopped early, or null
   * @param selected the narrowed data it trained on under {@code features.select}, or null
   */
  public record Trained(
      CandidateSpec spec,
      Map<String, Number> params,
      Model model,
      Map<String, Double> validation,
      double seconds,
      Map<String, Double> validationSd,
      Integer bestIteration,
      FeatureSelector.Selected selected) {}

  private static PreparedData dataOf(Trained t, PreparedData all) {
    return t.selected == null ? all : t.selected.data();
  }

  private List<Trained> trainAll(
      String runId,
      PipelineSpec spec,
      PreparedData data,
      List<FeatureSelector.Selected> variants,
      List<CandidateSpec> candidates,
      Metric metric) {
    // Each selection variant (one per keep value) trains every candidate setting once: keep is
    // searched as one more hyperparameter, and the leaderboard shows each entry's feature count.
    List<FeatureSelector.Selected> runs = new ArrayList<>(variants);
    if (runs.isEmpty()) {
      runs.add(null);
    }
    List<Trained> out = new ArrayList<>();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (FeatureSelector.Selected variant : runs) {
      trainVariant(
          runId,
          spec,
          variant == null ? data : variant.data(),
          variant,
          candidates,
          metric,
          index,
          out);
    }
    return out;
  }

  private void trainVariant(
      String runId,
      PipelineSpec spec,
      PreparedData data,
      FeatureSelector.Selected variant,
      List<CandidateSpec> candidates,
      Metric metric,
      Map<String, Integer> index,
      List<Trained> out) {
    List<CandidateSearch.Scored> scored =
        new CandidateSearch(data, spec.split().seed(), threads, metric, progress).run(candidates);
    for (CandidateSearch.Scored s : scored) {
      String scope =
          s.candidate().name() + "#" + (index.merge(s.candidate().name(), 1, Integer::sum) - 1);
      metadata.logParams(runId, scope, s.params());
      metadata.logMetrics(runId, scope + "/validation", s.validation());
      LOG.debug(
          "trained {} {} in {}s: {}",
          s.candidate().name(),
          s.params(),
          s.seconds(),
          s.validation());
      out.add(
          new Trained(
              s.candidate(),
              s.params(),
              s.model(),
              s.validation(),
              s.seconds(),
              s.validationSd(),
              s.bestIteration(),
              variant));
    }
  }

  /** The best validation score wins; an undefined score loses; ties go to the earlier entry. */
  static Trained select(List<Trained> trained, Metric metric) {
    Trained best = null;
    for (Trained t : trained) {
      Double v = t.validation.get(metric.specName());
      if (v == null || t.model == null) {
        continue;
      }
      if (best == null || metric.improvement(v, best.validation.get(metric.specName())) > 0) {
        best = t;
      }
    }
    return best != null
        ? best
        : trained.stream().filter(t -> t.model != null).findFirst().orElseThrow();
  }

  private ModelBundle bundle(
      String runId,
      PipelineSpec spec,
      PreparedData all,
      PreparedData data,
      String dataHash,
      Trained best,
      Map<String, Double> testMetrics,
      java.time.Instant feedbackUntil) {
    // The signature keeps every column a caller sends, even those selection dropped: callers
    // need not know which columns the current model reads.
    List<InputField> inputs =
        all.pipeline().columns().stream()
            .map(
                f ->
                    switch (f) {
                      case InputFeature.Numeric n -> new InputField(n.name(), "numeric", List.of());
                      case InputFeature.Categorical c ->
                          new InputField(c.name(), "categorical", c.categories());
                      // ISO-8601 text; the server takes it as a string.
                      case InputFeature.Date d -> new InputField(d.name(), "timestamp", List.of());
                      case InputFeature.Derived d ->
                          throw new IllegalStateException("columns() holds no derived feature");
                    })
            .toList();
    Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
    metrics.put("validation", best.validation);
    metrics.put("test", testMetrics);
    Manifest manifest =
        new Manifest(
            data.pipeline().formatVersion(),
            spec.name(),
            spec.task(),
            spec.target(),
            best.spec.algorithm(),
            best.spec.name(),
            best.params,
            data.classes(),
            data.positive(),
            inputs,
            metrics,
            new Lineage(
                runId,
                dataHash,
                "sha256:" + BundleIO.sha256(spec.text().getBytes(StandardCharsets.UTF_8)),
                spec.split(),
                data.train().rowCount(),
                feedbackUntil),
            FlywheelVersion.get(),
            Map.of());
    if (best.selected != null) {
      manifest = manifest.withSelection(best.selected.selection());
    }
    return new ModelBundle(
        manifest, data.pipeline(), best.model, ProfileBuilder.build(data.train(), data.features()));
  }

  private static Map<String, Integer> splits(PreparedData data) {
    Map<String, Integer> out = new LinkedHashMap<>();
    out.put("train", data.train().rowCount());
    out.put("validation", data.validation().rowCount());
    out.put("test", data.test().rowCount());
    return out;
  }

  private static String failedChecks(RunResult.Gate gate) {
    return String.join(
        "; ",
        gate.checks().stream()
            .filter(c -> !c.passed())
            .map(c -> c.name() + ": " + c.detail())
            .toList());
  }

  static String format(Double v) {
    return v == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f", v);
  }
}
