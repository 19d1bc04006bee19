package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code flywheel retrain} and {@code flywheel runs} end to end, with the real CLI and SQLite. */
class RetrainCommandTest {

  @TempDir Path dir;

  private Instant next = Instant.parse("2026-11-26T10:00:00Z");

  private String workdir() {
    return dir.resolve("work").toString();
  }

  /** Logs predictions of {@code rows} through the real prediction log and labels each of them. */
  private void traffic(List<String[]> rows) {
    try (Workdir w = Workdir.open(Path.of(workdir()))) {
      int version = w.metadata().alias("loans", MetadataStore.PRODUCTION).orElseThrow().version();
      List<FeedbackItem> items = new ArrayList<>();
      for (String[] row : rows) {
        String id = "P" + next.toEpochMilli();
        ObjectNode in = Json.mapper().createObjectNode();
        if (row[0].isEmpty()) {
          in.putNull("income");
        } else {
          in.put("income", Double.parseDouble(row[0]));
        }
        in.put("debt_ratio", Double.parseDouble(row[1]));
        in.put("age", Integer.parseInt(row[2]));
        in.put("plan", row[3].isEmpty() ? null : row[3]);
        in.put("region", row[4]);
        assertThat(
                w.predictionLog()
                    .offer(new PredictionRecord(id, next, "loans", version, in.toString(), "{}")))
            .isTrue();
        items.add(new FeedbackItem(id, row[5]));
        next = next.plusSeconds(1);
      }
      w.predictionLog().flush();
      w.feedback().record("loans", items, next);
    }
  }

