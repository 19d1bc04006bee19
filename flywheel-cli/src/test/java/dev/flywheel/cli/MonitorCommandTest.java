package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flywheel monitor} on a workdir where a server answered drifted traffic, and on workdirs
 * with nothing to monitor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorCommandTest {

  private static final String SPEC =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      candidates: [{algorithm: xgboost, params: {rounds: 30, max_depth: 3}}]
      """;

  private Path dir;
  private Path work;

  @BeforeAll
  void trainAndServeDriftedTraffic(@TempDir Path tmp) throws Exception {
    dir = tmp;
    work = dir.resolve("work");
    LoanData.writeCsv(dir.resolve("loans.csv"), 1000, 31, 0);
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), SPEC);
    assertThat(CliRunner.run("run", spec.toString(), "--workdir", work.toString(), "-q").exitCode())
        .isZero();

    ArrayNode instances = Json.mapper().createArrayNode();
    for (String[] c : LoanData.rows(300, 5, 1.0)) {
      ObjectNode i = instances.addObject();
      if (c[0].isEmpty()) {
        i.putNull("income");
      } else {
        i.put("income", Double.parseDouble(c[0]));
      }
      i.put("debt_ratio", Double.parseDouble(c[1]));
      i.put("age", Integer.parseInt(c[2]));
      if (c[3].isEmpty()) {
        i.putNull("plan");
      } else {
        i.put("plan", c[3]);
      }
      i.put("region", c[4]);
    }
    ObjectNode body = Json.mapper().createObjectNode().set("instances", instances);
    try (Workdir workdir = Workdir.open(work);
        FlywheelServer server =
            FlywheelServer.start(workdir, ServerConfig.defaults().withPort(0))) {
      TestHttp.Response r =
          TestHttp.post(server.port(), "/v1/models/loans:predict", body.toString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
  }

  @Test
  void jsonIsAnArrayOfReportsComputedFromTheWorkdir() {
    CliRunner.Result r = CliRunner.run("monitor", "--json", "--workdir", work.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.isArray()).isTrue();
    assertThat(json).hasSize(1);
    JsonNode report = json.get(0);
    assertThat(report.get("model").asText()).isEqualTo("loans");
    assertThat(report.get("model_version").asInt()).isEqualTo(1);
    assertThat(report.at("/window/predictions").asInt()).isEqualTo(300);
    assertThat(report.at("/drift/drifted").asBoolean()).isTrue();
    assertThat(report.at("/drift/features/0/name").asText()).isEqualTo("income");
    assertThat(report.at("/drift/features/0/psi").asDouble()).isGreaterThanOrEqualTo(0.2);
    assertThat(report.at("/performance/labels").asInt()).isZero();
    assertThat(report.at("/retraining/in_progress").asBoolean()).isFalse();
  }

  @Test
  void jsonWithAModelIsOneReport() {
    CliRunner.Result r =
        CliRunner.run("monitor", "--model", "loans", "--json", "--workdir", work.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.json().isObject()).isTrue();
    assertThat(r.json().get("model").asText()).isEqualTo("loans");
  }

  @Test
  void theTableShowsPsiPerFeatureWithAMarkerAndThePerformanceLine() {
    CliRunner.Result r = CliRunner.run("monitor", "--workdir", work.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("loans v1: DRIFTED, performance ok\n")
        .contains("  window       300 predictions, ")
        .contains("  drift        psi, threshold 0.2: 2 of 5 features drifted: DRIFTED\n")
        .containsPattern("\\n    FEATURE +PSI\\n")
        .containsPattern("\\n    income +\\d+\\.\\d{4}  drifted\\n")
        .containsPattern("\\n    debt_ratio +\\d+\\.\\d{4}  drifted\\n")
        .containsPattern("\\n    age +0\\.\\d{4}\\n")
        .contains("  performance  accuracy: no labels fed back for this version yet\n");
  }

  @Test
  void anUnknownModelIsBadInput() {
    CliRunner.Result r =
        CliRunner.run("monitor", "--model", "nobody", "--workdir", work.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--model: there is no model 'nobody'", "models: loans");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aWorkdirWithoutAProductionModelSaysSoAndSucceeds() {
    Path empty = dir.resolve("empty");

    CliRunner.Result table = CliRunner.run("monitor", "--workdir", empty.toString());
    CliRunner.Result json = CliRunner.run("monitor", "--json", "--workdir", empty.toString());

    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).isEmpty();
    assertThat(table.err()).contains("no model is in production", "flywheel run");
    assertThat(json.exitCode()).isZero();
    assertThat(json.json().isArray()).isTrue();
    assertThat(json.json()).isEmpty();
  }
}
