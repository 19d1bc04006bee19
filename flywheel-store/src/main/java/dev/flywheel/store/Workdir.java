package dev.flywheel.store;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.serving.FeedbackStore;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.store.local.FolderArtifactStore;
import dev.flywheel.store.log.BatchedPredictionLog;
import dev.flywheel.store.postgres.PostgresFeedbackStore;
import dev.flywheel.store.postgres.PostgresMetadataStore;
import dev.flywheel.store.postgres.PostgresPredictionLog;
import dev.flywheel.store.postgres.PostgresStore;
import dev.flywheel.store.sqlite.SqliteFeedbackStore;
import dev.flywheel.store.sqlite.SqliteMetadataStore;
import dev.flywheel.store.sqlite.SqlitePredictionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Flywheel's home for one project (INTERFACES.md): {@code flywheel.db}, {@code artifacts/} and
 * {@code logs/}. Opening one creates what is missing. Close it to release the database.
 *
 * <p>The metadata may live elsewhere: {@link #open(Path, Optional)} with a {@link StoreUrl} keeps
 * it in PostgreSQL, and then {@code flywheel.db} is not used for it.
 *
 * <p>The prediction log and the feedback store are opened on first use: a CLI command that never
 * serves starts no writer thread. Closing the workdir flushes the prediction log first.
 */
public final class Workdir implements AutoCloseable {

  /** The default, relative to the current directory. */
  public static final Path DEFAULT = Path.of(".flywheel");

  private final Path dir;
  private final MetadataStore metadata;
  private final ArtifactStore artifacts;
  private volatile BatchedPredictionLog predictionLog; // written under this
  private FeedbackStore feedback; // guarded by this
  private boolean closed; // guarded by this

  private final PostgresStore postgres; // null for the SQLite file

  private Workdir(
      Path dir, MetadataStore metadata, ArtifactStore artifacts, PostgresStore postgres) {
    this.dir = dir;
    this.metadata = metadata;
    this.artifacts = artifacts;
    this.postgres = postgres;
  }

  /** Opens {@code dir} with its metadata in {@code dir/flywheel.db}. */
  public static Workdir open(Path dir) {
    return open(dir, Optional.empty());
  }

  /**
   * Opens {@code dir} with its metadata in {@code store} when present (see {@link
   * StoreUrl#resolve}), else in {@code dir/flywheel.db}.
   *
   * @throws InfrastructureException when the store cannot be reached (naming its host) or its
   *     schema is newer than this Flywheel knows
   */
  public static Workdir open(Path dir, Optional<StoreUrl> store) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs.resolve("artifacts"));
      Files.createDirectories(abs.resolve("logs"));
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot create the workdir "
              + abs
              + ": "
              + e.getMessage()
              + ". Pass a writable --workdir.",
          e);
    }
    ArtifactStore artifacts = new FolderArtifactStore(abs.resolve("artifacts"));
    if (store.isPresent()) {
      PostgresStore postgres = PostgresStore.open(store.get());
      return new Workdir(abs, new PostgresMetadataStore(postgres), artifacts, postgres);
    }
    MetadataStore metadata = SqliteMetadataStore.open(abs.resolve("flywheel.db"));
    return new Workdir(abs, metadata, artifacts, null);
  }

  /** The PostgreSQL store, when the metadata lives there. */
  public Optional<StoreUrl> store() {
    return postgres == null ? Optional.empty() : Optional.of(postgres.url());
  }

  public Path dir() {
    return dir;
  }

  public Path logs() {
    return dir.resolve("logs");
  }

  public MetadataStore metadata() {
    return metadata;
  }

  public ArtifactStore artifacts() {
    return artifacts;
  }

  private Path database() {
    return dir.resolve("flywheel.db");
  }

  /**
   * The prediction log, opened with {@link BatchedPredictionLog.Settings#defaults()} on first use
   * unless {@link #predictionLog(BatchedPredictionLog.Settings)} opened it first.
   */
  public synchronized PredictionLog predictionLog() {
    checkOpen();
    if (predictionLog == null) {
      predictionLog = openPredictionLog(BatchedPredictionLog.Settings.defaults());
    }
    return predictionLog;
  }

  /**
   * The prediction log, opened with these settings (a server's capacity or sync choice).
   *
   * @throws IllegalStateException when it is open already with other settings
   */
  public synchronized PredictionLog predictionLog(BatchedPredictionLog.Settings settings) {
    checkOpen();
    if (predictionLog == null) {
      predictionLog = openPredictionLog(settings);
    } else if (!predictionLog.settings().equals(settings)) {
      throw new IllegalStateException(
          "the prediction log of "
              + dir
              + " is open already with "
              + predictionLog.settings()
              + ", not "
              + settings);
    }
    return predictionLog;
  }

  /**
   * The feedback store. Recording feedback first flushes this workdir's prediction log, if it is
   * open, so that a prediction answered a moment ago is known.
   */
  public synchronized FeedbackStore feedback() {
    checkOpen();
    if (feedback == null) {
      feedback =
          postgres == null
              ? SqliteFeedbackStore.open(database(), this::flushPredictionLog)
              : new PostgresFeedbackStore(postgres, this::flushPredictionLog);
    }
    return feedback;
  }

  private BatchedPredictionLog openPredictionLog(BatchedPredictionLog.Settings settings) {
    return postgres == null
        ? SqlitePredictionLog.open(database(), settings)
        : PostgresPredictionLog.open(postgres, settings);
  }

  /** Flushes this workdir's prediction log, if it is open and has rows pending. */
  private void flushPredictionLog() {
    BatchedPredictionLog log = predictionLog;
    if (log != null && log.pending() > 0) {
      log.flush();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the workdir " + dir + " is closed");
    }
  }

  /**
   * Flushes and closes the prediction log (everything offered is written, or an error names what
   * was lost), then the feedback and metadata stores.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (predictionLog != null) {
        predictionLog.close();
      }
    } finally {
      try {
        if (feedback instanceof SqliteFeedbackStore sqlite) {
          sqlite.close(); // PostgreSQL's uses the pool, closed below
        }
      } finally {
        try {
          metadata.close();
        } finally {
          if (postgres != null) {
            postgres.close();
          }
        }
      }
    }
  }
}
