package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import dev.flywheel.pipeline.monitor.MonitoringReport;
import dev.flywheel.pipeline.monitor.RetrainingStatus;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitoring over real HTTP: drifted traffic through the predict endpoint, labels through the
 * feedback endpoint, and the report, gauges and listeners that follow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitoringTest {

  private Workdir workdir;
  private FlywheelServer server;
  private Http http;
  private final BlockingQueue<MonitoringReport> heard = new LinkedBlockingQueue<>();
  private final List<String> ids = new ArrayList<>();
  private final List<String> truths = new ArrayList<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    workdir = Workdir.open(dir.resolve("work"));
    Models.train(workdir, dir, Models.LOANS);
    server =
        FlywheelServer.start(
            workdir,
            ServerConfig.defaults()
                .withPort(0)
                .withPollInterval(Duration.ofMillis(200))
                .withMonitorInterval(Duration.ofMillis(200)));
    server.monitoring().subscribe(heard::add);
    http = new Http(server.port());

    // 300 loan applications after the drift: lower incomes, higher debt.
    List<String[]> rows = LoanData.rows(300, 77, 1.0);
    ArrayNode instances = Json.mapper().createArrayNode();
    for (String[] c : rows) {
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
      truths.add(c[5]);
    }
    ObjectNode body = Json.mapper().createObjectNode();
    body.set("instances", instances);
    Http.Response r = http.post("/v1/models/loans:predict", body.toString());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    for (JsonNode p : r.json().get("predictions")) {
      ids.add(p.get("prediction_id").asText());
    }
  }

  @AfterAll
  void stop() {
    server.close();
    workdir.close();
  }

  @Test
  void theMonitoringEndpointReportsDriftOnTheShiftedFeatures() {
    Http.Response r = http.get("/v1/models/loans/monitoring");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode json = r.json();
    assertThat(json.get("model").asText()).isEqualTo("loans");
    assertThat(json.get("model_version").asInt()).isEqualTo(1);
    assertThat(json.at("/window/predictions").asInt()).isEqualTo(300);
    assertThat(json.at("/window/from").asText()).endsWith("Z");
    assertThat(json.at("/drift/method").asText()).isEqualTo("psi");
    assertThat(json.at("/drift/threshold").asDouble()).isEqualTo(0.2);
    assertThat(json.at("/drift/drifted").asBoolean()).isTrue();
    List<String> drifted = new ArrayList<>();
    for (JsonNode f : json.at("/drift/features")) {
      assertThat(f.get("psi").isNumber()).isTrue();
      if (f.get("drifted").asBoolean()) {
        drifted.add(f.get("name").asText());
      }
    }
    assertThat(drifted).containsExactlyInAnyOrder("income", "debt_ratio");
    assertThat(json.at("/performance/metric").asText()).isEqualTo("accuracy");
    assertThat(json.at("/performance/min").isNull()).isTrue();
    assertThat(json.at("/performance/degraded").asBoolean()).isFalse();
    assertThat(json.at("/retraining").toString())
        .isEqualTo("{\"in_progress\":false,\"last\":null}");
  }

  @Test
  void anUnservedModelIsA404() {
    Http.Response r = http.get("/v1/models/nobody/monitoring");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("not_found");
    assertThat(r.json().at("/error/message").asText())
        .contains("'nobody' is not served", "served models: loans");
  }

  @Test
  void feedbackCountsInPerformanceAtOnce() {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 50; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"prediction_id\": \"")
          .append(ids.get(i))
          .append("\", \"label\": \"")
          .append(truths.get(i))
          .append("\"}");
    }
    assertThat(http.post("/v1/models/loans/feedback", body.append(']').toString()).status())
        .isEqualTo(200);

    JsonNode json = http.get("/v1/models/loans/monitoring").json();

    assertThat(json.at("/performance/labels").asInt()).isEqualTo(50);
    assertThat(json.at("/performance/value").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void metricsShowPsiPerModelAndFeature() {
    assertThat(http.get("/v1/models/loans/monitoring").status()).isEqualTo(200);

    String metrics = http.get("/metrics").body();

    // The client writes label names in sorted order: {feature="…",model="…"} is the data point
    // flywheel_drift_psi{model,feature} of INTERFACES.md.
    assertThat(metrics)
        .contains("# TYPE flywheel_drift_psi gauge")
        .contains("flywheel_drift_psi{feature=\"region\",model=\"loans\"} ");
    Matcher income =
        Pattern.compile("flywheel_drift_psi\\{feature=\"income\",model=\"loans\"} (\\S+)")
            .matcher(metrics);
    assertThat(income.find()).as(metrics).isTrue();
    assertThat(Double.parseDouble(income.group(1))).isGreaterThanOrEqualTo(0.2);
  }

  @Test
  void listenersHearTheBackgroundRefreshOfEveryServedModel() throws InterruptedException {
    MonitoringReport report = heard.poll(10, TimeUnit.SECONDS);

    assertThat(report).isNotNull();
    assertThat(report.model()).isEqualTo("loans");
    assertThat(server.monitoring().latest("loans")).isPresent();
    assertThat(server.monitoring().latest()).containsOnlyKeys("loans");
  }

  @Test
  void theRetrainingPartComesFromTheRetrainingController() {
    server
        .monitoring()
        .retrainingStatus(
            model ->
                new RetrainingStatus(true, new RetrainingStatus.Last("r-000007", "drift", false)));
    try {
      JsonNode json = http.get("/v1/models/loans/monitoring").json();

      assertThat(json.at("/retraining").toString())
          .isEqualTo(
              "{\"in_progress\":true,\"last\":{\"run_id\":\"r-000007\",\"trigger\":\"drift\","
                  + "\"promoted\":false}}");
    } finally {
      server.monitoring().retrainingStatus(model -> RetrainingStatus.NONE);
    }
  }
}
