package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each gate test of {@code selection.vs_production.test} records its evidence with the run, and the
 * leaderboard carries every candidate's model size and predict latency.
 */
class GateEvidenceRunTest {

  @TempDir Path dir;

  private Workdir workdir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() throws IOException {
    workdir = Workdir.open(dir.resolve("work"));
    LoanData.writeCsv(dir.resolve("loans.csv"), 2000, 11, 0);
  }

  @AfterEach
  void close() {
    workdir.close();
  }

  private RunResult run(String candidates, String test) throws IOException {
    String yaml =
        """
        name: loans
        task: classification
        target: default
        source: {csv: loans.csv}
        candidates:
        %s
        selection: {vs_production: {test: %s, tolerance: 0.05}}
        """
            .formatted(candidates, test);
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    PipelineSpec parsed = SpecParser.parse(spec);
    return new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
        .run(parsed);
  }

  private static final String LINEAR = "  - {algorithm: linear}";
  private static final String GBT = "  - {algorithm: xgboost, params: {rounds: 30, max_depth: 3}}";

  @Test
  void mcnemarEvidenceIsRecordedWithCountsAndPValue() throws IOException {
    run(LINEAR, "mcnemar");
    RunResult second = run(GBT, "mcnemar");

    RunResult.Evidence e = second.gate().evidence();
    assertThat(e.test()).isEqualTo("mcnemar");
    assertThat(e.metric()).isEqualTo("accuracy");
    assertThat(e.productionVersion()).isEqualTo(1);
    assertThat(e.rows()).isEqualTo(second.dataset().splits().get("test"));
    assertThat(e.resamples()).isNull();
    assertThat(e.alpha()).isEqualTo(0.025, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(e.statistics()).containsKeys("challenger_only", "production_only");
    assertThat(e.interval()).hasSize(2);
    assertThat(e.verdict())
        .isEqualTo(e.pValue() == null || e.pValue() <= e.alpha() ? "pass" : "fail");
    // Read back from the stored JSON, as `flywheel runs show --json` does.
    RunResult stored =
        RunResult.fromJson(workdir.metadata().run(second.runId()).orElseThrow().resultJson());
    assertThat(stored.gate().evidence()).isEqualTo(e);
  }

  @Test
  void delongEvidenceComparesAucOfTheSameRows() throws IOException {
    run(LINEAR, "delong");
    RunResult second = run(GBT, "delong");

    RunResult.Evidence e = second.gate().evidence();
    assertThat(e.test()).isEqualTo("delong");
    assertThat(e.metric()).isEqualTo("auc");
    assertThat(e.statistics()).containsKeys("positives", "negatives", "se");
    assertThat(
            e.statistics().get("positives").intValue() + e.statistics().get("negatives").intValue())
        .isEqualTo(e.rows());
    assertThat(e.interval().get(0)).isLessThanOrEqualTo(e.improvement());
    assertThat(e.interval().get(1)).isGreaterThanOrEqualTo(e.improvement());
    assertThat(e.verdict()).isEqualTo(e.interval().get(0) >= -0.05 ? "pass" : "fail");
  }

  @Test
  void boostedTreesThatStopEarlyRecordTheirLossPerRound() throws IOException {
    RunResult r =
        run(
            "  - {algorithm: xgboost, params: {rounds: 200, eta: 0.5, early_stopping_rounds: 5}}",
            "paired_bootstrap");

    RunResult.LeaderboardEntry gbt = r.leaderboard().get(1);
    assertThat(gbt.bestIteration()).isNotNull();
    assertThat(gbt.steps()).containsOnlyKeys("validation_logloss");
    // Every round up to the best, then the 5 waited through (fewer when the rounds ran out).
    assertThat(gbt.steps().get("validation_logloss"))
        .hasSize(Math.min(200, gbt.bestIteration() + 1 + 5));
    assertThat(r.leaderboard().get(0).steps()).isNull();
    assertThat(RunResult.fromJson(r.toJson()).leaderboard().get(1).steps()).isEqualTo(gbt.steps());
  }

  @Test
  void leaderboardCarriesModelSizeAndPredictLatency() throws IOException {
    RunResult r = run(LINEAR + "\n" + GBT, "paired_bootstrap");

    assertThat(r.leaderboard()).hasSize(3);
    assertThat(r.leaderboard())
        .allSatisfy(
            entry -> {
              assertThat(entry.modelBytes()).isPositive();
              assertThat(entry.predictUs()).isPositive();
            });
    // Trees of 30 rounds take more bytes than a baseline of class shares.
    assertThat(r.leaderboard().get(2).modelBytes())
        .isGreaterThan(r.leaderboard().get(0).modelBytes());
    assertThat(r.toJson()).contains("\"model_bytes\"").contains("\"predict_us\"");
    // The run names the bundle it wrote, and the artifact store has it.
    assertThat(r.artifacts()).containsOnlyKeys("bundle");
    assertThat(workdir.artifacts().exists(r.artifacts().get("bundle"))).isTrue();
  }
}
