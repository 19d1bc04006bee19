package dev.flywheel.store.postgres;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.store.log.BatchedPredictionLog;
import dev.flywheel.store.log.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The prediction log in PostgreSQL: the {@link BatchedPredictionLog} queue and writer (shared with
 * the SQLite log) in front of the store's {@code predictions} table. Each batch is one transaction
 * on a pooled connection; with {@link Synchronous#NORMAL} it commits with {@code
 * synchronous_commit=off}. Reads take other pooled connections, so they never wait behind a batch.
 *
 * <p>Use {@code SqlitePredictionLog} when the metadata is in the workdir's SQLite file.
 */
public final class PostgresPredictionLog extends BatchedPredictionLog {

  private static final String INSERT =
      "INSERT INTO predictions(id, model, version, ts, inputs, output) VALUES (?, ?, ?, ?, ?, ?)"
          // Idempotent, so retrying a batch whose commit outcome was unclear cannot wedge the log.
          + " ON CONFLICT(id) DO NOTHING";

  private static final String RECENT =
      "SELECT id, ts, model, version, inputs, output FROM predictions WHERE model = ?"
          + " ORDER BY ts DESC, seq DESC LIMIT ?";

  private static final String RECENT_VERSION =
      "SELECT id, ts, model, version, inputs, output FROM predictions"
          + " WHERE model = ? AND ts >= ? AND version = ?"
          + " ORDER BY ts DESC, seq DESC LIMIT ?";

  private static final String FIRST =
      "SELECT ts FROM predictions WHERE model = ? AND version = ? ORDER BY ts, seq LIMIT 1";

  private final PostgresStore store;

  private PostgresPredictionLog(PostgresStore store, Settings settings) {
    super(store.url().redacted(), settings);
    this.store = store;
  }

  /** Opens the log on {@code store}'s pool and starts its writer; closing it leaves the pool. */
  public static PostgresPredictionLog open(PostgresStore store, Settings settings) {
    Objects.requireNonNull(settings, "settings");
    PostgresPredictionLog log = new PostgresPredictionLog(store, settings);
    log.start();
    return log;
  }

  @Override
  protected int[] writeBatch(List<PredictionRecord> batch) throws SQLException {
    try (Connection c = store.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        if (settings().synchronous() == Synchronous.NORMAL) {
          try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit = off");
          }
        }
        int[] counts;
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
          for (PredictionRecord r : batch) {
            insert.setString(1, r.id());
            insert.setString(2, r.model());
            insert.setInt(3, r.version());
            insert.setString(4, Timestamps.format(r.time()));
            insert.setString(5, r.inputs());
            insert.setString(6, r.output());
            insert.addBatch();
          }
          counts = insert.executeBatch();
        }
        c.commit();
        return counts;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  @Override
  protected List<PredictionRecord> readRecent(String model, int limit) {
    return read(
        RECENT,
        ps -> {
          ps.setString(1, model);
          ps.setInt(2, limit);
          return readAll(ps, limit);
        });
  }

  @Override
  protected List<PredictionRecord> readRecent(String model, int version, Instant since, int limit) {
    return read(
        RECENT_VERSION,
        ps -> {
          ps.setString(1, model);
          ps.setString(2, since == null ? "" : Timestamps.format(since));
          ps.setInt(3, version);
          ps.setInt(4, limit);
          return readAll(ps, limit);
        });
  }

  @Override
  protected Optional<Instant> readFirst(String model, int version) {
    return read(
        FIRST,
        ps -> {
          ps.setString(1, model);
          ps.setInt(2, version);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next()
                ? Optional.of(Timestamps.parse(rs.getString(1)))
                : Optional.<Instant>empty();
          }
        });
  }

  /** Work on a prepared statement. */
  @FunctionalInterface
  interface Query<T> {
    T run(PreparedStatement ps) throws SQLException;
  }

  private <T> T read(String sql, Query<T> query) {
    return read(store, sql, query, "reading the prediction log");
  }

  /** Runs one read-only statement on a pooled connection of {@code store}. */
  static <T> T read(PostgresStore store, String sql, Query<T> query, String what) {
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      return query.run(ps);
    } catch (SQLException e) {
      throw new InfrastructureException(
          what + " " + store.url().redacted() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  protected long writerStopMillis() {
    return PostgresStore.CONNECTION_TIMEOUT_MILLIS + 5_000L;
  }

  @Override
  protected void release(boolean writerStopped, RuntimeException failure) {
    // The pool belongs to the PostgresStore, which its owner closes.
  }
}
