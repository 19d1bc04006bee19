package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.pipeline.monitor.Monitor;
import dev.flywheel.pipeline.monitor.MonitoringReport;
import dev.flywheel.store.Workdir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's loop end to end, through the real CLI, real HTTP and the server's own trigger. The
 * assertions read the registry and the monitoring state the demo leaves behind, not its printout.
 */
class DemoTest {

  @TempDir Path dir;

  @Test
  void driftIsDetectedAndTheServerRetrainsGatesAndPromotesABetterModel() throws Exception {
    Path work = dir.resolve("demo");

    CliRunner.Result r = CliRunner.run("demo", "--workdir", work.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    try (Workdir workdir = Workdir.open(work)) {
      MetadataStore metadata = workdir.metadata();
      // The registry: v1 from the demo's own run, v2 from the server's retraining run.
      assertThat(metadata.alias("loans", MetadataStore.PRODUCTION).orElseThrow().version())
          .isEqualTo(2);
      List<RunRecord> runs = metadata.runs("loans");
      assertThat(runs).hasSize(2);
      JsonNode retraining = Json.mapper().readTree(runs.get(0).resultJson());
      assertThat(retraining.get("promoted").asBoolean()).isTrue();
      assertThat(retraining.at("/retraining/trigger").asText()).isIn("drift", "performance");
      assertThat(retraining.at("/gate/evidence/computed_on").asText()).isEqualTo("holdout");
      assertThat(retraining.at("/gate/evidence/verdict").asText()).isEqualTo("pass");
      assertThat(retraining.at("/gate/evidence/improvement").asDouble()).isGreaterThan(0.05);

      // The monitoring state: the promoted version's own window, on drifted traffic.
      MonitoringReport report =
          new Monitor(metadata, workdir.artifacts(), workdir.predictionLog(), workdir.feedback())
              .report("loans")
              .orElseThrow();
      assertThat(report.modelVersion()).isEqualTo(2);
      assertThat(report.window().predictions()).isPositive();
    }

    // The summary's accuracies: the promoted model on fresh drifted traffic beats the old one.
    JsonNode summary = Json.mapper().readTree(Files.readString(work.resolve("demo-summary.json")));
    assertThat(summary).isEqualTo(r.json());
    assertThat(summary.get("drift_detected").asBoolean()).isTrue();
    assertThat(summary.get("retrained").asBoolean()).isTrue();
    assertThat(summary.get("promoted").asBoolean()).isTrue();
    assertThat(summary.get("initial_version").asInt()).isEqualTo(1);
    assertThat(summary.get("final_version").asInt()).isEqualTo(2);
    assertThat(summary.get("accuracy_after_retrain").asDouble())
        .isGreaterThanOrEqualTo(summary.get("accuracy_after_drift_old_model").asDouble() + 0.05);
    assertThat(summary.get("accuracy_before_drift").asDouble()).isGreaterThan(0.7);
    assertThat(summary.get("predictions_served").asLong()).isGreaterThan(2500);
    assertThat(summary.get("feedback_received").asLong()).isGreaterThan(1500);
  }

  @Test
  void aWorkdirThatAlreadyHoldsTheDemosModelIsRefused() throws Exception {
    Path work = dir.resolve("demo");
    dev.flywheel.testkit.LoanData.writeCsv(dir.resolve("loans.csv"), 600, 3, 0);
    Path spec =
        Files.writeString(
            dir.resolve("loans.yaml"),
            "name: loans\ntask: classification\ntarget: default\nsource: {csv: loans.csv}\n"
                + "candidates: [{algorithm: linear}]\n");
    assertThat(CliRunner.run("run", spec.toString(), "--workdir", work.toString(), "-q").exitCode())
        .isZero();

    CliRunner.Result again = CliRunner.run("demo", "--workdir", work.toString(), "-q");

    assertThat(again.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(again.err()).contains("already holds a 'loans' model", "new folder");
  }

  @Test
  void aWorkdirItCannotWriteToIsAnInfrastructureErrorNamingThePath() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    // The demo writes its data and spec into DIR/demo: a file in the way makes that fail.
    Files.writeString(work.resolve("demo"), "in the way");

    CliRunner.Result r = CliRunner.run("demo", "--workdir", work.toString(), "-q");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(r.err())
        .contains("cannot write the demo's data and spec to " + work.resolve("demo"), "--workdir")
        .doesNotContain("internal error");
  }
}
