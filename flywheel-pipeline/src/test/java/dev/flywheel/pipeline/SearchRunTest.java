package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hyperparameter search through the runner: determinism, cross-validation, early stopping. */
class SearchRunTest {

  @TempDir Path dir;

  private static final String SEARCH =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      candidates:
        - name: gbt
          algorithm: xgboost
          params:
            rounds: 300
            early_stopping_rounds: 10
            eta: {min: 0.05, max: 0.5, log: true}
            max_depth: [2, 3, 4]
          search: {method: random, trials: 3, seed: 5}
        - {name: forest, algorithm: random_forest, params: {trees: 20, class_weight: balanced}}
        - {name: linear, algorithm: linear, params: {l2: [0.0, 0.001]}}
      """;

  private RunResult run(String workdir, String yaml, int threads, Clock clock) throws IOException {
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    try (Workdir w = Workdir.open(dir.resolve(workdir))) {
      return new TrainingRunner(w.metadata(), w.artifacts(), clock, Progress.NONE, threads)
          .run(SpecParser.parse(spec));
    }
  }

  private byte[] productionBundle(String workdir) {
    try (Workdir w = Workdir.open(dir.resolve(workdir))) {
      return w.artifacts()
          .get(w.metadata().alias("loans", MetadataStore.PRODUCTION).orElseThrow().bundleKey());
    }
  }

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  /** Everything but the timings, which are measurements and not results. */
  private static List<String> withoutSeconds(RunResult r) {
    return r.leaderboard().stream()
        .map(
            e ->
                e.candidate()
                    + " "
                    + e.params()
                    + " "
                    + e.validation()
                    + " "
                    + e.validationSd()
                    + " "
                    + e.bestIteration())
        .toList();
  }

  private static Map<String, byte[]> entries(byte[] zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  @Test
  void theSameSpecAndDataGiveTheSameLeaderboardAndTheSameBundleContent() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 1500, 21, 0);
    RunResult first = run("one", SEARCH, 2, at("2026-11-26T10:00:00Z"));
    // Another workdir, another day, and an earlier run so that the run ids differ too.
    run("two", SEARCH, 2, at("2026-12-01T08:00:00Z"));
    RunResult second = run("two", SEARCH, 2, at("2026-12-02T09:30:00Z"));

    assertThat(second.runId()).isNotEqualTo(first.runId());
    assertThat(withoutSeconds(second)).isEqualTo(withoutSeconds(first));
    assertThat(first.leaderboard()).hasSize(1 + 3 + 1 + 2);
    assertThat(first.leaderboard())
        .filteredOn(e -> e.candidate().equals("gbt"))
        .allSatisfy(e -> assertThat(e.bestIteration()).isNotNull().isLessThan(300));
    assertThat(second.selected()).isEqualTo(first.selected());

    byte[] a = productionBundle("one");
    byte[] b = productionBundle("two");
    assertThat(BundleIO.contentDigest(a)).isEqualTo(BundleIO.contentDigest(b));
    Map<String, byte[]> ea = entries(a);
    Map<String, byte[]> eb = entries(b);
    assertThat(eb.keySet()).isEqualTo(ea.keySet());
    for (String name : ea.keySet()) {
      if (!name.equals("run.json")) {
        assertThat(eb.get(name)).as(name).isEqualTo(ea.get(name));
      }
    }
    assertThat(new String(eb.get("run.json"), java.nio.charset.StandardCharsets.UTF_8))
        .contains(second.runId());
  }

  @Test
  void crossValidationRecordsMeanAndSpreadAndRefitsOnlyTheBestSettingOfACandidate()
      throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 1200, 22, 0);
    RunResult result =
        run(
            "cv",
            """
            name: loans
            task: classification
            target: default
            source: {csv: loans.csv}
            candidates:
              - name: gbt
                algorithm: xgboost
                params: {rounds: 40, max_depth: [2, 4]}
                search: {cv: 3}
            """,
            2,
            at("2026-11-26T10:00:00Z"));

    List<RunResult.LeaderboardEntry> gbt =
        result.leaderboard().stream().filter(e -> e.candidate().equals("gbt")).toList();
    assertThat(gbt).hasSize(2);
    for (RunResult.LeaderboardEntry e : gbt) {
      assertThat(e.validation()).containsKeys("auc", "accuracy");
      assertThat(e.validationSd()).containsKeys("auc", "accuracy");
      assertThat(e.validationSd().get("auc")).isPositive().isLessThan(0.1);
    }
    RunResult.LeaderboardEntry best =
        gbt.get(0).validation().get("auc") >= gbt.get(1).validation().get("auc")
            ? gbt.get(0)
            : gbt.get(1);
    assertThat(result.selected().candidate()).isEqualTo("gbt");
    assertThat(result.selected().params()).isEqualTo(best.params());
    assertThat(result.selected().validation()).isEqualTo(best.validation());
    assertThat(RunResult.fromJson(result.toJson()).leaderboard().get(1).validationSd())
        .isEqualTo(gbt.get(0).validationSd());
  }

  @Test
  void aTargetMissingFromTheDataIsAClearErrorBeforeAnyTraining() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 300, 23, 0);
    assertThatThrownBy(
            () ->
                run(
                    "missing",
                    SEARCH.replace("target: default", "target: defaulted"),
                    1,
                    at("2026-11-26T10:00:00Z")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("target: 'defaulted'")
        .hasMessageContaining("Fix target in the spec");
  }
}
