package dev.flywheel.store.sqlite;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Json;
import dev.flywheel.core.store.DatasetVersion;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.core.store.SourceWatermark;
import dev.flywheel.store.sql.DatasetVersionsSql;
import dev.flywheel.store.sql.WatermarksSql;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * The embedded metadata store: one SQLite file in WAL mode with a busy timeout, so the CLI and a
 * server can share it. Every public method is one transaction. Instances are thread-safe (calls are
 * serialised on one connection).
 *
 * <p>The schema is migrated by Flyway when a connection opens ({@link Migrations}); a file written
 * by a newer Flywheel is refused rather than misread. Use {@code PostgresMetadataStore} when
 * several machines share the metadata; both pass {@code MetadataStoreCompatibilityKit}.
 */
public final class SqliteMetadataStore implements MetadataStore {

  private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};

  private final Path file;
  private final Connection connection;

  private SqliteMetadataStore(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /** Opens (creating if needed) the store at {@code file} and migrates it to this version. */
  public static SqliteMetadataStore open(Path file) {
    return new SqliteMetadataStore(
        file, Sqlite.connect(file, SQLiteConfig.SynchronousMode.FULL, "the metadata store"));
  }

  static String runId(long seq) {
    return String.format("r-%06d", seq);
  }

  private static long seq(String runId) {
    try {
      return Long.parseLong(runId.substring(2));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  @Override
  public synchronized String createRun(
      String model, String specText, String specPath, Instant startedAt) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO runs(model, status, started_at, spec, spec_path)"
                      + " VALUES (?, 'running', ?, ?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, model);
            ps.setString(2, startedAt.toString());
            ps.setString(3, specText);
            ps.setString(4, specPath);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
              rs.next();
              return runId(rs.getLong(1));
            }
          }
        });
  }

  @Override
  public synchronized void finishRun(
      String runId, String status, Instant finishedAt, String resultJson) {
    tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE runs SET status = ?, finished_at = ?, result = ? WHERE seq = ?")) {
            ps.setString(1, status);
            ps.setString(2, finishedAt.toString());
            ps.setString(3, resultJson);
            ps.setLong(4, seq(runId));
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public synchronized void logParams(String runId, String scope, Map<String, ?> params) {
    tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO params(run_seq, scope, key, value) VALUES (?, ?, ?, ?)")) {
            for (var e : params.entrySet()) {
              ps.setLong(1, seq(runId));
              ps.setString(2, scope);
              ps.setString(3, e.getKey());
              ps.setString(4, String.valueOf(e.getValue()));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public synchronized void logMetrics(String runId, String scope, Map<String, Double> metrics) {
    tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO metrics(run_seq, scope, key, value) VALUES (?, ?, ?, ?)")) {
            for (var e : metrics.entrySet()) {
              ps.setLong(1, seq(runId));
              ps.setString(2, scope);
              ps.setString(3, e.getKey());
              ps.setDouble(4, e.getValue());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public synchronized Map<String, Map<String, Double>> metrics(String runId) {
    return tx(
        c -> {
          Map<String, Map<String, Double>> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT scope, key, value FROM metrics WHERE run_seq = ? ORDER BY rowid")) {
            ps.setLong(1, seq(runId));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                    .put(rs.getString(2), rs.getDouble(3));
              }
            }
          }
          return out;
        });
  }

  @Override
  public synchronized Optional<RunRecord> run(String runId) {
    return tx(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(RUN_SELECT + " WHERE seq = ?")) {
            ps.setLong(1, seq(runId));
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(run(rs)) : Optional.<RunRecord>empty();
            }
          }
        });
  }

  @Override
  public synchronized List<RunRecord> runs(String model) {
    return tx(
        c -> {
          String sql =
              RUN_SELECT + (model == null ? "" : " WHERE model = ?") + " ORDER BY seq DESC";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (model != null) {
              ps.setString(1, model);
            }
            List<RunRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(run(rs));
              }
            }
            return out;
          }
        });
  }

  private static final String RUN_SELECT =
      "SELECT seq, model, status, started_at, finished_at, spec, result, spec_path FROM runs";

  private static RunRecord run(ResultSet rs) throws SQLException {
    String finished = rs.getString(5);
    return new RunRecord(
        runId(rs.getLong(1)),
        rs.getString(2),
        rs.getString(3),
        Instant.parse(rs.getString(4)),
        finished == null ? null : Instant.parse(finished),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8));
  }

  @Override
  public synchronized ModelVersion registerVersion(
      String model,
      String runId,
      String bundleKey,
      String dataHash,
      String algorithm,
      String candidate,
      Map<String, Double> metrics,
      Instant createdAt) {
    return tx(
        c -> {
          int next;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE model = ?")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              next = rs.getInt(1);
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO model_versions(model, version, run_seq, bundle_key, data_hash,"
                      + " algorithm, candidate, metrics, created_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, model);
            ps.setInt(2, next);
            ps.setLong(3, seq(runId));
            ps.setString(4, bundleKey);
            ps.setString(5, dataHash);
            ps.setString(6, algorithm);
            ps.setString(7, candidate);
            ps.setString(8, Json.mapper().writeValueAsString(metrics));
            ps.setString(9, createdAt.toString());
            ps.executeUpdate();
          }
          return new ModelVersion(
              model, next, runId, bundleKey, dataHash, algorithm, candidate, metrics, createdAt,
              List.of());
        });
  }

  @Override
  public synchronized void setAlias(String model, String alias, int version, Instant at) {
    tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO aliases(model, alias, version, updated_at) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT(model, alias) DO UPDATE SET version = excluded.version,"
                      + " updated_at = excluded.updated_at")) {
            ps.setString(1, model);
            ps.setString(2, alias);
            ps.setInt(3, version);
            ps.setString(4, at.toString());
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public synchronized Optional<ModelVersion> version(String model, int version) {
    return versionsWhere("v.model = ? AND v.version = ?", model, version).stream().findFirst();
  }

  @Override
  public synchronized Optional<ModelVersion> alias(String model, String alias) {
    return versionsWhere(
            "v.model = ? AND v.version = (SELECT version FROM aliases WHERE model = v.model AND"
                + " alias = ?)",
            model,
            alias)
        .stream()
        .findFirst();
  }

  @Override
  public synchronized List<ModelVersion> aliased(String alias) {
    return versionsWhere(
        "v.version = (SELECT version FROM aliases WHERE model = v.model AND alias = ?)", alias);
  }

  @Override
  public synchronized List<ModelVersion> versions(String model) {
    return model == null ? versionsWhere("1 = 1") : versionsWhere("v.model = ?", model);
  }

  private List<ModelVersion> versionsWhere(String where, Object... args) {
    return tx(
        c -> {
          String sql =
              "SELECT v.model, v.version, v.run_seq, v.bundle_key, v.data_hash, v.algorithm,"
                  + " v.candidate, v.metrics, v.created_at,"
                  + " (SELECT group_concat(alias, ',') FROM aliases a"
                  + "  WHERE a.model = v.model AND a.version = v.version)"
                  + " FROM model_versions v WHERE "
                  + where
                  + " ORDER BY v.model, v.version";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              ps.setObject(i + 1, args[i]);
            }
            List<ModelVersion> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String aliases = rs.getString(10);
                out.add(
                    new ModelVersion(
                        rs.getString(1),
                        rs.getInt(2),
                        runId(rs.getLong(3)),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        Json.mapper().readValue(rs.getString(8), METRICS),
                        Instant.parse(rs.getString(9)),
                        aliases == null ? List.of() : List.of(aliases.split(","))));
              }
            }
            return out;
          }
        });
  }

  @Override
  public synchronized Optional<SourceWatermark> watermark(String model, String source) {
    return tx(c -> WatermarksSql.read(c, model, source));
  }

  @Override
  public synchronized boolean advanceWatermark(SourceWatermark previous, SourceWatermark next) {
    WatermarksSql.checkSameSource(previous, next);
    return tx(c -> WatermarksSql.advance(c, previous, next));
  }

  @Override
  public synchronized DatasetVersion useDatasetVersion(
      String model, String runId, String hash, long rows, int columns, String profile, Instant at) {
    return tx(
        c -> {
          return DatasetVersionsSql.use(
              c,
              model,
              runId,
              seq(runId),
              hash,
              rows,
              columns,
              profile,
              at,
              SqliteMetadataStore::runId);
        });
  }

  @Override
  public synchronized Optional<DatasetVersion> lastDatasetVersion(String model) {
    return tx(c -> DatasetVersionsSql.last(c, model, SqliteMetadataStore::runId));
  }

  @Override
  public synchronized List<DatasetVersion> datasetVersions(String runId) {
    return tx(c -> DatasetVersionsSql.ofRun(c, seq(runId), SqliteMetadataStore::runId));
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new InfrastructureException("closing " + file + " failed: " + e.getMessage(), e);
    }
  }

  /** One unit of work on the connection. */
  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  /**
   * Runs work in one immediate transaction (it takes the write lock up front, so two processes
   * never deadlock upgrading a read lock).
   */
  private <T> T tx(Work<T> work) {
    try {
      try (Statement s = connection.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
      try {
        T result = work.run(connection);
        try (Statement s = connection.createStatement()) {
          s.execute("COMMIT");
        }
        return result;
      } catch (SQLException | IOException | RuntimeException e) {
        try (Statement s = connection.createStatement()) {
          s.execute("ROLLBACK");
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException | IOException e) {
      throw new InfrastructureException(
          "the metadata store " + file + " failed: " + e.getMessage(), e);
    }
  }
}