  @Test
  void retrainExitCodesAndRunsListAndShowTellWhatHappened() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 600, 1, 0);
    Path spec =
        Files.writeString(
            dir.resolve("flywheel.yaml"),
            """
            name: loans
            task: classification
            target: default
            source: {csv: loans.csv}
            candidates:
              - {algorithm: linear}
              - {algorithm: xgboost, params: {rounds: 40, max_depth: 3}}
            monitoring: {performance: {min_labels: 100}}
            retraining: {holdout: 0.2}
            """);
    assertThat(CliRunner.run("run", spec.toString(), "--workdir", workdir(), "-q").exitCode())
        .isZero();

    // Too few labelled rows: the run is recorded as skipped, and the exit code says "not promoted".
    traffic(LoanData.rows(60, 2, 0));
    CliRunner.Result skipped = CliRunner.run("retrain", "--workdir", workdir(), "--json");

    assertThat(skipped.exitCode()).as(skipped.err()).isEqualTo(ExitCodes.GATE_REFUSED);
    JsonNode s = skipped.json();
    assertThat(s.get("run_id").asText()).isEqualTo("r-000002");
    assertThat(s.get("status").asText()).isEqualTo("skipped");
    assertThat(s.get("promoted").asBoolean()).isFalse();
    assertThat(s.at("/retraining/outcome").asText()).isEqualTo("skipped");
    assertThat(s.at("/retraining/reason").asText()).contains("needs 100 labelled rows");
    assertThat(s.at("/retraining/holdout/eligible").asInt()).isEqualTo(60);

    // Drifted traffic: the challenger is promoted.
    traffic(LoanData.rows(3000, 3, 1));
    CliRunner.Result promoted =
        CliRunner.run("retrain", "--model", "loans", "--workdir", workdir(), "--json");

    assertThat(promoted.exitCode()).as(promoted.err()).isZero();
    JsonNode p = promoted.json();
    assertThat(p.get("run_id").asText()).isEqualTo("r-000003");
    assertThat(p.get("status").asText()).isEqualTo("succeeded");
    assertThat(p.get("promoted").asBoolean()).isTrue();
    assertThat(p.get("model_version").asInt()).isEqualTo(2);
    assertThat(p.at("/retraining/trigger").asText()).isEqualTo("manual");
    assertThat(p.at("/retraining/data/source_rows").asInt()).isEqualTo(600);
    assertThat(p.at("/retraining/data/labelled_rows").asInt()).isEqualTo(3060);
    assertThat(p.at("/retraining/holdout/rows").asInt()).isEqualTo(612);
    assertThat(p.at("/retraining/data/feedback_rows").asInt()).isEqualTo(3060 - 612);
    assertThat(p.at("/retraining/comparison/verdict").asText()).isEqualTo("pass");
    assertThat(p.at("/gate/evidence/computed_on").asText()).isEqualTo("holdout");
    assertThat(p.at("/gate/evidence/rows").asInt()).isEqualTo(612);
    assertThat(promoted.err()).contains("retrain", "holdout", "register");

    CliRunner.Result list = CliRunner.run("runs", "list", "--workdir", workdir(), "--json");
    assertThat(list.exitCode()).isZero();
    JsonNode runs = list.json();
    assertThat(runs).hasSize(3);
    assertThat(runs.get(0).get("run_id").asText()).isEqualTo("r-000003");
    assertThat(runs.get(0).get("trigger").asText()).isEqualTo("manual");
    assertThat(runs.get(0).get("model_version").asInt()).isEqualTo(2);
    assertThat(runs.get(0).get("promoted").asBoolean()).isTrue();
    assertThat(runs.get(1).get("status").asText()).isEqualTo("skipped");
    assertThat(runs.get(1).get("model_version").isNull()).isTrue();
    assertThat(runs.get(2).get("trigger").isNull()).as("a plain run has no trigger").isTrue();
    assertThat(runs.get(2).get("status").asText()).isEqualTo("succeeded");

    CliRunner.Result table =
        CliRunner.run("runs", "list", "--model", "loans", "--workdir", workdir());
    assertThat(table.exitCode()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).contains("RUN", "MODEL", "STATUS", "STARTED", "TRIGGER", "RESULT");
    assertThat(lines.get(1)).contains("r-000003", "succeeded", "manual", "v2 promoted");
    assertThat(lines.get(2)).contains("r-000002", "skipped", "manual");
    assertThat(lines.get(3)).contains("r-000001", "v1 promoted");

    CliRunner.Result show = CliRunner.run("runs", "show", "r-000003", "--workdir", workdir());
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains(
            "CANDIDATE",
            "linear",
            "gate: passed",
            "[ok] non_inferior_to_production",
            "612 holdout rows",
            "retraining: trigger manual, champion v1",
            "600 source rows + 2448 labelled production rows",
            "holdout:  612 rows predicted",
            "scores:   auc on the holdout: challenger",
            "interval: 95% [",
            "verdict pass",
            "outcome:  promoted",
            "version 2 is now in production");

    CliRunner.Result showSkipped =
        CliRunner.run("runs", "show", "r-000002", "--workdir", workdir());
    assertThat(showSkipped.exitCode()).isZero();
    assertThat(showSkipped.out())
        .contains("skipped", "outcome:  skipped: the holdout needs 100", "no model was trained");

    CliRunner.Result showJson =
        CliRunner.run("runs", "show", "r-000003", "--workdir", workdir(), "--json");
    assertThat(showJson.exitCode()).isZero();
    assertThat(showJson.json()).isEqualTo(p);

    CliRunner.Result plain = CliRunner.run("runs", "show", "r-000001", "--workdir", workdir());
    assertThat(plain.out()).contains("gate: passed").doesNotContain("retraining");
  }

  @Test
  void aRetrainWhoseDataFailsTheQualityGateIsRejectedWithoutAVersion() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 600, 1, 0);
    Path spec =
        Files.writeString(
            dir.resolve("flywheel.yaml"),
            """
            name: loans
            task: classification
            target: default
            source: {csv: loans.csv}
            candidates:
              - {algorithm: linear}
            schema: {columns: {age: {type: integer, max: 90}}}
            monitoring: {performance: {min_labels: 100}}
            retraining: {holdout: 0.2}
            """);
    assertThat(CliRunner.run("run", spec.toString(), "--workdir", workdir(), "-q").exitCode())
        .isZero();
    traffic(LoanData.rows(200, 2, 0));
    // The source now holds impossible ages.
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("loans.csv")));
    lines.set(5, lines.get(5).replaceFirst("^([^,]*,[^,]*,)[^,]*", "$1150"));
    Files.write(dir.resolve("loans.csv"), lines);

    CliRunner.Result r = CliRunner.run("retrain", "--workdir", workdir(), "--json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.GATE_REFUSED);
    JsonNode j = r.json();
    assertThat(j.get("status").asText()).isEqualTo("rejected");
    assertThat(j.at("/retraining/outcome").asText()).isEqualTo("rejected");
    assertThat(j.at("/retraining/reason").asText())
        .contains("the data quality gate refused: out_of_range");
    assertThat(j.at("/validation/anomalies/0/examples/0/row").asInt()).isEqualTo(5);
    assertThat(j.has("model_version")).isFalse();
    CliRunner.Result models = CliRunner.run("models", "list", "--workdir", workdir(), "--json");
    assertThat(models.json()).hasSize(1);
  }

  @Test
  void retrainWithoutAProductionVersionIsBadInput() {
    CliRunner.Result r = CliRunner.run("retrain", "--workdir", workdir(), "--json");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("no model has a production version", "flywheel run SPEC");
    assertThat(r.out()).isEmpty();

    CliRunner.Result named = CliRunner.run("retrain", "--model", "loans", "--workdir", workdir());
    assertThat(named.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(named.err()).contains("'loans' has no production version");
  }

  @Test
  void showingAnUnknownRunIsBadInput() {
    CliRunner.Result r = CliRunner.run("runs", "show", "r-000042", "--workdir", workdir());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("no run 'r-000042'", "flywheel runs list");
  }

  @ParameterizedTest
  @ValueSource(strings = {"retrain", "runs", "runs list", "runs show"})
  void retrainAndRunsHaveHelp(String command) {
    CliRunner.Result r = CliRunner.run((command + " --help").split(" "));

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: flywheel " + command, "--help");
  }
}
