package dev.flywheel.store.sqlite;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.FeedbackResult;
import dev.flywheel.core.serving.FeedbackStore;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.store.log.BatchedPredictionLog;
import dev.flywheel.store.sql.FeedbackSql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.sqlite.SQLiteConfig;

/**
 * The embedded feedback store: the {@code feedback} table of the workdir's SQLite file, beside the
 * {@code predictions} it labels. Each {@link #record} call is one {@code BEGIN IMMEDIATE}
 * transaction committed with {@code synchronous=FULL}: when it returns, the labels are on disk and
 * visible to every other connection, and a crash (even of the OS) cannot take them back.
 *
 * <p>Thread-safe: writes are serialised on one connection, and reads on a second one, so reading
 * labels never waits behind a write.
 */
public final class SqliteFeedbackStore implements FeedbackStore, AutoCloseable {

  // Driven by feedback_model_predicted, scanned backwards: reads `limit` rows however sparse the
  // labels are among the predictions.
  private static final String LABELLED =
      "SELECT p.id, p.ts, p.model, p.version, p.inputs, p.output, f.label, f.received_at"
          + " FROM feedback f CROSS JOIN predictions p ON p.id = f.prediction_id"
          + " WHERE f.model = ? ORDER BY f.predicted_at DESC, f.rowid DESC LIMIT ?";

  // The same scan from the newest label down to `since`, keeping one version's predictions: it
  // reads every label back to `since` when the version has fewer than `limit`, hence the bound.
  private static final String LABELLED_VERSION =
      "SELECT p.id, p.ts, p.model, p.version, p.inputs, p.output, f.label, f.received_at"
          + " FROM feedback f CROSS JOIN predictions p ON p.id = f.prediction_id"
          + " WHERE f.model = ? AND f.predicted_at >= ? AND p.version = ?"
          + " ORDER BY f.predicted_at DESC, f.rowid DESC LIMIT ?";

  private final Path file;
  private final Connection connection; // guarded by this
  private final Connection readConnection; // guarded by itself
  private final Runnable beforeRecord;

  private SqliteFeedbackStore(
      Path file, Connection connection, Connection readConnection, Runnable beforeRecord) {
    this.file = file;
    this.connection = connection;
    this.readConnection = readConnection;
    this.beforeRecord = beforeRecord;
  }

  /** Opens the store in {@code file} (the workdir's {@code flywheel.db}). */
  public static SqliteFeedbackStore open(Path file) {
    return open(file, () -> {});
  }

  /**
   * Opens the store; {@link #record} first flushes {@code log} when it has rows pending, so that a
   * prediction answered a moment ago in this process is known.
   */
  public static SqliteFeedbackStore open(Path file, PredictionLog log) {
    Objects.requireNonNull(log, "log");
    return open(
        file,
        () -> {
          if (log.pending() > 0) {
            log.flush();
          }
        });
  }

  /** Opens the store; {@link #record} runs {@code beforeRecord} first, outside its transaction. */
  public static SqliteFeedbackStore open(Path file, Runnable beforeRecord) {
    Objects.requireNonNull(beforeRecord, "beforeRecord");
    Sqlite.Connections c =
        Sqlite.connectPair(file, SQLiteConfig.SynchronousMode.FULL, "the feedback store");
    return new SqliteFeedbackStore(file, c.write(), c.read(), beforeRecord);
  }

  /**
   * {@inheritDoc}
   *
   * <p>An item is unknown when no prediction with its id was logged for {@code model} (an id of
   * another model is unknown too); each unknown id is listed once, in request order. It is a
   * duplicate when its prediction has a label already, including one from earlier in the same
   * request. Otherwise it is accepted.
   *
   * @throws BadInputException when an item lacks its prediction id or label
   */
  @Override
  public FeedbackResult record(String model, List<FeedbackItem> items, Instant receivedAt) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(receivedAt, "receivedAt");
    FeedbackSql.check(items);
    beforeRecord.run();
    String received = Sqlite.timestamp(receivedAt);
    synchronized (this) {
      return tx(() -> FeedbackSql.record(connection, model, items, received));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads on a connection of its own, so a monitor or a retraining run reading labels never
   * makes a feedback request wait.
   */
  @Override
  public List<LabelledPrediction> labelled(String model, int limit) {
    Objects.requireNonNull(model, "model");
    BatchedPredictionLog.checkLimit(limit);
    return Sqlite.query(
        readConnection,
        LABELLED,
        ps -> {
          ps.setString(1, model);
          ps.setInt(2, limit);
          return FeedbackSql.readAll(ps, limit);
        },
        this::readFailed);
  }

  @Override
  public List<LabelledPrediction> labelled(String model, int version, Instant since, int limit) {
    Objects.requireNonNull(model, "model");
    BatchedPredictionLog.checkLimit(limit);
    return Sqlite.query(
        readConnection,
        LABELLED_VERSION,
        ps -> {
          ps.setString(1, model);
          ps.setString(2, since == null ? "" : Sqlite.timestamp(since));
          ps.setInt(3, version);
          ps.setInt(4, limit);
          return FeedbackSql.readAll(ps, limit);
        },
        this::readFailed);
  }

  private InfrastructureException readFailed(SQLException e) {
    return new InfrastructureException(
        "reading feedback from " + file + " failed: " + e.getMessage(), e);
  }

  @Override
  public synchronized void close() {
    try {
      try {
        connection.close();
      } finally {
        synchronized (readConnection) {
          readConnection.close();
        }
      }
    } catch (SQLException e) {
      throw new InfrastructureException("closing " + file + " failed: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs work in one immediate transaction: the write lock is taken up front. */
  private <T> T tx(Work<T> work) {
    try {
      try (Statement s = connection.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
      try {
        T result = work.run();
        try (Statement s = connection.createStatement()) {
          s.execute("COMMIT");
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        try (Statement s = connection.createStatement()) {
          s.execute("ROLLBACK");
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new InfrastructureException(
          "the feedback store " + file + " failed: " + e.getMessage(), e);
    }
  }
}
