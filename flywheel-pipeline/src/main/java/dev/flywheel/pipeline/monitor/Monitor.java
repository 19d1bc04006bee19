package dev.flywheel.pipeline.monitor;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.profile.FeatureProfile;
import dev.flywheel.core.serving.FeedbackStore;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.core.spec.MonitoringSpec;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.ml.Trainers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes {@link MonitoringReport}s for production model versions from the stores alone: the
 * registry names the version, the artifact store holds its bundle (and so its reference profile),
 * the run that trained it holds its spec's {@code monitoring} settings, the prediction log holds
 * its predictions and the feedback store their labels. It needs no server, so the server's
 * monitoring, {@code flywheel monitor} and the pipeline's retraining controller all use it.
 *
 * <p>Only the version a report is about counts: predictions and labels of earlier versions never
 * enter its drift window or its performance.
 *
 * <p>Thread-safe. It caches, per model, the production version's bundle and monitoring settings,
 * and the time of that version's first prediction. That time bounds the store's scans, which would
 * otherwise read every older version's predictions and labels whenever the version has fewer than
 * the window (see {@link PredictionLog#recent(String, int, Instant, int)}). This assumes what the
 * server does: predictions are stamped by one clock that never runs back by more than a minute.
 */
public final class Monitor {

  private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

  /**
   * The fewest predictions on which drift is flagged, unless the window itself is smaller. PSI of a
   * sample drawn from the reference itself averages about (bins − 1) / n: for a numeric feature's
   * 11 bins that is 0.1 at n = 100, where 5% of undrifted windows reach 0.2, and 0.05 at n = 200,
   * where none did in 4,000 simulated windows.
   */
  public static final int MIN_PREDICTIONS = 200;

  /**
   * How far before a version's first prediction its scans still look: rows reach the log in about
   * the order of their timestamps, off by the moments between taking a timestamp and queueing the
   * row on another event loop.
   */
  private static final Duration SLACK = Duration.ofMinutes(1);

  private final MetadataStore metadata;
  private final ArtifactStore artifacts;
  private final PredictionLog log;
  private final FeedbackStore feedback;

  private record Loaded(int version, ModelBundle bundle) {}

  private record Settings(int version, MonitoringSpec spec) {}

  private record Bound(int version, Instant since) {}

  private final ConcurrentMap<String, Loaded> bundles = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Settings> specs = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Bound> bounds = new ConcurrentHashMap<>();

  /**
   * @param metadata the registry and runs
   * @param artifacts where bundles are
   * @param log the prediction log
   * @param feedback the labels fed back
   */
  public Monitor(
      MetadataStore metadata, ArtifactStore artifacts, PredictionLog log, FeedbackStore feedback) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.log = Objects.requireNonNull(log, "log");
    this.feedback = Objects.requireNonNull(feedback, "feedback");
  }

  /**
   * The fewest predictions in a window before drift can be flagged: {@link #MIN_PREDICTIONS}, or
   * the whole window when it is smaller. Below it, PSI is still reported but nothing is flagged.
   */
  public static int minimumPredictions(int window) {
    return Math.min(window, MIN_PREDICTIONS);
  }

  /** The names of the models that have a production version, sorted. */
  public List<String> productionModels() {
    return metadata.aliased(MetadataStore.PRODUCTION).stream().map(ModelVersion::model).toList();
  }

  /** The report on a model's production version, or empty when it has none. */
  public Optional<MonitoringReport> report(String model) {
    return report(model, RetrainingStatus.NONE);
  }

  /**
   * The report on a model's production version, with the given retraining part, or empty when the
   * model has no production version.
   *
   * @throws dev.flywheel.core.InfrastructureException when a store fails or the bundle is corrupt
   */
  public Optional<MonitoringReport> report(String model, RetrainingStatus retraining) {
    Optional<ModelVersion> production = metadata.alias(model, MetadataStore.PRODUCTION);
    if (production.isEmpty()) {
      return Optional.empty();
    }
    ModelVersion version = production.get();
    return Optional.of(report(version, bundle(version), retraining));
  }

  /**
   * The report on one model version whose bundle the caller has loaded already (a server serving
   * it), with the given retraining part.
   */
  public MonitoringReport report(
      ModelVersion version, ModelBundle bundle, RetrainingStatus retraining) {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(retraining, "retraining");
    String model = version.model();
    int number = version.version();
    MonitoringSpec spec = settings(version, bundle.manifest().task());
    int window = spec.drift().window();

    Instant since = since(model, number);
    List<PredictionRecord> recent = log.recent(model, number, since, window);

    List<String> features = bundle.profile().features().stream().map(FeatureProfile::name).toList();
    List<Map<String, Object>> rows = new ArrayList<>(recent.size());
    Instant from = null;
    Instant to = null;
    for (PredictionRecord r : recent) {
      Map<String, Object> row = LoggedJson.instance(r.inputs(), features);
      if (row == null) {
        continue;
      }
      rows.add(row);
      to = to == null || r.time().isAfter(to) ? r.time() : to;
      from = from == null || r.time().isBefore(from) ? r.time() : from;
    }
    MonitoringReport.Drift drift = DriftCheck.measure(bundle.profile(), rows, spec.drift());

    List<LabelledPrediction> labelled = feedback.labelled(model, number, since, window);
    MonitoringReport.Performance performance =
        PerformanceCheck.measure(bundle.manifest(), labelled, spec.performance());

    return new MonitoringReport(
        model,
        number,
        new MonitoringReport.Window(rows.size(), from, to),
        drift,
        performance,
        retraining);
  }

  /**
   * A time before every prediction this version has logged or will log, which bounds the store's
   * scans: its first prediction, or, when it has made none yet, the model's newest prediction of
   * any version (its own will come later); less {@link #SLACK}. Found once per version and kept.
   * Null when the model has no predictions at all: a scan of nothing is cheap anyway.
   */
  private Instant since(String model, int version) {
    Bound bound = bounds.get(model);
    if (bound != null && bound.version() == version) {
      return bound.since();
    }
    Optional<Instant> first = log.first(model, version);
    if (first.isEmpty()) {
      first = log.recent(model, 1).stream().findFirst().map(PredictionRecord::time);
    }
    if (first.isEmpty()) {
      return null;
    }
    Instant since = first.get().minus(SLACK);
    bounds.put(model, new Bound(version, since));
    return since;
  }

  /** The version's bundle, loaded once per version. */
  private ModelBundle bundle(ModelVersion version) {
    Loaded loaded = bundles.get(version.model());
    if (loaded != null && loaded.version() == version.version()) {
      return loaded.bundle();
    }
    ModelBundle bundle =
        BundleIO.read(
            artifacts.get(version.bundleKey()),
            artifacts.describe(version.bundleKey()),
            Trainers.LOADER);
    bundles.put(version.model(), new Loaded(version.version(), bundle));
    return bundle;
  }

  /**
   * The {@code monitoring} settings of one version of a model, as its reports use them, or empty
   * when the registry has no such version.
   */
  public Optional<MonitoringSpec> settings(String model, int version) {
    return metadata.version(model, version).map(v -> settings(v, bundle(v).manifest().task()));
  }

  /**
   * The {@code monitoring} settings of the spec the version was trained with, read once per
   * version. When the run or its spec cannot be read, the defaults for the task apply, with a
   * warning: monitoring with defaults beats no monitoring.
   */
  public MonitoringSpec settings(ModelVersion version, Task task) {
    Settings cached = specs.get(version.model());
    if (cached != null && cached.version() == version.version()) {
      return cached.spec();
    }
    MonitoringSpec spec = readSettings(version, task);
    specs.put(version.model(), new Settings(version.version(), spec));
    return spec;
  }

  private MonitoringSpec readSettings(ModelVersion version, Task task) {
    Optional<RunRecord> run = metadata.run(version.runId());
    if (run.isEmpty() || run.get().specText() == null) {
      LOG.warn(
          "{} v{}: its run {} is not in the metadata store; monitoring it with the default"
              + " settings",
          version.model(),
          version.version(),
          version.runId());
      return defaults(task);
    }
    RunRecord r = run.get();
    try {
      PipelineSpec spec =
          r.specPath() != null
              ? SpecParser.parseStored(r.specText(), Path.of(r.specPath()))
              : SpecParser.parse(r.specText(), "the stored spec of run " + r.runId(), Path.of("."));
      return spec.monitoring();
    } catch (BadInputException | IllegalArgumentException e) {
      LOG.warn(
          "{} v{}: the spec stored with run {} cannot be read ({}); monitoring it with the default"
              + " settings",
          version.model(),
          version.version(),
          r.runId(),
          e.getMessage());
      return defaults(task);
    }
  }

  /** The spec's defaults: accuracy for classification, rmse for regression. */
  static MonitoringSpec defaults(Task task) {
    MonitoringSpec d = MonitoringSpec.DEFAULT;
    if (task != Task.REGRESSION) {
      return d;
    }
    return new MonitoringSpec(
        d.drift(),
        new MonitoringSpec.Performance(
            Metric.RMSE, d.performance().min(), d.performance().minLabels()));
  }
}
