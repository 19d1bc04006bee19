package dev.flywheel.store.sqlite;

import dev.flywheel.core.serving.PredictionRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** Realistic prediction records and raw access to the database file, for the store's tests. */
final class Predictions {

  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private Predictions() {}

  /** A ULID-shaped (26 characters) id that sorts with {@code n}. */
  static String id(long n) {
    return String.format("01JDX%021d", n);
  }

  /** A churn-like prediction with about 150 bytes of input JSON, made {@code n} ms after T0. */
  static PredictionRecord record(String model, long n) {
    return record(model, n, T0.plusMillis(n));
  }

  static PredictionRecord record(String model, long n, Instant time) {
    String inputs =
        String.format(
            "{\"tenure\": %d, \"monthly_charges\": %.2f, \"total_charges\": %.2f, \"plan\": \"%s\","
                + " \"region\": \"%s\", \"contract\": \"month-to-month\", \"paperless\": %b}",
            n % 72,
            20 + (n % 1000) / 10.0,
            (n % 72) * (20 + (n % 1000) / 10.0),
            n % 3 == 0 ? "basic" : n % 3 == 1 ? "plus" : "pro",
            n % 2 == 0 ? "west" : "east",
            n % 2 == 0);
    double p = (n % 100) / 100.0;
    String output =
        String.format(
            "{\"label\": \"%d\", \"probabilities\": {\"0\": %.2f, \"1\": %.2f}}",
            p >= 0.5 ? 1 : 0, 1 - p, p);
    return new PredictionRecord(id(n), time, model, 3, inputs, output);
  }

  /** A plain connection to the file, as another process would open it. */
  static Connection connect(Path file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 15000");
    }
    return c;
  }

  static long count(Path file, String sql) throws SQLException {
    try (Connection c = connect(file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Holds SQLite's write lock on the file from another connection, so the log's writer stalls as it
   * would behind another process's long transaction.
   */
  static final class WriteLock implements AutoCloseable {
    private final Connection connection;
    private boolean held;

    WriteLock(Path file) throws SQLException {
      connection = connect(file);
      try (Statement s = connection.createStatement()) {
        s.execute("BEGIN EXCLUSIVE");
      }
      held = true;
    }

    void release() throws SQLException {
      if (held) {
        held = false;
        try (Statement s = connection.createStatement()) {
          s.execute("COMMIT");
        }
      }
    }

    @Override
    public void close() throws SQLException {
      release();
      connection.close();
    }
  }
}
