package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.store.Workdir;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint and error path, over real HTTP against a server on port 0. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingTest {

  private Workdir workdir;
  private FlywheelServer server;
  private Http http;

  private static final String LOAN =
      "{\"income\": 52000.5, \"debt_ratio\": 0.41, \"age\": 37, \"plan\": \"basic\", \"region\": \"west\"}";

  @BeforeAll
  void start(@TempDir Path dir) {
    workdir = Workdir.open(dir.resolve("work"));
    Models.train(workdir, dir, Models.LOANS);
    Models.train(workdir, dir, Models.HOUSES);
    server =
        FlywheelServer.start(
            workdir,
            ServerConfig.defaults()
                .withPort(0)
                .withMaxBodyBytes(64 * 1024)
                .withPollInterval(Duration.ofMillis(200)));
    http = new Http(server.port());
  }

  @AfterAll
  void stop() {
    server.close();
    workdir.close();
  }

  @Test
  void v1PredictAnswersALabelProbabilitiesAndAnId() {
    Http.Response r =
        http.post("/v1/models/loans:predict", "{\"instances\": [" + LOAN + ", " + LOAN + "]}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode json = r.json();
    assertThat(json.get("model").asText()).isEqualTo("loans");
    assertThat(json.get("model_version").asInt()).isEqualTo(1);
    assertThat(json.get("predictions")).hasSize(2);
    JsonNode p = json.at("/predictions/0");
    assertThat(p.get("prediction_id").asText()).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(p.get("label").asText()).isIn("0", "1");
    double sum =
        p.get("probabilities").get("0").asDouble() + p.get("probabilities").get("1").asDouble();
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(json.at("/predictions/1/prediction_id").asText())
        .isNotEqualTo(p.get("prediction_id").asText());
    assertThat(json.has("warnings")).isFalse();
  }

  @Test
  void v1PredictAnswersAValueForRegression() {
    Http.Response r =
        http.post(
            "/v1/models/houses:predict",
            "{\"instances\": [{\"size_m2\": 120, \"rooms\": 4, \"age_years\": 10, \"location\": \"city\"}]}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().at("/predictions/0/value").asDouble()).isGreaterThan(100_000);
    assertThat(r.json().at("/predictions/0/label").isMissingNode()).isTrue();
  }

  @Test
  void jsonSentAsAFormAsCurlDashDDoesIsStillJson() {
    String body = "{\"instances\": [" + (LOAN + ",").repeat(200) + LOAN + "]}";

    Http.Response r =
        http.postAs("/v1/models/loans:predict", "application/x-www-form-urlencoded", body);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("predictions")).hasSize(201);
  }

  @Test
  void explicitNullIsImputed() {
    Http.Response r =
        http.post(
            "/v1/models/loans:predict",
            "{\"instances\": [" + LOAN.replace("52000.5", "null") + "]}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @Test
  void extraFieldsAreIgnoredWithAWarning() {
    Http.Response r =
        http.post(
            "/v1/models/loans:predict",
            "{\"instances\": [" + LOAN.replace("{", "{\"zip\": \"94110\", ") + "]}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/warnings/0").asText()).contains("instance 0", "zip");
  }

  @Test
  void absentFeatureIsA400WithAPointer() {
    Http.Response r =
        http.post(
            "/v1/models/loans:predict",
            "{\"instances\": [" + LOAN.replace(", \"plan\": \"basic\"", "") + "]}");

    assertThat(r.status()).isEqualTo(400);
    JsonNode error = r.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("missing_feature");
    assertThat(error.get("message").asText())
        .isEqualTo("instance 0 lacks 'plan' (categorical, one of basic|plus|pro)");
    assertThat(error.get("pointer").asText()).isEqualTo("/instances/0");
  }

  @Test
  void wrongTypeIsA400PointingAtTheValue() {
    Http.Response r =
        http.post(
            "/v1/models/loans:predict",
            "{\"instances\": [" + LOAN + ", " + LOAN.replace("37", "\"old\"") + "]}");

    assertThat(r.status()).isEqualTo(400);
    JsonNode error = r.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("wrong_type");
    assertThat(error.get("pointer").asText()).isEqualTo("/instances/1/age");
    assertThat(error.get("message").asText()).contains("'age' must be a number", "\"old\"");
  }

  @Test
  void badJsonIsA400SayingWhere() {
    Http.Response r = http.post("/v1/models/loans:predict", "{\"instances\": [");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("bad_json");
    assertThat(r.json().at("/error/message").asText()).contains("not valid JSON", "line 1");
    assertThat(r.json().at("/error/pointer").asText()).isEmpty();
  }

  @Test
  void missingInstancesIsA400() {
    Http.Response r = http.post("/v1/models/loans:predict", "{\"rows\": []}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/pointer").asText()).isEqualTo("/instances");
  }

  @Test
  void unknownModelIsA404ListingTheServedOnes() {
    Http.Response r = http.post("/v1/models/churn:predict", "{\"instances\": [{}]}");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("not_found");
    assertThat(r.json().at("/error/message").asText())
        .contains("'churn' is not served", "houses, loans");
  }

  @Test
  void bodyOverTheLimitIsA413() {
    String big = "{\"instances\": [" + (LOAN + ",").repeat(1000) + LOAN + "]}";

    Http.Response r = http.post("/v1/models/loans:predict", big);

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("body_too_large");
  }

  @Test
  void unknownPathAndWrongMethodAreJsonErrors() {
    assertThat(http.get("/v3/nothing").status()).isEqualTo(404);
    assertThat(http.get("/v3/nothing").json().at("/error/code").asText()).isEqualTo("not_found");
    Http.Response wrongMethod = http.get("/v2/models/loans/infer");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().at("/error/code").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void feedbackJoinsToPredictionsFirstLabelWins() {
    String id =
        http.post("/v1/models/loans:predict", "{\"instances\": [" + LOAN + "]}")
            .json()
            .at("/predictions/0/prediction_id")
            .asText();

    Http.Response first =
        http.post(
            "/v1/models/loans/feedback", "{\"prediction_id\": \"" + id + "\", \"label\": \"1\"}");
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json())
        .isEqualTo(json("{\"accepted\": 1, \"duplicates\": 0, \"unknown\": []}"));

    Http.Response many =
        http.post(
            "/v1/models/loans/feedback",
            "[{\"prediction_id\": \""
                + id
                + "\", \"label\": \"0\"}, {\"prediction_id\": \"NOPE\", \"label\": \"1\"}]");
    assertThat(many.json())
        .isEqualTo(json("{\"accepted\": 0, \"duplicates\": 1, \"unknown\": [\"NOPE\"]}"));
  }

  @Test
  void feedbackForAnotherModelsPredictionIsUnknown() {
    String id =
        http.post("/v1/models/loans:predict", "{\"instances\": [" + LOAN + "]}")
            .json()
            .at("/predictions/0/prediction_id")
            .asText();

    Http.Response r =
        http.post(
            "/v1/models/houses/feedback", "{\"prediction_id\": \"" + id + "\", \"label\": 1}");

    assertThat(r.json().get("unknown").get(0).asText()).isEqualTo(id);
  }

  @Test
  void badFeedbackIsA400WithAPointer() {
    Http.Response r = http.post("/v1/models/loans/feedback", "[{\"prediction_id\": \"X\"}]");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/pointer").asText()).isEqualTo("/0/label");
    assertThat(http.post("/v1/models/nobody/feedback", "{}").status()).isEqualTo(404);
  }

  @Test
  void v2HealthAndServerMetadata() {
    assertThat(http.get("/v2/health/live").json().get("live").asBoolean()).isTrue();
    assertThat(http.get("/v2/health/ready").json().get("ready").asBoolean()).isTrue();
    assertThat(http.get("/v2").json().get("name").asText()).isEqualTo("flywheel");
  }

  @Test
  void v2ModelMetadataDescribesTheTensors() {
    JsonNode meta = http.get("/v2/models/loans").json();

    assertThat(meta.get("name").asText()).isEqualTo("loans");
    assertThat(meta.get("versions").get(0).asText()).isEqualTo("1");
    assertThat(meta.at("/inputs/0/name").asText()).isEqualTo("income");
    assertThat(meta.at("/inputs/0/datatype").asText()).isEqualTo("FP64");
    assertThat(meta.at("/inputs/3/datatype").asText()).isEqualTo("BYTES");
    assertThat(meta.at("/outputs/1/parameters/classes").toString()).isEqualTo("[\"0\",\"1\"]");
    assertThat(http.get("/v2/models/loans/versions/1").status()).isEqualTo(200);
    assertThat(http.get("/v2/models/loans/ready").json().get("ready").asBoolean()).isTrue();
    assertThat(http.get("/v2/models/loans/versions/1/ready").status()).isEqualTo(200);
  }

  @Test
  void v2UnknownVersionOrModelIsA404() {
    Http.Response r = http.get("/v2/models/loans/versions/7");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().at("/error/message").asText())
        .contains("version 7", "production version is 1");
    assertThat(http.get("/v2/models/nope/ready").status()).isEqualTo(404);
  }

  private static final String TENSORS =
      """
      {"id": "req-1", "inputs": [
        {"name": "income", "shape": [2], "datatype": "FP64", "data": [52000.5, null]},
        {"name": "debt_ratio", "shape": [2], "datatype": "FP32", "data": [0.41, 0.2]},
        {"name": "age", "shape": [2, 1], "datatype": "INT64", "data": [[37], [52]]},
        {"name": "plan", "shape": [2], "datatype": "BYTES", "data": ["basic", "pro"]},
        {"name": "region", "shape": [2], "datatype": "BYTES", "data": ["west", null]}
      ]}
      """;

  @Test
  void v2InferAnswersLabelsProbabilitiesAndIds() {
    Http.Response r = http.post("/v2/models/loans/infer", TENSORS);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode json = r.json();
    assertThat(json.get("model_name").asText()).isEqualTo("loans");
    assertThat(json.get("model_version").asText()).isEqualTo("1");
    assertThat(json.get("id").asText()).isEqualTo("req-1");
    assertThat(json.at("/outputs/0/name").asText()).isEqualTo("label");
    assertThat(json.at("/outputs/0/data")).hasSize(2);
    assertThat(json.at("/outputs/1/name").asText()).isEqualTo("probabilities");
    assertThat(json.at("/outputs/1/shape").toString()).isEqualTo("[2,2]");
    assertThat(json.at("/outputs/1/data")).hasSize(4);
    assertThat(json.at("/outputs/2/name").asText()).isEqualTo("prediction_id");
    assertThat(json.at("/outputs/2/data/0").asText()).hasSize(26);
    assertThat(http.post("/v2/models/loans/versions/1/infer", TENSORS).status()).isEqualTo(200);
  }

  @Test
  void v2InferMatchesV1() {
    JsonNode v2 = http.post("/v2/models/loans/infer", TENSORS).json();
    JsonNode v1 = http.post("/v1/models/loans:predict", "{\"instances\": [" + LOAN + "]}").json();

    assertThat(v2.at("/outputs/1/data/1").asDouble())
        .isEqualTo(v1.at("/predictions/0/probabilities/1").asDouble());
  }

  @Test
  void v2InferRegressionAnswersValues() {
    Http.Response r =
        http.post(
            "/v2/models/houses/infer",
            """
            {"inputs": [
              {"name": "size_m2", "shape": [1], "datatype": "FP64", "data": [120]},
              {"name": "rooms", "shape": [1], "datatype": "INT32", "data": [4]},
              {"name": "age_years", "shape": [1], "datatype": "INT32", "data": [10]},
              {"name": "location", "shape": [1], "datatype": "BYTES", "data": ["city"]}
            ]}
            """);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().at("/outputs/0/name").asText()).isEqualTo("value");
    assertThat(r.json().at("/outputs/0/datatype").asText()).isEqualTo("FP64");
  }

  @Test
  void v2InferErrorsPointAtTheTensor() {
    Http.Response missing =
        http.post("/v2/models/loans/infer", TENSORS.replace("\"plan\"", "\"plans\""));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().at("/error/code").asText()).isEqualTo("missing_feature");
    assertThat(missing.json().at("/error/message").asText()).contains("'plan' is missing", "BYTES");

    Http.Response wrongType =
        http.post(
            "/v2/models/loans/infer",
            TENSORS.replace("\"datatype\": \"FP32\"", "\"datatype\": \"BYTES\""));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().at("/error/pointer").asText()).isEqualTo("/inputs/1/datatype");

    Http.Response badShape =
        http.post(
            "/v2/models/loans/infer",
            TENSORS.replace(
                "\"shape\": [2], \"datatype\": \"FP64\"",
                "\"shape\": [3], \"datatype\": \"FP64\""));
    assertThat(badShape.status()).isEqualTo(400);
    assertThat(badShape.json().at("/error/code").asText()).isEqualTo("bad_shape");

    Http.Response badValue =
        http.post(
            "/v2/models/loans/infer", TENSORS.replace("[\"basic\", \"pro\"]", "[\"basic\", 3]"));
    assertThat(badValue.status()).isEqualTo(400);
    assertThat(badValue.json().at("/error/pointer").asText()).isEqualTo("/inputs/3/data/1");
  }

  @Test
  void metricsAreInThePrometheusTextFormat() {
    http.post("/v1/models/loans:predict", "{\"instances\": [" + LOAN + "]}");

    Http.Response r = http.get("/metrics");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    assertThat(r.body())
        .contains("flywheel_predictions_total{model=\"loans\",version=\"1\"}")
        .contains("flywheel_prediction_latency_seconds_bucket{model=\"loans\",le=\"0.001\"}")
        .contains("flywheel_model_version{model=\"houses\"} 1.0")
        .contains("flywheel_prediction_log_pending");
  }

  @Test
  void everyAnsweredPredictionIsInTheLog() {
    String id =
        http.post(
                "/v1/models/houses:predict",
                "{\"instances\": [{\"size_m2\": 80, \"rooms\": 2, \"age_years\": 1, \"location\": \"rural\"}]}")
            .json()
            .at("/predictions/0/prediction_id")
            .asText();

    workdir.predictionLog().flush();
    var logged = workdir.predictionLog().recent("houses", 1000);
    var record = logged.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    assertThat(record.version()).isEqualTo(1);
    assertThat(json(record.inputs()).get("location").asText()).isEqualTo("rural");
    assertThat(json(record.output()).get("value").isNumber()).isTrue();
  }

  private static JsonNode json(String text) {
    try {
      return dev.flywheel.core.Json.mapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
