package dev.flywheel.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.core.store.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store beyond {@code MetadataStoreCompatibilityKit} (which SQLite runs too): its file
 * (WAL, concurrent writers, a newer or foreign file, folders) and finer points of the registry.
 */
class SqliteMetadataStoreTest {

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456789Z");

  @TempDir Path dir;
  private Path file;
  private SqliteMetadataStore store;

  @BeforeEach
  void open() {
    file = dir.resolve("flywheel.db");
    store = SqliteMetadataStore.open(file);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static ModelVersion register(MetadataStore s, String model, String runId) {
    return s.registerVersion(
        model,
        runId,
        "models/" + model + "/bundle.zip",
        "sha256:0",
        "baseline",
        "baseline",
        Map.of("accuracy", 0.5),
        T0);
  }

  @Test
  void recordsARunAndItsFinish() {
    String id = store.createRun("churn", "name: churn\ntask: classification\n", T0);

    RunRecord running = store.run(id).orElseThrow();
    assertThat(running.status()).isEqualTo("running");
    assertThat(running.model()).isEqualTo("churn");
    assertThat(running.startedAt()).isEqualTo(T0);
    assertThat(running.finishedAt()).isNull();
    assertThat(running.resultJson()).isNull();
    assertThat(running.specText()).isEqualTo("name: churn\ntask: classification\n");

    store.finishRun(id, "succeeded", T0.plusSeconds(90), "{\"run_id\": \"" + id + "\"}");

    RunRecord done = store.run(id).orElseThrow();
    assertThat(done.status()).isEqualTo("succeeded");
    assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(90));
    assertThat(done.resultJson()).isEqualTo("{\"run_id\": \"r-000001\"}");
  }

  @Test
  void recordsMetricsByScopeAndReplacesARepeatedKey() {
    String id = store.createRun("a", "", T0);
    Map<String, Double> validation = new LinkedHashMap<>();
    validation.put("auc", 0.91);
    validation.put("accuracy", 0.85);

    store.logMetrics(id, "gbt#1/validation", validation);
    store.logMetrics(id, "test", Map.of("auc", 0.9));
    store.logMetrics(id, "test", Map.of("auc", 0.89));

    Map<String, Map<String, Double>> metrics = store.metrics(id);
    assertThat(metrics.keySet()).containsExactly("gbt#1/validation", "test");
    assertThat(metrics.get("gbt#1/validation"))
        .containsExactly(Map.entry("auc", 0.91), Map.entry("accuracy", 0.85));
    assertThat(metrics.get("test")).containsExactly(Map.entry("auc", 0.89));
    assertThat(store.metrics(store.createRun("a", "", T0))).isEmpty();
  }

