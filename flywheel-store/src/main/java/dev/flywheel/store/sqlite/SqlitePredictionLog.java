package dev.flywheel.store.sqlite;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.store.log.BatchedPredictionLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The embedded prediction log: the {@link BatchedPredictionLog} queue and writer in front of the
 * {@code predictions} table of the workdir's SQLite file. The writer owns one connection (its
 * {@code synchronous} setting is {@link Settings#synchronous()}); reads use a second one, so they
 * never wait behind a batch. Each batch is one {@code BEGIN IMMEDIATE} transaction.
 *
 * <p>Use {@code PostgresPredictionLog} when the workdir's metadata lives in PostgreSQL.
 */
public final class SqlitePredictionLog extends BatchedPredictionLog {

  private static final Logger LOG = LoggerFactory.getLogger(SqlitePredictionLog.class);

  private static final String INSERT =
      "INSERT INTO predictions(id, model, version, ts, inputs, output) VALUES (?, ?, ?, ?, ?, ?)"
          // Idempotent, so retrying a batch whose commit outcome was unclear cannot wedge the log.
          + " ON CONFLICT(id) DO NOTHING";

  private static final String RECENT =
      "SELECT id, ts, model, version, inputs, output FROM predictions WHERE model = ?"
          + " ORDER BY ts DESC, rowid DESC LIMIT ?";

  // The same backwards scan of predictions_model_ts, from the newest row down to `since`, keeping
  // one version's rows. Its cost is the rows scanned: `limit` when the version made the newest
  // predictions, but every row back to `since` when the version has fewer than `limit` (a version
  // promoted a moment ago); hence the bound. An empty `since` ('') is below every timestamp.
  private static final String RECENT_VERSION =
      "SELECT id, ts, model, version, inputs, output FROM predictions"
          + " WHERE model = ? AND ts >= ? AND version = ?"
          + " ORDER BY ts DESC, rowid DESC LIMIT ?";

  // A forwards scan of predictions_model_ts from the model's oldest row to the version's first.
  private static final String FIRST =
      "SELECT ts FROM predictions WHERE model = ? AND version = ? ORDER BY ts, rowid LIMIT 1";

  private final Path file;
  private final Connection writeConnection; // the writer thread's alone after start()
  private final Connection readConnection; // guarded by itself
  private PreparedStatement insert; // the writer thread's

  private SqlitePredictionLog(
      Path file, Settings settings, Connection writeConnection, Connection readConnection) {
    super(file.toString(), settings);
    this.file = file;
    this.writeConnection = writeConnection;
    this.readConnection = readConnection;
  }

  /** Opens the log in {@code file} (the workdir's {@code flywheel.db}) with default settings. */
  public static SqlitePredictionLog open(Path file) {
    return open(file, Settings.defaults());
  }

  /** Opens the log with default settings but this capacity. */
  public static SqlitePredictionLog open(Path file, int capacity) {
    return open(file, Settings.defaults().withCapacity(capacity));
  }

  /** Opens the log, creating and migrating the database if needed, and starts its writer. */
  public static SqlitePredictionLog open(Path file, Settings settings) {
    Objects.requireNonNull(settings, "settings");
    Sqlite.Connections c =
        Sqlite.connectPair(
            file,
            settings.synchronous() == Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL
                : SQLiteConfig.SynchronousMode.NORMAL,
            "the prediction log");
    SqlitePredictionLog log = new SqlitePredictionLog(file, settings, c.write(), c.read());
    log.start();
    return log;
  }

  @Override
  protected int[] writeBatch(List<PredictionRecord> batch) throws SQLException {
    if (insert == null) {
      insert = writeConnection.prepareStatement(INSERT);
    }
    try {
      try (Statement s = writeConnection.createStatement()) {
        // IMMEDIATE takes the write lock up front: no deadlock with another process's reader
        // upgrading, and SQLITE_BUSY surfaces here, before any work.
        s.execute("BEGIN IMMEDIATE");
      }
      for (PredictionRecord r : batch) {
        insert.setString(1, r.id());
        insert.setString(2, r.model());
        insert.setInt(3, r.version());
        insert.setString(4, Sqlite.timestamp(r.time()));
        insert.setString(5, r.inputs());
        insert.setString(6, r.output());
        insert.addBatch();
      }
      int[] counts;
      try {
        counts = insert.executeBatch();
      } finally {
        insert.clearBatch();
      }
      try (Statement s = writeConnection.createStatement()) {
        s.execute("COMMIT");
      }
      return counts;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      throw e;
    }
  }

  private void rollbackQuietly() {
    try (Statement s = writeConnection.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      // "no transaction is active": BEGIN itself failed, or SQLite already rolled back.
    }
  }

  @Override
  protected List<PredictionRecord> readRecent(String model, int limit) {
    return Sqlite.query(
        readConnection,
        RECENT,
        ps -> {
          ps.setString(1, model);
          ps.setInt(2, limit);
          return readAll(ps, limit);
        },
        this::readFailed);
  }

  @Override
  protected List<PredictionRecord> readRecent(String model, int version, Instant since, int limit) {
    return Sqlite.query(
        readConnection,
        RECENT_VERSION,
        ps -> {
          ps.setString(1, model);
          ps.setString(2, since == null ? "" : Sqlite.timestamp(since));
          ps.setInt(3, version);
          ps.setInt(4, limit);
          return readAll(ps, limit);
        },
        this::readFailed);
  }

  @Override
  protected Optional<Instant> readFirst(String model, int version) {
    return Sqlite.query(
        readConnection,
        FIRST,
        ps -> {
          ps.setString(1, model);
          ps.setInt(2, version);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Sqlite.instant(rs.getString(1))) : Optional.empty();
          }
        },
        this::readFailed);
  }

  private InfrastructureException readFailed(SQLException e) {
    return new InfrastructureException(
        "reading the prediction log " + file + " failed: " + e.getMessage(), e);
  }

  @Override
  protected long writerStopMillis() {
    return Sqlite.BUSY_TIMEOUT_MILLIS + 5_000L;
  }

  @Override
  protected void release(boolean writerStopped, RuntimeException failure) {
    synchronized (readConnection) {
      closeQuietly(readConnection, failure);
    }
    if (writerStopped) {
      closeQuietly(writeConnection, failure);
    }
  }

  private static void closeQuietly(Connection c, Throwable failure) {
    try {
      c.close();
    } catch (SQLException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        LOG.warn("closing a prediction log connection failed: {}", e.toString());
      }
    }
  }
}
