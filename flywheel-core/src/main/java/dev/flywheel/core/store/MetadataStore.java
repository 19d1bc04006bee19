package dev.flywheel.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs, their parameters and metrics, model versions and aliases. The embedded implementation is
 * SQLite in the workdir; PostgreSQL comes later and must pass the same compatibility kit.
 *
 * <p>Implementations are safe for one process at a time per instance, and several processes may
 * share one store (the CLI and a server): every write is its own transaction.
 */
public interface MetadataStore extends AutoCloseable {

  /** The alias that the server serves. */
  String PRODUCTION = "production";

  /**
   * Starts a run and returns its id, such as {@code r-000001}.
   *
   * @param specPath the spec file's absolute path, or null when the spec came from elsewhere
   */
  String createRun(String model, String specText, String specPath, Instant startedAt);

  /** Starts a run whose spec has no file. */
  default String createRun(String model, String specText, Instant startedAt) {
    return createRun(model, specText, null, startedAt);
  }

  void finishRun(String runId, String status, Instant finishedAt, String resultJson);

  /** Records a candidate's parameters under {@code scope} (the candidate's leaderboard key). */
  void logParams(String runId, String scope, Map<String, ?> params);

  /** Records metrics under {@code scope}, such as {@code gbt#1/validation} or {@code test}. */
  void logMetrics(String runId, String scope, Map<String, Double> metrics);

  /** Metrics recorded for a run, by scope. */
  Map<String, Map<String, Double>> metrics(String runId);

  Optional<RunRecord> run(String runId);

  /** Runs, newest first; {@code model} null means every model. */
  List<RunRecord> runs(String model);

  /** Registers a bundle as the model's next version, atomically. */
  ModelVersion registerVersion(
      String model,
      String runId,
      String bundleKey,
      String dataHash,
      String algorithm,
      String candidate,
      Map<String, Double> metrics,
      Instant createdAt);

  /** Points an alias at a version, replacing where it pointed before. */
  void setAlias(String model, String alias, int version, Instant at);

  Optional<ModelVersion> version(String model, int version);

  Optional<ModelVersion> alias(String model, String alias);

  /**
   * The version each model's {@code alias} points at, by model name: for {@link #PRODUCTION}, what
   * a server serves.
   */
  List<ModelVersion> aliased(String alias);

  /** Versions, oldest first; {@code model} null means every model. */
  List<ModelVersion> versions(String model);

  /**
   * The committed watermark of an incremental source (docs/spec.md, "Incremental collection").
   *
   * @param source the source's identity, as in {@link SourceWatermark#source()}
   */
  Optional<SourceWatermark> watermark(String model, String source);

  /**
   * Moves a source's watermark, and the snapshot it names, from {@code previous} to {@code next},
   * atomically and only if the stored state is still {@code previous} (compared by snapshot key): a
   * compare-and-set, so two runs that collected at the same time cannot both append.
   *
   * @param previous the state the caller read, or null when the source had none
   * @param next the new state, for the same model and source
   * @return false, changing nothing, when another run moved the watermark first
   */
  boolean advanceWatermark(SourceWatermark previous, SourceWatermark next);

  /**
   * Records that {@code runId} used the model's data with content {@code hash}: returns the model's
   * dataset version with that hash, writing it as the next version (with {@code profile}) when
   * there is none, and links it to the run, all in one transaction. A version that exists is reused
   * as it is: its profile and rows stay those first written.
   */
  DatasetVersion useDatasetVersion(
      String model, String runId, String hash, long rows, int columns, String profile, Instant at);

  /** The dataset version that the model's most recent run recorded, if any. */
  Optional<DatasetVersion> lastDatasetVersion(String model);

  /** The dataset versions a run recorded, in the order it recorded them. */
  List<DatasetVersion> datasetVersions(String runId);

  @Override
  void close();
}
