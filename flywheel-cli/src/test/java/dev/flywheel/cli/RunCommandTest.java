package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.testkit.HouseData;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flywheel run} end to end: real files, a real SQLite database, the real CLI. */
class RunCommandTest {

  @TempDir Path dir;

  private Path workdir() {
    return dir.resolve("work");
  }

  private Path spec(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  private static final String FAST_CANDIDATES =
      """
      candidates:
        - {algorithm: linear}
        - {name: gbt, algorithm: xgboost, params: {rounds: 50, max_depth: 3}}
      """;

  @Test
  void trainsGatesAndPromotesFromCsvWithTheDocumentedJson() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 2000, 1, 0);
    Path spec =
        spec(
            "flywheel.yaml",
            "name: loans\ntask: classification\ntarget: default\nsource: {csv: loans.csv}\n"
                + FAST_CANDIDATES);

    CliRunner.Result r =
        CliRunner.run("run", spec.toString(), "--workdir", workdir().toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("run_id").asText()).isEqualTo("r-000001");
    assertThat(json.get("model").asText()).isEqualTo("loans");
    assertThat(json.get("task").asText()).isEqualTo("classification");
    assertThat(json.get("status").asText()).isEqualTo("succeeded");
    assertThat(json.at("/dataset/rows").asInt()).isEqualTo(2000);
    assertThat(json.at("/dataset/hash").asText()).startsWith("sha256:");
    JsonNode splits = json.at("/dataset/splits");
    assertThat(
            splits.get("train").asInt()
                + splits.get("validation").asInt()
                + splits.get("test").asInt())
        .isEqualTo(2000);
    assertThat(json.get("leaderboard")).hasSize(3);
    assertThat(json.at("/leaderboard/0/candidate").asText()).isEqualTo("baseline");
    assertThat(json.at("/leaderboard/2/params/rounds").asInt()).isEqualTo(50);
    assertThat(json.at("/leaderboard/2/validation/auc").asDouble()).isBetween(0.6, 1.0);
    assertThat(json.at("/leaderboard/2/train_seconds").isNumber()).isTrue();
    assertThat(json.at("/selected/test/auc").asDouble()).isGreaterThan(0.6);
    assertThat(json.at("/selected/test/f1").isNumber()).isTrue();
    assertThat(json.at("/selected/test_details/confusion_matrix/labels").toString())
        .isEqualTo("[\"0\",\"1\"]");
    int counted = 0;
    for (JsonNode row : json.at("/selected/test_details/confusion_matrix/counts")) {
      for (JsonNode c : row) {
        counted += c.asInt();
      }
    }
    assertThat(counted).isEqualTo(splits.get("test").asInt());
    assertThat(json.at("/selected/test_details/calibration/strategy").asText())
        .isEqualTo("uniform");
    assertThat(json.at("/selected/test_details/calibration/points/0/fraction_positive").isNumber())
        .isTrue();
    assertThat(json.at("/gate/passed").asBoolean()).isTrue();
    assertThat(json.at("/gate/checks/0/name").asText()).isEqualTo("beats_baseline");
    assertThat(json.get("model_version").asInt()).isEqualTo(1);
    assertThat(json.get("promoted").asBoolean()).isTrue();
    assertThat(r.err()).contains("collect", "split", "register");

