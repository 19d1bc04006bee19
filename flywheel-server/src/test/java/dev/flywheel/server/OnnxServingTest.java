package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.OnnxFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An imported ONNX graph served over real HTTP: the server loads it from its bundle like any model,
 * and its answers are ONNX Runtime's own for the same rows, one at a time and in batches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxServingTest {

  private Workdir workdir;
  private FlywheelServer server;
  private Http http;
  private List<String[]> rows;
  private double threshold;

  @BeforeAll
  void start(@TempDir Path dir) {
    workdir = Workdir.open(dir.resolve("work"));
    OnnxFixtures.copy(OnnxFixtures.TRIBUO_LOGISTIC, dir);
    threshold =
        Models.train(
                workdir,
                dir,
                """
        name: churn
        task: classification
        target: churn
        source: {csv: tribuo-logistic.csv}
        candidates:
          - name: tribuo
            algorithm: onnx
            model: tribuo-logistic.onnx
            inputs: {input: [segment=a, segment=b, x1, x2]}
            classes: ["no", "yes"]
        """)
            .selected()
            .threshold();
    server =
        FlywheelServer.start(
            workdir, ServerConfig.defaults().withPort(0).withPollInterval(Duration.ofMillis(200)));
    http = new Http(server.port());
    String csv = new String(OnnxFixtures.bytes("tribuo-logistic.csv"), StandardCharsets.UTF_8);
    rows = csv.lines().skip(1).limit(40).map(l -> l.split(",")).toList();
  }

  @AfterAll
  void stop() {
    server.close();
    workdir.close();
  }

  @Test
  void v1BatchAndSingleRowsAnswerWhatOnnxRuntimeAnswers() throws OrtException {
    float[][] expected = direct(rows);

    StringBuilder body = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < rows.size(); i++) {
      body.append(i == 0 ? "" : ",").append(instance(rows.get(i)));
    }
    Http.Response batch = http.post("/v1/models/churn:predict", body.append("]}").toString());

    assertThat(batch.status()).as(batch.body()).isEqualTo(200);
    JsonNode predictions = batch.json().get("predictions");
    assertThat(predictions).hasSize(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode p = predictions.get(i);
      assertThat(p.at("/probabilities/no").asDouble()).isEqualTo(expected[i][0]);
      assertThat(p.at("/probabilities/yes").asDouble()).isEqualTo(expected[i][1]);
      // The label follows the threshold chosen on validation, like any binary candidate's.
      assertThat(p.get("label").asText()).isEqualTo(expected[i][1] >= threshold ? "yes" : "no");
    }

    for (int i = 0; i < 5; i++) {
      Http.Response one =
          http.post("/v1/models/churn:predict", "{\"instances\": [" + instance(rows.get(i)) + "]}");
      assertThat(one.status()).as(one.body()).isEqualTo(200);
      assertThat(one.json().at("/predictions/0/probabilities/yes").asDouble())
          .isEqualTo(expected[i][1]);
    }
  }

  @Test
  void v2InferAnswersWhatOnnxRuntimeAnswers() throws OrtException {
    float[][] expected = direct(rows.subList(0, 3));
    String body =
        """
        {"inputs": [
          {"name": "x1", "datatype": "FP64", "shape": [3], "data": [%s, %s, %s]},
          {"name": "x2", "datatype": "FP64", "shape": [3], "data": [%s, %s, %s]},
          {"name": "segment", "datatype": "BYTES", "shape": [3], "data": ["%s", "%s", "%s"]}]}
        """
            .formatted(
                rows.get(0)[0],
                rows.get(1)[0],
                rows.get(2)[0],
                rows.get(0)[1],
                rows.get(1)[1],
                rows.get(2)[1],
                rows.get(0)[2],
                rows.get(1)[2],
                rows.get(2)[2]);

    Http.Response r = http.post("/v2/models/churn/infer", body);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode probabilities = null;
    for (JsonNode output : r.json().get("outputs")) {
      if (output.get("name").asText().equals("probabilities")) {
        probabilities = output;
      }
    }
    assertThat(probabilities).isNotNull();
    for (int i = 0; i < 3; i++) {
      assertThat(probabilities.at("/data/" + (2 * i)).asDouble()).isEqualTo(expected[i][0]);
      assertThat(probabilities.at("/data/" + (2 * i + 1)).asDouble()).isEqualTo(expected[i][1]);
    }
  }

  private static String instance(String[] f) {
    return "{\"x1\": " + f[0] + ", \"x2\": " + f[1] + ", \"segment\": \"" + f[2] + "\"}";
  }

  /** The graph run with plain ONNX Runtime calls on the same rows, in Tribuo's input order. */
  private static float[][] direct(List<String[]> rows) throws OrtException {
    float[][] x = new float[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      String[] f = rows.get(i);
      boolean b = f[2].equals("b");
      x[i] = new float[] {b ? 0 : 1, b ? 1 : 0, Float.parseFloat(f[0]), Float.parseFloat(f[1])};
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(OnnxFixtures.bytes("tribuo-logistic.onnx"));
        OnnxTensor input = OnnxTensor.createTensor(env, x);
        OrtSession.Result r = session.run(Map.of("input", input))) {
      return (float[][]) r.get("output").orElseThrow().getValue();
    }
  }
}
