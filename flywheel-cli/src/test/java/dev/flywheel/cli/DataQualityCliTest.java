package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data quality gate, dataset versions and {@code flywheel data validate} through the real CLI:
 * real CSV files, a real SQLite workdir.
 */
class DataQualityCliTest {

  @TempDir Path dir;

  private static final String SPEC =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      candidates:
        - {algorithm: linear}
      schema:
        columns:
          age: {type: integer, min: 18, max: 90, nullable: false}
          plan: {type: categorical, values: [basic, plus, pro]}
      """;

  private String workdir() {
    return dir.resolve("work").toString();
  }

  private Path spec() throws IOException {
    return Files.writeString(dir.resolve("flywheel.yaml"), SPEC);
  }

  /** Writes LoanData rows to {@code name}, each passed through {@code edit} (index, cells). */
  private Path csv(String name, int rows, long seed, double drift, RowEdit edit)
      throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(String.join(",", LoanData.COLUMNS));
    List<String[]> data = LoanData.rows(rows, seed, drift);
    for (int i = 0; i < data.size(); i++) {
      lines.add(String.join(",", edit.apply(i, data.get(i))));
    }
    return Files.write(dir.resolve(name), lines);
  }

  interface RowEdit {
    String[] apply(int index, String[] cells);
  }

  private static final RowEdit NONE = (i, cells) -> cells;

  /** Ages 150 in rows 3, 10, 17, ... (1-based data rows). */
  private static final RowEdit OLD_AGES =
      (i, cells) -> {
        if (i % 7 == 2) {
          cells[2] = "150";
        }
        return cells;
      };

  private long count(String table) throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + Path.of(workdir(), "flywheel.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aFailingGateStopsTheRunWithExit3AndRecordsItWithoutWritingVersions() throws Exception {
    Path spec = spec();
    csv("loans.csv", 600, 1, 0, NONE);
    CliRunner.Result first = CliRunner.run("run", spec.toString(), "--workdir", workdir(), "-q");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(count("model_versions")).isEqualTo(1);
    assertThat(count("dataset_versions")).isEqualTo(1);

    csv("loans.csv", 600, 2, 0, OLD_AGES);
    CliRunner.Result refused =
        CliRunner.run("run", spec.toString(), "--workdir", workdir(), "--json");

    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ExitCodes.GATE_REFUSED);
    JsonNode json = refused.json();
    assertThat(json.get("status").asText()).isEqualTo("rejected");
    assertThat(json.get("promoted").asBoolean()).isFalse();
    assertThat(json.has("model_version")).isFalse();
    assertThat(json.has("leaderboard")).isFalse();
    assertThat(json.at("/validation/passed").asBoolean()).isFalse();
    JsonNode anomaly = json.at("/validation/anomalies/0");
    assertThat(anomaly.get("kind").asText()).isEqualTo("out_of_range");
    assertThat(anomaly.get("column").asText()).isEqualTo("age");
    assertThat(anomaly.get("count").asInt()).isEqualTo(86); // rows 3, 10, …, 598 of 600
    assertThat(anomaly.get("fails_gate").asBoolean()).isTrue();
    assertThat(anomaly.get("examples")).hasSize(5);
    assertThat(anomaly.at("/examples/0/row").asInt()).isEqualTo(3);
    assertThat(anomaly.at("/examples/0/value").asText()).isEqualTo("150");
    assertThat(anomaly.at("/examples/1/row").asInt()).isEqualTo(10);
    assertThat(refused.err()).contains("REFUSED by quality.fail_on: out_of_range age");

    // Nothing was written: no model version, no dataset version, production unchanged.
    assertThat(count("model_versions")).isEqualTo(1);
    assertThat(count("dataset_versions")).isEqualTo(1);
    assertThat(count("run_datasets")).isEqualTo(1);
    CliRunner.Result models = CliRunner.run("models", "list", "--workdir", workdir(), "--json");
    assertThat(models.json()).hasSize(1);

    // The run is recorded with its report.
    String runId = json.get("run_id").asText();
    CliRunner.Result list = CliRunner.run("runs", "list", "--workdir", workdir(), "--json");
    assertThat(list.json().get(0).get("run_id").asText()).isEqualTo(runId);
    assertThat(list.json().get(0).get("status").asText()).isEqualTo("rejected");
    CliRunner.Result shown = CliRunner.run("runs", "show", runId, "--workdir", workdir(), "--json");
    assertThat(shown.exitCode()).isZero();
    assertThat(shown.json().at("/validation/anomalies/0/count").asInt()).isEqualTo(86);
    CliRunner.Result table = CliRunner.run("runs", "show", runId, "--workdir", workdir());
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out())
        .contains("status rejected")
        .contains("out_of_range")
        .contains("FAILS")
        .contains("row 3: 150")
        .contains("quality gate: REFUSED")
        .contains("no model version and no dataset version was written")
        .doesNotContain("dataset versions:");
  }

  @Test
  void unchangedDataReusesItsDatasetVersionAndRunsShowListsIt() throws Exception {
    Path spec = spec();
    csv("loans.csv", 600, 1, 0, NONE);
    CliRunner.Result first =
        CliRunner.run("run", spec.toString(), "--workdir", workdir(), "--json", "-q");
    assertThat(first.exitCode()).as(first.err()).isZero();
    JsonNode v1 = first.json().at("/dataset_versions/0");
    assertThat(v1.get("version").asInt()).isEqualTo(1);
    assertThat(v1.get("reused").asBoolean()).isFalse();
    assertThat(v1.get("hash").asText()).isEqualTo(first.json().at("/dataset/hash").asText());
    assertThat(v1.get("rows").asInt()).isEqualTo(first.json().at("/dataset/rows").asInt());
    assertThat(first.json().at("/validation/passed").asBoolean()).isTrue();
    assertThat(first.json().at("/validation/anomalies")).isEmpty();

    CliRunner.Result second =
        CliRunner.run("run", spec.toString(), "--workdir", workdir(), "--json", "-q");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.json().at("/dataset_versions/0/version").asInt()).isEqualTo(1);
    assertThat(second.json().at("/dataset_versions/0/reused").asBoolean()).isTrue();
    assertThat(count("dataset_versions")).isEqualTo(1);
    assertThat(count("run_datasets")).isEqualTo(2);

    String runId = second.json().get("run_id").asText();
    CliRunner.Result table = CliRunner.run("runs", "show", runId, "--workdir", workdir());
    assertThat(table.out())
        .contains("dataset version 1 of loans (unchanged, reused, 600 rows)")
        .contains("dataset versions:")
        .contains(v1.get("hash").asText())
        .contains("r-000001");
    CliRunner.Result shown = CliRunner.run("runs", "show", runId, "--workdir", workdir(), "--json");
    assertThat(shown.json().at("/dataset_versions/0/version").asInt()).isEqualTo(1);

    // Drifted data: a new version, and its changes against version 1 are warnings only.
    csv("loans.csv", 200, 3, 1, NONE);
    CliRunner.Result third =
        CliRunner.run("run", spec.toString(), "--workdir", workdir(), "--json", "-q");
    assertThat(third.json().get("status").asText()).as(third.err()).isEqualTo("succeeded");
    assertThat(third.json().at("/dataset_versions/0/version").asInt()).isEqualTo(2);
    assertThat(third.json().at("/dataset_versions/0/reused").asBoolean()).isFalse();
    JsonNode anomalies = third.json().at("/validation/anomalies");
    List<String> kinds = new ArrayList<>();
    anomalies.forEach(a -> kinds.add(a.get("kind").asText() + ":" + a.path("column").asText()));
    assertThat(kinds).contains("row_count_change:", "distribution_change:income");
    anomalies.forEach(a -> assertThat(a.get("fails_gate").asBoolean()).isFalse());
    assertThat(third.json().at("/validation/previous_version").asInt()).isEqualTo(1);
    assertThat(count("dataset_versions")).isEqualTo(2);
  }

  @Test
  void dataValidateExitsZeroWhenCleanAndThreeWhenTheGateFails() throws Exception {
    Path spec = spec();
    csv("loans.csv", 300, 1, 0, NONE);
    CliRunner.Result clean =
        CliRunner.run(
            "data", "validate", "--spec", spec.toString(), "--workdir", workdir(), "--json");
    assertThat(clean.exitCode()).as(clean.err()).isZero();
    assertThat(clean.json().get("passed").asBoolean()).isTrue();
    assertThat(clean.json().get("rows").asInt()).isEqualTo(300);
    assertThat(clean.json().get("anomalies")).isEmpty();
    assertThat(clean.json().at("/columns/2/type").asText()).isEqualTo("integer");
    // Validating writes no workdir.
    assertThat(Path.of(workdir())).doesNotExist();

    Path bad =
        csv(
            "bad.csv",
            300,
            2,
            0,
            (i, cells) -> {
              if (i == 4) {
                cells[3] = "gold";
              }
              if (i == 5 || i == 6) {
                cells[2] = "";
              }
              return cells;
            });
    CliRunner.Result refused =
        CliRunner.run(
            "data",
            "validate",
            bad.toString(),
            "--spec",
            spec.toString(),
            "--workdir",
            workdir(),
            "--json");
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ExitCodes.GATE_REFUSED);
    JsonNode json = refused.json();
    assertThat(json.get("source").asText()).endsWith("bad.csv");
    assertThat(json.get("passed").asBoolean()).isFalse();
    JsonNode nulls = json.at("/anomalies/0");
    assertThat(nulls.get("kind").asText()).isEqualTo("null_rate");
    assertThat(nulls.get("column").asText()).isEqualTo("age");
    assertThat(nulls.get("count").asInt()).isEqualTo(2);
    assertThat(nulls.at("/examples/0/row").asInt()).isEqualTo(6);
    JsonNode unseen = json.at("/anomalies/1");
    assertThat(unseen.get("kind").asText()).isEqualTo("unseen_category");
    assertThat(unseen.get("column").asText()).isEqualTo("plan");
    assertThat(unseen.get("count").asInt()).isEqualTo(1);
    assertThat(unseen.at("/examples/0/row").asInt()).isEqualTo(5);
    assertThat(unseen.at("/examples/0/value").asText()).isEqualTo("gold");
    assertThat(unseen.get("message").asText()).contains("not one of basic|plus|pro");

    CliRunner.Result text =
        CliRunner.run(
            "data", "validate", bad.toString(), "--spec", spec.toString(), "--workdir", workdir());
    assertThat(text.exitCode()).isEqualTo(ExitCodes.GATE_REFUSED);
    assertThat(text.out())
        .contains("COLUMN", "DECLARED", "unseen_category", "row 5: gold", "quality gate: REFUSED");
  }

  @Test
  void dataValidateComparesWithTheLastDatasetVersionInTheWorkdir() throws Exception {
    Path spec = spec();
    csv("loans.csv", 600, 1, 0, NONE);
    assertThat(CliRunner.run("run", spec.toString(), "--workdir", workdir(), "-q").exitCode())
        .isZero();
    Path fewer = csv("fewer.csv", 200, 1, 0, NONE);
    CliRunner.Result r =
        CliRunner.run(
            "data",
            "validate",
            fewer.toString(),
            "--spec",
            spec.toString(),
            "--workdir",
            workdir(),
            "--json");
    // A warning does not fail the gate.
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.json().get("previous_version").asInt()).isEqualTo(1);
    assertThat(r.json().at("/anomalies/0/kind").asText()).isEqualTo("row_count_change");
    assertThat(r.json().at("/anomalies/0/fails_gate").asBoolean()).isFalse();
  }

  @Test
  void dataValidateRefusesSourcesItCannotNameAndHasHelp() throws Exception {
    Path spec = spec();
    CliRunner.Result r = CliRunner.run("data", "validate", "data.xlsx", "--spec", spec.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("SOURCE 'data.xlsx'", ".csv, .tsv, .jsonl");
    CliRunner.Result help = CliRunner.run("data", "validate", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("SOURCE", "--spec", "--json", "Exit codes");
  }
}
