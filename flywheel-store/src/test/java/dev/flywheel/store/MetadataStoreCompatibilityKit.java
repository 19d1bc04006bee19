package dev.flywheel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.store.DatasetVersion;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.core.store.SourceWatermark;
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

/**
 * The contract every {@link MetadataStore} keeps, run against each backend (as Micrometer's
 * registries share one kit): a subclass gives fresh, empty storage per test and opens stores on it.
 * SQLite and PostgreSQL both pass it unchanged.
 */
public abstract class MetadataStoreCompatibilityKit {

  protected static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456789Z");

  protected MetadataStore store;

  /** Makes fresh, empty storage for one test. */
  protected abstract void createStorage() throws Exception;

  /** Opens a store on this test's storage; several may be open at once. */
  protected abstract MetadataStore open();

  /** Removes this test's storage. */
  protected abstract void dropStorage() throws Exception;

  /**
   * Marks the storage as written by a Flywheel whose schema is version 99, as a newer Flywheel
   * would leave it; {@link #open()} must then refuse it.
   */
  protected abstract void makeSchemaNewer() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    createStorage();
    store = open();
  }

  @AfterEach
  void closeStore() throws Exception {
    try {
      if (store != null) {
        store.close();
      }
    } finally {
      dropStorage();
    }
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

  private static SourceWatermark watermark(String value, long rows, String key) {
    return new SourceWatermark(
        "loans", "s-0123456789abcdef", "loans.db (query)", "id", value, true, rows, key, T0);
  }

  @Test
  void datasetVersionsAreNumberedPerModelAndAKnownHashIsReused() {
    String r1 = store.createRun("loans", "spec", T0);
    String r2 = store.createRun("loans", "spec", T0);
    String r3 = store.createRun("loans", "spec", T0);
    String r4 = store.createRun("other", "spec", T0);
    assertThat(store.lastDatasetVersion("loans")).isEmpty();

    DatasetVersion v1 = store.useDatasetVersion("loans", r1, "sha256:aa", 100, 4, "{\"p\":1}", T0);
    assertThat(v1)
        .isEqualTo(new DatasetVersion("loans", 1, "sha256:aa", 100, 4, "{\"p\":1}", r1, T0));

    DatasetVersion v2 =
        store.useDatasetVersion("loans", r2, "sha256:bb", 120, 4, "{\"p\":2}", T0.plusSeconds(1));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(store.lastDatasetVersion("loans")).contains(v2);

    // The data went back to what r1 saw: its version is reused as first written.
    DatasetVersion again =
        store.useDatasetVersion("loans", r3, "sha256:aa", 999, 9, "{\"p\":3}", T0.plusSeconds(2));
    assertThat(again).isEqualTo(v1);
    assertThat(store.lastDatasetVersion("loans")).contains(v1);

    // Versions are numbered per model, even for the same content.
    DatasetVersion other = store.useDatasetVersion("other", r4, "sha256:aa", 100, 4, "{}", T0);
    assertThat(other.version()).isEqualTo(1);
    assertThat(other.runId()).isEqualTo(r4);

    assertThat(store.datasetVersions(r1)).containsExactly(v1);
    assertThat(store.datasetVersions(r2)).containsExactly(v2);
    assertThat(store.datasetVersions(r3)).containsExactly(v1);
    // Recording the same use twice is harmless.
    store.useDatasetVersion("loans", r3, "sha256:aa", 100, 4, "{}", T0);
    assertThat(store.datasetVersions(r3)).containsExactly(v1);
  }

  @Test
  void numbersRunsFromOne() {
    assertThat(store.createRun("a", "name: a", T0)).isEqualTo("r-000001");
    assertThat(store.createRun("b", "name: b", T0)).isEqualTo("r-000002");
    assertThat(store.createRun("a", "name: a", T0)).isEqualTo("r-000003");
  }

  @Test
  void recordsARunAndItsFinishToTheNanosecond() {
    String id = store.createRun("churn", "name: churn\ntask: classification\n", "/p/f.yaml", T0);

    RunRecord running = store.run(id).orElseThrow();
    assertThat(running.status()).isEqualTo("running");
    assertThat(running.model()).isEqualTo("churn");
    assertThat(running.startedAt()).isEqualTo(T0);
    assertThat(running.finishedAt()).isNull();
    assertThat(running.resultJson()).isNull();
    assertThat(running.specText()).isEqualTo("name: churn\ntask: classification\n");
    assertThat(running.specPath()).isEqualTo("/p/f.yaml");

    store.finishRun(id, "succeeded", T0.plusMillis(1500), "{\"version\":1}");

    RunRecord done = store.run(id).orElseThrow();
    assertThat(done.status()).isEqualTo("succeeded");
    assertThat(done.finishedAt()).isEqualTo(T0.plusMillis(1500));
    assertThat(done.resultJson()).isEqualTo("{\"version\":1}");
  }

  @Test
  void findsNoRunForAnUnknownOrMalformedId() {
    assertThat(store.run("r-000042")).isEmpty();
    assertThat(store.run("nonsense")).isEmpty();
  }

  @Test
  void listsRunsNewestFirstPerModelOrAll() {
    String a1 = store.createRun("a", "", T0);
    String b1 = store.createRun("b", "", T0);
    String a2 = store.createRun("a", "", T0);

    assertThat(store.runs("a")).extracting(RunRecord::runId).containsExactly(a2, a1);
    assertThat(store.runs(null)).extracting(RunRecord::runId).containsExactly(a2, b1, a1);
    assertThat(store.runs("c")).isEmpty();
  }

  @Test
  void recordsMetricsByScopeInOrderAndReplacesARepeatedKey() {
    String id = store.createRun("a", "", T0);
    Map<String, Double> validation = new LinkedHashMap<>();
    validation.put("auc", 0.91);
    validation.put("accuracy", 0.85);

    store.logMetrics(id, "gbt#1/validation", validation);
    store.logMetrics(id, "test", Map.of("auc", 0.9));
    store.logMetrics(id, "test", Map.of("auc", 0.89));
    store.logParams(id, "gbt#1", Map.of("rounds", 200, "eta", 0.1));
    store.logParams(id, "gbt#1", Map.of("rounds", 300));

    Map<String, Map<String, Double>> metrics = store.metrics(id);
    assertThat(metrics.keySet()).containsExactly("gbt#1/validation", "test");
    assertThat(metrics.get("gbt#1/validation"))
        .containsExactly(Map.entry("auc", 0.91), Map.entry("accuracy", 0.85));
    assertThat(metrics.get("test")).containsExactly(Map.entry("auc", 0.89));
    assertThat(store.metrics(store.createRun("a", "", T0))).isEmpty();
  }

  @Test
  void numbersVersionsPerModelAndReadsThemBack() {
    String run = store.createRun("a", "", T0);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("rmse", 71_000.5);
    metrics.put("r2", 0.62);

    ModelVersion a1 =
        store.registerVersion(
            "a", run, "models/a/r-000001/bundle.zip", "sha256:abc", "xgboost", "gbt", metrics, T0);
    ModelVersion a2 = register(store, "a", run);
    ModelVersion b1 = register(store, "b", run);

    assertThat(List.of(a1.version(), a2.version(), b1.version())).containsExactly(1, 2, 1);
    ModelVersion read = store.version("a", 1).orElseThrow();
    assertThat(read).isEqualTo(a1);
    assertThat(read.metrics()).containsExactly(Map.entry("rmse", 71_000.5), Map.entry("r2", 0.62));
    assertThat(read.createdAt()).isEqualTo(T0);
    assertThat(read.aliases()).isEmpty();
    assertThat(store.version("a", 3)).isEmpty();
    assertThat(store.version("c", 1)).isEmpty();
  }

  @Test
  void listsVersionsOldestFirst() {
    String run = store.createRun("a", "", T0);
    register(store, "b", run);
    register(store, "a", run);
    register(store, "a", run);
    register(store, "b", run);

    assertThat(store.versions("a")).extracting(ModelVersion::version).containsExactly(1, 2);
    assertThat(store.versions(null))
        .extracting(v -> v.model() + v.version())
        .containsExactly("a1", "a2", "b1", "b2");
    assertThat(store.versions("c")).isEmpty();
  }

  @Test
  void movesAnAliasAndListsWhatEachAliasPointsAt() {
    String run = store.createRun("a", "", T0);
    register(store, "a", run);
    register(store, "a", run);
    register(store, "b", run);
    store.setAlias("a", MetadataStore.PRODUCTION, 1, T0);
    store.setAlias("b", MetadataStore.PRODUCTION, 1, T0);
    store.setAlias("b", "canary", 1, T0);

    store.setAlias("a", MetadataStore.PRODUCTION, 2, T0.plusSeconds(1));

    assertThat(store.alias("a", MetadataStore.PRODUCTION)).map(ModelVersion::version).contains(2);
    assertThat(store.version("a", 1).orElseThrow().aliases()).isEmpty();
    assertThat(store.version("b", 1).orElseThrow().aliases())
        .containsExactlyInAnyOrder("production", "canary");
    assertThat(store.aliased(MetadataStore.PRODUCTION))
        .extracting(v -> v.model() + v.version())
        .containsExactly("a2", "b1");
    assertThat(store.aliased("staging")).isEmpty();
    assertThat(store.alias("a", "canary")).isEmpty();
    assertThat(store.alias("nobody", MetadataStore.PRODUCTION)).isEmpty();
  }

  @Test
  void keepsEverythingWhenReopened() {
    String run = store.createRun("a", "spec", T0);
    register(store, "a", run);
    store.setAlias("a", MetadataStore.PRODUCTION, 1, T0);
    store.close();

    store = open();

    assertThat(store.run(run)).isPresent();
    assertThat(store.alias("a", MetadataStore.PRODUCTION)).isPresent();
    assertThat(store.createRun("a", "", T0)).isEqualTo("r-000002");
  }

  @Test
  void twoStoresSeeEachOthersWrites() {
    try (MetadataStore server = open()) {
      String run = store.createRun("a", "", T0);
      register(store, "a", run);
      assertThat(server.run(run)).isPresent();

      ModelVersion v2 = register(server, "a", run);
      server.setAlias("a", MetadataStore.PRODUCTION, v2.version(), T0);

      assertThat(v2.version()).isEqualTo(2);
      assertThat(store.alias("a", MetadataStore.PRODUCTION)).map(ModelVersion::version).contains(2);
    }
  }

  @Test
  void twoStoresRegisteringAtOnceNeverShareAVersionNumber() throws Exception {
    String run = store.createRun("a", "", T0);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (MetadataStore other = open()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Integer>>> results = new ArrayList<>();
      for (MetadataStore s : List.of(store, other)) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Integer> versions = new ArrayList<>();
                  for (int i = 0; i < 10; i++) {
                    versions.add(register(s, "a", run).version());
                  }
                  return versions;
                }));
      }
      start.countDown();
      List<Integer> all = new ArrayList<>();
      for (Future<List<Integer>> f : results) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(all).doesNotHaveDuplicates().hasSize(20);
      assertThat(store.versions("a")).hasSize(20);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWatermarkMovesOnlyFromTheStateTheCallerRead() {
    assertThat(store.watermark("loans", "s-0123456789abcdef")).isEmpty();
    SourceWatermark first = watermark("10", 10, "k1");

    assertThat(store.advanceWatermark(null, first)).isTrue();
    assertThat(store.advanceWatermark(null, watermark("11", 11, "k-other"))).isFalse();
    assertThat(store.watermark("loans", "s-0123456789abcdef")).contains(first);

    SourceWatermark second = watermark("20", 20, "k2");
    assertThat(store.advanceWatermark(first, second)).isTrue();
    assertThat(store.advanceWatermark(first, watermark("30", 30, "k3"))).isFalse();
    assertThat(store.watermark("loans", "s-0123456789abcdef")).contains(second);
  }

  @Test
  void refusesAStoreWhoseSchemaIsNewer() throws Exception {
    store.createRun("a", "", T0);
    store.close();
    store = null;
    makeSchemaNewer();

    assertThatThrownBy(this::open)
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("newer than this Flywheel knows")
        .hasMessageContaining("Upgrade Flywheel");
  }
}
