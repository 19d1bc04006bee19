package dev.flywheel.store.sql;

import dev.flywheel.core.store.SourceWatermark;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The watermark statements both metadata stores run (migration V4), plain SQL that SQLite and
 * PostgreSQL read alike. Each method runs inside the caller's transaction on the caller's
 * connection.
 */
public final class WatermarksSql {

  private WatermarksSql() {}

  /** The watermark of one model's source, if it has one. */
  public static Optional<SourceWatermark> read(Connection c, String model, String source)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT description, column_name, value, value_type, row_count, snapshot_key,"
                + " updated_at FROM watermarks WHERE model = ? AND source = ?")) {
      ps.setString(1, model);
      ps.setString(2, source);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new SourceWatermark(
                model,
                source,
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                "number".equals(rs.getString(4)),
                rs.getLong(5),
                rs.getString(6),
                Instant.parse(rs.getString(7))));
      }
    }
  }

  /**
   * Checks that a watermark moves within one model and source; call it before the transaction.
   *
   * @throws IllegalArgumentException when {@code previous} is of another model or source
   */
  public static void checkSameSource(SourceWatermark previous, SourceWatermark next) {
    if (previous != null
        && !(previous.model().equals(next.model()) && previous.source().equals(next.source()))) {
      throw new IllegalArgumentException(
          "a watermark moves within one model and source, not from "
              + previous.model()
              + "/"
              + previous.source()
              + " to "
              + next.model()
              + "/"
              + next.source());
    }
  }

  /**
   * Moves the watermark from {@code previous} (null: none yet) to {@code next}, as a
   * compare-and-set on the snapshot key: a conditional UPDATE, or an INSERT that a concurrent first
   * commit turns into a no-op.
   *
   * @return whether it moved; false when another run moved it first
   */
  public static boolean advance(Connection c, SourceWatermark previous, SourceWatermark next)
      throws SQLException {
    String sql =
        previous == null
            ? "INSERT INTO watermarks(description, column_name, value, value_type, row_count,"
                + " snapshot_key, updated_at, model, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT(model, source) DO NOTHING"
            : "UPDATE watermarks SET description = ?, column_name = ?, value = ?,"
                + " value_type = ?, row_count = ?, snapshot_key = ?, updated_at = ?"
                + " WHERE model = ? AND source = ? AND snapshot_key = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, next.description());
      ps.setString(2, next.column());
      ps.setString(3, next.value());
      ps.setString(4, next.numeric() ? "number" : "text");
      ps.setLong(5, next.rows());
      ps.setString(6, next.snapshotKey());
      ps.setString(7, next.updatedAt().toString());
      ps.setString(8, next.model());
      ps.setString(9, next.source());
      if (previous != null) {
        ps.setString(10, previous.snapshotKey());
      }
      return ps.executeUpdate() == 1;
    }
  }
}
