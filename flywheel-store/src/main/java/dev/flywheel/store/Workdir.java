package dev.flywheel.store;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.serving.FeedbackStore;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.store.local.FolderArtifactStore;
import dev.flywheel.store.sqlite.SqliteFeedbackStore;
import dev.flywheel.store.sqlite.SqliteMetadataStore;
import dev.flywheel.store.sqlite.SqlitePredictionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Flywheel's home for one project (INTERFACES.md): {@code flywheel.db}, {@code artifacts/} and
 * {@code logs/}. Opening one creates what is missing. Close it to release the database.
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
  private volatile SqlitePredictionLog predictionLog; // written under this
  private SqliteFeedbackStore feedback; // guarded by this
  private boolean closed; // guarded by this

  private Workdir(Path dir, MetadataStore metadata, ArtifactStore artifacts) {
    this.dir = dir;
    this.metadata = metadata;
    this.artifacts = artifacts;
  }

  public static Workdir open(Path dir) {
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
    MetadataStore metadata = SqliteMetadataStore.open(abs.resolve("flywheel.db"));
    return new Workdir(abs, metadata, new FolderArtifactStore(abs.resolve("artifacts")));
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
   * The prediction log, opened with {@link SqlitePredictionLog.Settings#defaults()} on first use
   * unless {@link #predictionLog(SqlitePredictionLog.Settings)} opened it first.
   */
  public synchronized PredictionLog predictionLog() {
    checkOpen();
    if (predictionLog == null) {
      predictionLog = SqlitePredictionLog.open(database(), SqlitePredictionLog.Settings.defaults());
    }
    return predictionLog;
  }

  /**
   * The prediction log, opened with these settings (a server's capacity or sync choice).
   *
   * @throws IllegalStateException when it is open already with other settings
   */
  public synchronized PredictionLog predictionLog(SqlitePredictionLog.Settings settings) {
    checkOpen();
    if (predictionLog == null) {
      predictionLog = SqlitePredictionLog.open(database(), settings);
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
      feedback = SqliteFeedbackStore.open(database(), this::flushPredictionLog);
    }
    return feedback;
  }

  /** Flushes this workdir's prediction log, if it is open and has rows pending. */
  private void flushPredictionLog() {
    SqlitePredictionLog log = predictionLog;
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
        if (feedback != null) {
          feedback.close();
        }
      } finally {
        metadata.close();
      }
    }
  }
}
