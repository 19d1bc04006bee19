package dev.flywheel.store.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Json;
import dev.flywheel.core.store.DatasetVersion;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.core.store.SourceWatermark;
import dev.flywheel.store.StoreUrl;
import dev.flywheel.store.sql.DatasetVersionsSql;
import dev.flywheel.store.sql.WatermarksSql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata store in PostgreSQL, for teams whose CLI, servers and retraining share one database.
 * It holds the same tables as the SQLite store (db/migration/postgresql mirrors
 * db/migration/sqlite) and passes the same compatibility kit. Every public method is one
 * transaction on a pooled connection; instances are thread-safe, and several processes may use one
 * database at once.
 *
 * <p>Use {@code SqliteMetadataStore} (the default) when one machine is enough.
 */
public final class PostgresMetadataStore implements MetadataStore {

  private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};

  private final PostgresStore store;
  private final boolean ownsStore;

  /** A metadata store on {@code store}'s pool; closing it leaves the pool open. */
  public PostgresMetadataStore(PostgresStore store) {
    this(store, false);
  }

  private PostgresMetadataStore(PostgresStore store, boolean ownsStore) {
    this.store = store;
    this.ownsStore = ownsStore;
  }

  /** Connects to {@code url}, migrates it, and returns a store that closes its pool with it. */
  public static PostgresMetadataStore open(StoreUrl url) {
    return new PostgresMetadataStore(PostgresStore.open(url), true);
  }

  private static String runId(long seq) {
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
  public String createRun(String model, String specText, String specPath, Instant startedAt) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO runs(model, status, started_at, spec, spec_path)"
                      + " VALUES (?, 'running', ?, ?, ?) RETURNING seq")) {
            ps.setString(1, model);
            ps.setString(2, startedAt.toString());
            ps.setString(3, specText);
            ps.setString(4, specPath);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return runId(rs.getLong(1));
            }
          }
        });
  }

  @Override
  public void finishRun(String runId, String status, Instant finishedAt, String resultJson) {
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
  public void logParams(String runId, String scope, Map<String, ?> params) {
    tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO params(run_seq, scope, key, value) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (run_seq, scope, key) DO UPDATE SET value = excluded.value")) {
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
  public void logMetrics(String runId, String scope, Map<String, Double> metrics) {
    tx(
        c -> {
          // Delete, then insert: a replaced metric moves to the end, as SQLite's INSERT OR REPLACE
          // gives it a new rowid, so both stores list metrics in the same order.
          try (PreparedStatement delete =
                  c.prepareStatement(
                      "DELETE FROM metrics WHERE run_seq = ? AND scope = ? AND key = ?");
              PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO metrics(run_seq, scope, key, value) VALUES (?, ?, ?, ?)")) {
            for (var e : metrics.entrySet()) {
              delete.setLong(1, seq(runId));
              delete.setString(2, scope);
              delete.setString(3, e.getKey());
              delete.addBatch();
              insert.setLong(1, seq(runId));
              insert.setString(2, scope);
              insert.setString(3, e.getKey());
              insert.setDouble(4, e.getValue());
              insert.addBatch();
            }
            delete.executeBatch();
            insert.executeBatch();
          }
          return null;
        });
  }

  @Override
  public Map<String, Map<String, Double>> metrics(String runId) {
    return tx(
        c -> {
          Map<String, Map<String, Double>> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT scope, key, value FROM metrics WHERE run_seq = ? ORDER BY id")) {
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
  public Optional<RunRecord> run(String runId) {
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
  public List<RunRecord> runs(String model) {
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
  public ModelVersion registerVersion(
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
          // Two processes registering a version of one model at once would both read the same
          // MAX: a transaction-scoped lock per model makes the second wait for the first.
          try (PreparedStatement ps =
              c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('flywheel:' || ?))")) {
            ps.setString(1, model);
            ps.executeQuery().close();
          }
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
  public void setAlias(String model, String alias, int version, Instant at) {
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
  public Optional<ModelVersion> version(String model, int version) {
    return versionsWhere("v.model = ? AND v.version = ?", model, version).stream().findFirst();
  }

  @Override
  public Optional<ModelVersion> alias(String model, String alias) {
    return versionsWhere(
            "v.model = ? AND v.version = (SELECT version FROM aliases WHERE model = v.model AND"
                + " alias = ?)",
            model,
            alias)
        .stream()
        .findFirst();
  }

  @Override
  public List<ModelVersion> aliased(String alias) {
    return versionsWhere(
        "v.version = (SELECT version FROM aliases WHERE model = v.model AND alias = ?)", alias);
  }

  @Override
  public List<ModelVersion> versions(String model) {
    return model == null ? versionsWhere("1 = 1") : versionsWhere("v.model = ?", model);
  }

  private List<ModelVersion> versionsWhere(String where, Object... args) {
    return tx(
        c -> {
          String sql =
              "SELECT v.model, v.version, v.run_seq, v.bundle_key, v.data_hash, v.algorithm,"
                  + " v.candidate, v.metrics, v.created_at,"
                  + " (SELECT string_agg(alias, ',' ORDER BY alias) FROM aliases a"
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
  public Optional<SourceWatermark> watermark(String model, String source) {
    return tx(c -> WatermarksSql.read(c, model, source));
  }

  @Override
  public boolean advanceWatermark(SourceWatermark previous, SourceWatermark next) {
    WatermarksSql.checkSameSource(previous, next);
    return tx(c -> WatermarksSql.advance(c, previous, next));
  }

  @Override
  public DatasetVersion useDatasetVersion(
      String model, String runId, String hash, long rows, int columns, String profile, Instant at) {
    return tx(
        c -> {
          // As for model versions: two runs of one model adding a version at once would both read
          // the same MAX, so a transaction-scoped lock per model serialises them.
          try (PreparedStatement ps =
              c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('flywheel:data:' || ?))")) {
            ps.setString(1, model);
            ps.executeQuery().close();
          }
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
              PostgresMetadataStore::runId);
        });
  }

  @Override
  public Optional<DatasetVersion> lastDatasetVersion(String model) {
    return tx(c -> DatasetVersionsSql.last(c, model, PostgresMetadataStore::runId));
  }

  @Override
  public List<DatasetVersion> datasetVersions(String runId) {
    return tx(c -> DatasetVersionsSql.ofRun(c, seq(runId), PostgresMetadataStore::runId));
  }

  @Override
  public void close() {
    if (ownsStore) {
      store.close();
    }
  }

  /** One unit of work in a transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  private <T> T tx(Work<T> work) {
    return tx(store, "the metadata store", work);
  }

  /** Runs {@code work} in one transaction on a pooled connection of {@code store}. */
  static <T> T tx(PostgresStore store, String what, Work<T> work) {
    try (Connection c = store.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | IOException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException | IOException e) {
      throw new InfrastructureException(
          what + " " + store.url().redacted() + " failed: " + e.getMessage(), e);
    }
  }
}
