package dev.flywheel.store.sql;

import dev.flywheel.core.store.DatasetVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The dataset-version statements both metadata stores run (migration V5): plain SQL that SQLite and
 * PostgreSQL read alike. Each method runs inside the caller's transaction on the caller's
 * connection; the store decides how runs are numbered ({@code runIdOf}) and how concurrent writers
 * are serialised.
 */
public final class DatasetVersionsSql {

  private static final String SELECT =
      "SELECT d.model, d.version, d.hash, d.row_count, d.column_count, d.profile, d.run_seq,"
          + " d.created_at FROM dataset_versions d";

  private DatasetVersionsSql() {}

  /**
   * The model's version with this content hash, first written now if there is none, and recorded as
   * used by the run. Recording the same use twice is harmless.
   */
  public static DatasetVersion use(
      Connection c,
      String model,
      String runId,
      long runSeq,
      String hash,
      long rows,
      int columns,
      String profile,
      Instant at,
      LongFunction<String> runIdOf)
      throws SQLException {
    Optional<DatasetVersion> existing =
        where(c, "d.model = ? AND d.hash = ?", runIdOf, model, hash).stream().findFirst();
    DatasetVersion version;
    if (existing.isPresent()) {
      version = existing.get();
    } else {
      int next;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT COALESCE(MAX(version), 0) + 1 FROM dataset_versions WHERE model = ?")) {
        ps.setString(1, model);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          next = rs.getInt(1);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO dataset_versions(model, version, hash, row_count, column_count,"
                  + " profile, run_seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, model);
        ps.setInt(2, next);
        ps.setString(3, hash);
        ps.setLong(4, rows);
        ps.setInt(5, columns);
        ps.setString(6, profile);
        ps.setLong(7, runSeq);
        ps.setString(8, at.toString());
        ps.executeUpdate();
      }
      version = new DatasetVersion(model, next, hash, rows, columns, profile, runId, at);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO run_datasets(run_seq, model, version) VALUES (?, ?, ?)"
                + " ON CONFLICT(run_seq, model, version) DO NOTHING")) {
      ps.setLong(1, runSeq);
      ps.setString(2, model);
      ps.setInt(3, version.version());
      ps.executeUpdate();
    }
    return version;
  }

  /** The version the model's most recent recorded run used, if any. */
  public static Optional<DatasetVersion> last(
      Connection c, String model, LongFunction<String> runIdOf) throws SQLException {
    return where(
            c,
            "d.model = ? AND d.version = (SELECT r.version FROM run_datasets r"
                + " WHERE r.model = d.model ORDER BY r.run_seq DESC LIMIT 1)",
            runIdOf,
            model)
        .stream()
        .findFirst();
  }

  /** The versions a run used, by model and version. */
  public static List<DatasetVersion> ofRun(Connection c, long runSeq, LongFunction<String> runIdOf)
      throws SQLException {
    List<DatasetVersion> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            SELECT
                + " JOIN run_datasets r ON r.model = d.model AND r.version = d.version"
                + " WHERE r.run_seq = ? ORDER BY r.model, r.version")) {
      ps.setLong(1, runSeq);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs, runIdOf));
        }
      }
    }
    return out;
  }

  private static List<DatasetVersion> where(
      Connection c, String where, LongFunction<String> runIdOf, Object... args)
      throws SQLException {
    List<DatasetVersion> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(SELECT + " WHERE " + where + " ORDER BY d.version")) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs, runIdOf));
        }
      }
    }
    return out;
  }

  private static DatasetVersion read(ResultSet rs, LongFunction<String> runIdOf)
      throws SQLException {
    return new DatasetVersion(
        rs.getString(1),
        rs.getInt(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getInt(5),
        rs.getString(6),
        runIdOf.apply(rs.getLong(7)),
        Instant.parse(rs.getString(8)));
  }
}