  @Test
  void recordsParamsAsText() throws Exception {
    String id = store.createRun("a", "", T0);

    store.logParams(id, "gbt#1", Map.of("rounds", 200, "eta", 0.1, "booster", "gbtree"));

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT scope, key, value FROM params ORDER BY key")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getString(2) + "=" + rs.getString(3));
      }
      assertThat(rows).containsExactly("gbt#1 booster=gbtree", "gbt#1 eta=0.1", "gbt#1 rounds=200");
    }
  }

  @Test
  void numbersVersionsPerModel() {
    String run = store.createRun("a", "", T0);

    ModelVersion a1 = register(store, "a", run);
    ModelVersion a2 = register(store, "a", run);
    ModelVersion b1 = register(store, "b", run);

    assertThat(a1.version()).isEqualTo(1);
    assertThat(a2.version()).isEqualTo(2);
    assertThat(b1.version()).isEqualTo(1);
  }

  @Test
  void readsBackARegisteredVersion() {
    String run = store.createRun("a", "", T0);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("rmse", 71_000.5);
    metrics.put("r2", 0.62);

    ModelVersion registered =
        store.registerVersion(
            "a", run, "models/a/r-000001/bundle.zip", "sha256:abc", "xgboost", "gbt", metrics, T0);

    ModelVersion read = store.version("a", 1).orElseThrow();
    assertThat(read).isEqualTo(registered);
    assertThat(read.runId()).isEqualTo(run);
    assertThat(read.metrics()).containsExactly(Map.entry("rmse", 71_000.5), Map.entry("r2", 0.62));
    assertThat(read.createdAt()).isEqualTo(T0);
    assertThat(read.aliases()).isEmpty();
    assertThat(store.version("a", 2)).isEmpty();
    assertThat(store.version("b", 1)).isEmpty();
  }

  @Test
  void movesTheProductionAliasFromOneVersionToAnother() {
    String run = store.createRun("a", "", T0);
    register(store, "a", run);
    register(store, "a", run);
    register(store, "b", run);

    store.setAlias("a", MetadataStore.PRODUCTION, 1, T0);
    store.setAlias("b", MetadataStore.PRODUCTION, 1, T0);
    assertThat(store.alias("a", MetadataStore.PRODUCTION)).map(ModelVersion::version).contains(1);

    store.setAlias("a", MetadataStore.PRODUCTION, 2, T0.plusSeconds(1));

    assertThat(store.alias("a", MetadataStore.PRODUCTION)).map(ModelVersion::version).contains(2);
    assertThat(store.version("a", 1).orElseThrow().aliases()).isEmpty();
    assertThat(store.version("a", 2).orElseThrow().aliases()).containsExactly("production");
    assertThat(store.alias("b", MetadataStore.PRODUCTION)).map(ModelVersion::version).contains(1);
  }

  @Test
  void listsTheVersionAnAliasPointsAtForEveryModel() {
    String run = store.createRun("a", "", T0);
    register(store, "a", run);
    register(store, "a", run);
    register(store, "b", run);
    register(store, "c", run);
    store.setAlias("a", MetadataStore.PRODUCTION, 2, T0);
    store.setAlias("c", MetadataStore.PRODUCTION, 1, T0);
    store.setAlias("b", "canary", 1, T0);

    assertThat(store.aliased(MetadataStore.PRODUCTION))
        .extracting(v -> v.model() + v.version())
        .containsExactly("a2", "c1");
    assertThat(store.aliased("canary")).extracting(ModelVersion::model).containsExactly("b");
    assertThat(store.aliased("staging")).isEmpty();
  }

  @Test
  void listsEveryAliasOfAVersion() {
    String run = store.createRun("a", "", T0);
    register(store, "a", run);
    store.setAlias("a", "production", 1, T0);
    store.setAlias("a", "canary", 1, T0);

    assertThat(store.version("a", 1).orElseThrow().aliases())
        .containsExactlyInAnyOrder("production", "canary");
    assertThat(store.alias("a", "canary")).map(ModelVersion::version).contains(1);
  }

  @Test
  void findsNoVersionForAnUnsetAlias() {
    String run = store.createRun("a", "", T0);
    register(store, "a", run);

    assertThat(store.alias("a", MetadataStore.PRODUCTION)).isEmpty();
    assertThat(store.alias("nobody", MetadataStore.PRODUCTION)).isEmpty();
  }

  @Test
  void twoStoresOnOneFileSeeEachOthersWrites() {
    try (SqliteMetadataStore server = SqliteMetadataStore.open(file)) {
      String run = store.createRun("a", "", T0);
      register(store, "a", run);
      assertThat(server.run(run)).isPresent();
      assertThat(server.versions("a")).hasSize(1);

      ModelVersion v2 = register(server, "a", run);
      server.setAlias("a", MetadataStore.PRODUCTION, v2.version(), T0);

      assertThat(v2.version()).isEqualTo(2);
      assertThat(store.alias("a", MetadataStore.PRODUCTION)).map(ModelVersion::version).contains(2);
    }
  }

  @Test
  void twoStoresOnOneFileCanWriteConcurrentlyWithoutLockErrors() throws Exception {
    String run = store.createRun("a", "", T0);
    int perWriter = 50;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (SqliteMetadataStore other = SqliteMetadataStore.open(file)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Integer>>> results = new ArrayList<>();
      for (MetadataStore s : List.of(store, other)) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Integer> versions = new ArrayList<>();
                  for (int i = 0; i < perWriter; i++) {
                    versions.add(register(s, "a", run).version());
                    if (i % 10 == 0) {
                      s.logMetrics(
                          run, "writer" + System.identityHashCode(s), Map.of("i", (double) i));
                    }
                  }
                  return versions;
                }));
      }
      start.countDown();
      List<Integer> all = new ArrayList<>();
      for (Future<List<Integer>> f : results) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }

      assertThat(all).hasSize(2 * perWriter).doesNotHaveDuplicates();
      assertThat(store.versions("a"))
          .extracting(ModelVersion::version)
          .containsExactlyElementsOf(
              java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void storesOpenedAtTheSameTimeOnANewFileBothWork() throws Exception {
    Path fresh = dir.resolve("fresh.db");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  try (SqliteMetadataStore s = SqliteMetadataStore.open(fresh)) {
                    return s.createRun("a", "", T0);
                  }
                }));
      }
      start.countDown();
      List<String> ids = new ArrayList<>();
      for (Future<String> f : runs) {
        ids.add(f.get(60, TimeUnit.SECONDS));
      }

      assertThat(ids).containsExactlyInAnyOrder("r-000001", "r-000002", "r-000003", "r-000004");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void usesWriteAheadLogging() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void refusesADatabaseFromANewerFlywheel() throws Exception {
    store.close();
    Path newer = dir.resolve("newer.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE future (x INTEGER)");
      s.execute("PRAGMA user_version = 99");
    }

    assertThatThrownBy(() -> SqliteMetadataStore.open(newer))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining(newer.toString())
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("Upgrade Flywheel");

    // The refused file is left as it was, and no connection to it stays open.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      assertThat(rs.getInt(1)).isEqualTo(99);
    }
    assertThat(dir.resolve("newer.db-wal")).doesNotExist();
    store = SqliteMetadataStore.open(file);
  }

  @Test
  void refusesAFileThatIsNotADatabase() throws Exception {
    Path junk = dir.resolve("junk.db");
    Files.writeString(
        junk, "this is not a database, it is a text file that is long enough".repeat(20));

    assertThatThrownBy(() -> SqliteMetadataStore.open(junk))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining(junk.toString());
  }

  @Test
  void createsTheFolderOfANewDatabase() {
    Path nested = dir.resolve("a/b/c/flywheel.db");

    try (SqliteMetadataStore s = SqliteMetadataStore.open(nested)) {
      assertThat(s.createRun("a", "", T0)).isEqualTo("r-000001");
    }
    assertThat(nested).isRegularFile();
  }
}
