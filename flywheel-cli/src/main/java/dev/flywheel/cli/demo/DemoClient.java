package dev.flywheel.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The demo's HTTP client: it talks to the server exactly as a user's application would. */
final class DemoClient {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String model;

  DemoClient(int port, String model) {
    this.base = "http://127.0.0.1:" + port;
    this.model = model;
  }

  String base() {
    return base;
  }

  /** One single-row v1 predict: the prediction id, the label and the version that answered. */
  record Answer(String predictionId, String label, int version) {}

  Answer predict(Map<String, Object> features) {
    JsonNode r =
        send(
            "POST",
            "/v1/models/" + model + ":predict",
            "{\"instances\": [" + Json.mapper().valueToTree(features) + "]}");
    JsonNode p = r.at("/predictions/0");
    return new Answer(
        p.get("prediction_id").asText(), p.get("label").asText(), r.get("model_version").asInt());
  }

  /** Sends labels as one feedback request (a JSON array); returns how many were accepted. */
  int feedback(java.util.List<String[]> labels) {
    StringBuilder body = new StringBuilder("[");
    for (String[] l : labels) {
      if (body.length() > 1) {
        body.append(',');
      }
      body.append("{\"prediction_id\": \"")
          .append(l[0])
          .append("\", \"label\": \"")
          .append(l[1])
          .append("\"}");
    }
    return send("POST", "/v1/models/" + model + "/feedback", body.append(']').toString())
        .get("accepted")
        .asInt();
  }

  JsonNode monitoring() {
    return send("GET", "/v1/models/" + model + "/monitoring", null);
  }

  private JsonNode send(String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    b =
        body == null
            ? b.GET()
            : b.header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new InfrastructureException(
            "the demo's request "
                + method
                + " "
                + path
                + " got "
                + r.statusCode()
                + ": "
                + r.body(),
            null);
      }
      return Json.mapper().readTree(r.body());
    } catch (IOException e) {
      throw new InfrastructureException(
          "the demo's request " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted", e);
    }
  }
}