    CliRunner.Result list =
        CliRunner.run("models", "list", "--workdir", workdir().toString(), "--json");
    assertThat(list.exitCode()).isZero();
    assertThat(list.json().get(0).get("aliases").get(0).asText()).isEqualTo("production");
    assertThat(list.json().get(0).get("run_id").asText()).isEqualTo("r-000001");
    assertThat(Path.of(list.json().get(0).get("bundle").asText())).exists();
  }

  @Test
  void secondRunIsGatedAgainstProductionWithBootstrapEvidence() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 2000, 1, 0);
    Path spec =
        spec(
            "flywheel.yaml",
            "name: loans\ntask: classification\ntarget: default\nsource: {csv: loans.csv}\n"
                + FAST_CANDIDATES);
    assertThat(
            CliRunner.run("run", spec.toString(), "--workdir", workdir().toString(), "-q")
                .exitCode())
        .isZero();

    CliRunner.Result second =
        CliRunner.run("run", spec.toString(), "--workdir", workdir().toString(), "--json");

    assertThat(second.exitCode()).as(second.err()).isZero();
    JsonNode evidence = second.json().at("/gate/evidence");
    assertThat(evidence.get("test").asText()).isEqualTo("paired_bootstrap");
    assertThat(evidence.get("production_version").asInt()).isEqualTo(1);
    assertThat(evidence.get("improvement").asDouble()).isZero();
    assertThat(evidence.get("rows").asInt())
        .isEqualTo(second.json().at("/dataset/splits/test").asInt());
    assertThat(evidence.get("verdict").asText()).isEqualTo("pass");
    assertThat(second.json().get("model_version").asInt()).isEqualTo(2);
  }

  @Test
  void sameSpecAndDataGiveIdenticalMetrics() throws IOException {
    HouseData.writeCsv(dir.resolve("houses.csv"), 1500, 3);
    Path spec =
        spec(
            "houses.yaml",
            "name: houses\ntask: regression\ntarget: price\nsource: {csv: houses.csv}\n"
                + FAST_CANDIDATES);

    JsonNode first =
        CliRunner.run("run", spec.toString(), "--workdir", workdir().toString(), "--json").json();
    JsonNode second =
        CliRunner.run(
                "run", spec.toString(), "--workdir", dir.resolve("other").toString(), "--json")
            .json();

    for (int i = 0; i < first.get("leaderboard").size(); i++) {
      assertThat(second.at("/leaderboard/" + i + "/validation"))
          .isEqualTo(first.at("/leaderboard/" + i + "/validation"));
    }
    assertThat(second.at("/selected/test")).isEqualTo(first.at("/selected/test"));
    assertThat(second.at("/dataset/hash")).isEqualTo(first.at("/dataset/hash"));
    assertThat(first.at("/selected/test/r2").asDouble()).isGreaterThan(0.9);
  }

  @Test
  void trainsFromASqliteTable() throws IOException, SQLException {
    Path db = dir.resolve("loans.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE loans (income REAL, debt_ratio REAL, age INTEGER, plan TEXT,"
              + " region TEXT, \"default\" INTEGER)");
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO loans VALUES (?, ?, ?, ?, ?, ?)")) {
        for (String[] row : LoanData.rows(1500, 5, 0)) {
          ps.setObject(1, row[0].isEmpty() ? null : Double.valueOf(row[0]));
          ps.setDouble(2, Double.parseDouble(row[1]));
          ps.setInt(3, Integer.parseInt(row[2]));
          ps.setString(4, row[3].isEmpty() ? null : row[3]);
          ps.setString(5, row[4]);
          ps.setInt(6, Integer.parseInt(row[5]));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    }
    Path spec =
        spec(
            "db.yaml",
            """
            name: loans-db
            task: classification
            target: default
            positive: "1"
            source:
              jdbc: {url: "jdbc:sqlite:loans.db", query: "SELECT * FROM loans WHERE age >= 18"}
            """
                + FAST_CANDIDATES);

    CliRunner.Result r =
        CliRunner.run("run", spec.toString(), "--workdir", workdir().toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.json().at("/dataset/rows").asInt()).isEqualTo(1500);
    assertThat(r.json().at("/selected/test/auc").asDouble()).isGreaterThan(0.6);
    assertThat(r.json().get("promoted").asBoolean()).isTrue();
  }

  @Test
  void refusedGateExitsThreeRecordsTheRunAndLeavesProductionAlone() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 1500, 2, 0);
    String base = "name: loans\ntask: classification\ntarget: default\nsource: {csv: loans.csv}\n";
    Path good = spec("good.yaml", base + FAST_CANDIDATES);
    Path strict = spec("strict.yaml", base + FAST_CANDIDATES + "selection: {min: 0.999}\n");
    assertThat(
            CliRunner.run("run", good.toString(), "--workdir", workdir().toString(), "-q")
                .exitCode())
        .isZero();

    CliRunner.Result r =
        CliRunner.run("run", strict.toString(), "--workdir", workdir().toString(), "--json");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.GATE_REFUSED);
    assertThat(r.json().get("promoted").asBoolean()).isFalse();
    assertThat(r.json().at("/gate/passed").asBoolean()).isFalse();
    JsonNode meetsMin = r.json().at("/gate/checks/0");
    assertThat(meetsMin.get("name").asText()).isEqualTo("meets_min");
    assertThat(meetsMin.get("passed").asBoolean()).isFalse();
    assertThat(meetsMin.get("detail").asText()).contains("min is 0.9990");
    JsonNode versions =
        CliRunner.run("models", "list", "--workdir", workdir().toString(), "--json").json();
    assertThat(versions).hasSize(2);
    assertThat(versions.get(0).get("aliases").get(0).asText()).isEqualTo("production");
    assertThat(versions.get(1).get("aliases")).isEmpty();
  }

  @Test
  void textOutputShowsLeaderboardAndGate() throws IOException {
    HouseData.writeCsv(dir.resolve("houses.csv"), 800, 4);
    Path spec =
        spec(
            "houses.yaml",
            "name: houses\ntask: regression\ntarget: price\nsource: {csv: houses.csv}\n"
                + FAST_CANDIDATES);

    CliRunner.Result r = CliRunner.run("run", spec.toString(), "--workdir", workdir().toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("CANDIDATE", "baseline", "gbt", "rmse", "gate: passed", "version 1");
    List<String> lines = r.out().lines().toList();
    assertThat(lines).anyMatch(l -> l.startsWith("gbt") && l.contains("rounds=50"));
  }

  @Test
  void trainsFromAPostgresqlTable() throws IOException {
    String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    String table = "flywheel_run_command_loans";
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute(
          "CREATE TABLE "
              + table
              + " (income DOUBLE PRECISION, debt_ratio DOUBLE PRECISION, age INTEGER, plan TEXT,"
              + " region TEXT, \"default\" INTEGER)");
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?)")) {
        for (String[] row : LoanData.rows(1200, 6, 0)) {
          ps.setObject(1, row[0].isEmpty() ? null : Double.valueOf(row[0]));
          ps.setDouble(2, Double.parseDouble(row[1]));
          ps.setInt(3, Integer.parseInt(row[2]));
          ps.setString(4, row[3].isEmpty() ? null : row[3]);
          ps.setString(5, row[4]);
          ps.setInt(6, Integer.parseInt(row[5]));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    } catch (SQLException e) {
      org.junit.jupiter.api.Assumptions.abort(
          "PostgreSQL on 127.0.0.1:5432 is not running: " + e.getMessage());
    }
    try {
      Path spec =
          spec(
              "pg.yaml",
              "name: loans-pg\ntask: classification\ntarget: default\nsource:\n  jdbc: {url: \""
                  + url
                  + "\", table: "
                  + table
                  + ", fetch_size: 100}\n"
                  + FAST_CANDIDATES);

      CliRunner.Result r =
          CliRunner.run("run", spec.toString(), "--workdir", workdir().toString(), "--json");

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.json().at("/dataset/rows").asInt()).isEqualTo(1200);
      assertThat(r.err()).contains("table " + table).doesNotContain("user=postgres");
    } finally {
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
      } catch (SQLException ignored) {
        // best effort
      }
    }
  }
}
