package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.Json;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import dev.flywheel.store.StoreUrl;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --store}: the metadata in PostgreSQL instead of the workdir's SQLite file. */
class StoreOptionTest {

  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TempDir Path dir;

  @Test
  void anUnreachableStoreExitsWithFourNamingTheHostButNotThePassword() {
    for (String quietOrVerbose : new String[] {"-q", "-v"}) {
      CliRunner.Result r =
          CliRunner.run(
              "runs",
              "list",
              quietOrVerbose,
              "--workdir",
              dir.resolve("work").toString(),
              "--store",
              "jdbc:postgresql://127.0.0.1:1/test?user=fw&password=s3cret-pw&connectTimeout=2");

      assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
      assertThat(r.err()).contains("127.0.0.1:1", "PostgreSQL").doesNotContain("s3cret-pw");
      assertThat(r.out()).doesNotContain("s3cret-pw");
    }
    assertThat(dir.resolve("work/flywheel.db")).doesNotExist();
  }

  @Test
  void aStoreUrlFlywheelDoesNotKnowIsBadInputWithoutItsPassword() {
    CliRunner.Result r =
        CliRunner.run(
            "runs",
            "list",
            "--workdir",
            dir.resolve("work").toString(),
            "--store",
            "jdbc:mysql://admin:s3cret-pw@db.example.com/flywheel");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err())
        .contains("jdbc:mysql://db.example.com/flywheel", "jdbc:postgresql://")
        .doesNotContain("s3cret-pw");
  }

  @Test
  void runsTrainAndListAgainstPostgresWithoutTouchingTheSqliteFile() throws Exception {
    String schema = "fw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(PG + "&connectTimeout=3");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      Assumptions.abort("no PostgreSQL at 127.0.0.1:5432: " + e.getMessage());
    }
    try {
      String store = PG + "&currentSchema=" + schema;
      Path work = dir.resolve("work");
      LoanData.writeCsv(dir.resolve("loans.csv"), 600, 1, 0);
      Path spec =
          Files.writeString(
              dir.resolve("flywheel.yaml"),
              "name: loans\ntask: classification\ntarget: default\nsource: {csv: loans.csv}\n"
                  + "candidates:\n  - {algorithm: linear}\n");

      CliRunner.Result run =
          CliRunner.run(
              "run", spec.toString(), "-q", "--workdir", work.toString(), "--store", store);
      assertThat(run.exitCode()).as(run.err()).isZero();

      CliRunner.Result list =
          CliRunner.run("runs", "list", "--workdir", work.toString(), "--store", store, "--json");
      assertThat(list.exitCode()).as(list.err()).isZero();
      JsonNode runs = list.json();
      assertThat(runs.toString()).contains("r-000001", "loans");

      CliRunner.Result models =
          CliRunner.run("models", "list", "--workdir", work.toString(), "--store", store, "--json");
      assertThat(models.exitCode()).as(models.err()).isZero();
      assertThat(models.out()).contains("loans");

      CliRunner.Result monitor =
          CliRunner.run("monitor", "--workdir", work.toString(), "--store", store, "--json");
      assertThat(monitor.exitCode()).as(monitor.err()).isZero();
      assertThat(monitor.out()).contains("loans");

      assertThat(work.resolve("flywheel.db")).doesNotExist();
      assertThat(work.resolve("artifacts")).isDirectory();
      try (Connection c = DriverManager.getConnection(store);
          Statement s = c.createStatement();
          var rs = s.executeQuery("SELECT count(*) FROM runs")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    } finally {
      try (Connection c = DriverManager.getConnection(PG);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  @Test
  void aServerOnAPostgresStoreServesWhatTheCliPromotesAndLogsPredictionsAndFeedbackThere()
      throws Exception {
    String schema = "fw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(PG + "&connectTimeout=3");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      Assumptions.abort("no PostgreSQL at 127.0.0.1:5432: " + e.getMessage());
    }
    String store = PG + "&currentSchema=" + schema;
    Path work = dir.resolve("work");
    LoanData.writeCsv(dir.resolve("loans.csv"), 600, 1, 0);
    Path spec =
        Files.writeString(
            dir.resolve("flywheel.yaml"),
            "name: loans\ntask: classification\ntarget: default\nsource: {csv: loans.csv}\n"
                + "candidates:\n  - {algorithm: linear}\n");
    String body =
        "{\"instances\": [{\"income\": 40000, \"debt_ratio\": 0.5, \"age\": 30,"
            + " \"plan\": \"plus\", \"region\": \"south\"}]}";
    try (Workdir workdir = Workdir.open(work, StoreUrl.resolve(store, java.util.Map.of()));
        FlywheelServer server =
            FlywheelServer.start(workdir, ServerConfig.defaults().withPort(0))) {
      CliRunner.Result run =
          CliRunner.run(
              "run", spec.toString(), "-q", "--workdir", work.toString(), "--store", store);
      assertThat(run.exitCode()).as(run.err()).isZero();

      // The server notices the promotion through the PostgreSQL registry.
      TestHttp.Response r = post(server.port(), "/v1/models/loans:predict", body);
      long start = System.nanoTime();
      while (r.statusCode() != 200 && System.nanoTime() - start < 10_000_000_000L) {
        Thread.sleep(100);
        r = post(server.port(), "/v1/models/loans:predict", body);
      }
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      String id = Json.mapper().readTree(r.body()).at("/predictions/0/prediction_id").asText();
      TestHttp.Response feedback =
          post(
              server.port(),
              "/v1/models/loans/feedback",
              "{\"prediction_id\": \"" + id + "\", \"label\": \"0\"}");
      assertThat(Json.mapper().readTree(feedback.body()).get("accepted").asInt()).isEqualTo(1);
    } finally {
      try {
        // The prediction log writes in batches: closing the server flushed it.
        try (Connection c = DriverManager.getConnection(store);
            Statement s = c.createStatement();
            var rs =
                s.executeQuery(
                    "SELECT (SELECT count(*) FROM predictions), (SELECT count(*) FROM feedback)")) {
          rs.next();
          assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
          assertThat(rs.getInt(2)).isEqualTo(1);
        }
        assertThat(work.resolve("flywheel.db")).doesNotExist();
      } finally {
        try (Connection c = DriverManager.getConnection(PG);
            Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
      }
    }
  }

  private static TestHttp.Response post(int port, String path, String body) throws Exception {
    return TestHttp.post(port, path, body);
  }
}
