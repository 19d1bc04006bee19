package dev.flywheel.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.core.serving.Ulid;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Scores checked rows with a served model and logs every prediction. Shared by the v1 and v2
 * endpoints, so both answer and log exactly alike.
 */
final class PredictionService {

  private final PredictionLog log;
  private final ServerMetrics metrics;
  private final Ulid ids;
  private final Clock clock;

  PredictionService(PredictionLog log, ServerMetrics metrics, Ulid ids, Clock clock) {
    this.log = log;
    this.metrics = metrics;
    this.ids = ids;
    this.clock = clock;
  }

  /**
   * The scored rows.
   *
   * @param ids one prediction id per row
   * @param predictions the model's outputs
   * @param labels for classifiers, each row's label; null for regression
   */
  record Scored(String[] ids, Predictions predictions, String[] labels) {}

  /**
   * @param rows checked raw values per row
   * @param inputs each row as JSON, for the log
   * @throws ApiError 503 when the prediction log is full
   */
  Scored predict(ServedModel model, List<Map<String, Object>> rows, List<String> inputs) {
    if (log.pending() + rows.size() > log.capacity()) {
      throw overloaded();
    }
    double[][] x = new double[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = model.bundle().pipeline().transform(rows.get(i));
    }
    Predictions predictions = model.bundle().model().predict(x);
    String[] ids = new String[x.length];
    String[] labels = model.classifier() ? new String[x.length] : null;
    Instant now = clock.instant();
    for (int i = 0; i < x.length; i++) {
      ids[i] = this.ids.next();
      ObjectNode output = JsonNodeFactory.instance.objectNode();
      switch (predictions) {
        case Predictions.Probabilities p -> {
          labels[i] = p.label(i);
          output.put("label", labels[i]);
          ObjectNode probs = output.putObject("probabilities");
          for (int k = 0; k < p.classes().size(); k++) {
            probs.put(p.classes().get(k), p.probabilities()[i][k]);
          }
        }
        case Predictions.Values v -> output.put("value", v.values()[i]);
      }
      if (!log.offer(
          new PredictionRecord(
              ids[i], now, model.name(), model.number(), inputs.get(i), output.toString()))) {
        throw overloaded();
      }
    }
    metrics.predictions.labelValues(model.name(), Integer.toString(model.number())).inc(x.length);
    return new Scored(ids, predictions, labels);
  }

  private static ApiError overloaded() {
    return new ApiError(
        503,
        "overloaded",
        "the server is overloaded: its prediction log is full. Retry after a second.",
        null);
  }
}
