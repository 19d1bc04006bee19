package dev.flywheel.server;

import dev.flywheel.core.model.DecisionRule;
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
  private final Ulid ids;
  private final Clock clock;

  PredictionService(PredictionLog log, Ulid ids, Clock clock) {
    this.log = log;
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
  record Scored(String[] ids, Predictions predictions, String[] labels, String[] outputs) {}

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
    // A binary model's label follows its chosen threshold, not the argmax (docs/serving.md).
    DecisionRule rule = model.bundle().manifest().decisionRule();
    String[] ids = new String[x.length];
    String[] labels = model.classifier() ? new String[x.length] : null;
    String[] outputs = new String[x.length];
    Instant now = clock.instant();
    StringBuilder sb = new StringBuilder(96);
    for (int i = 0; i < x.length; i++) {
      ids[i] = this.ids.next();
      // The answer's JSON is written once, by hand, and shared by the log and the response.
      sb.setLength(0);
      switch (predictions) {
        case Predictions.Probabilities p -> {
          labels[i] = rule.label(p, i);
          sb.append("{\"label\":");
          JsonText.string(sb, labels[i]);
          sb.append(",\"probabilities\":{");
          for (int k = 0; k < p.classes().size(); k++) {
            if (k > 0) {
              sb.append(',');
            }
            JsonText.string(sb, p.classes().get(k));
            sb.append(':');
            JsonText.number(sb, p.probabilities()[i][k]);
          }
          sb.append("}}");
        }
        case Predictions.Values v -> {
          sb.append("{\"value\":");
          JsonText.number(sb, v.values()[i]);
          sb.append('}');
        }
      }
      outputs[i] = sb.toString();
      if (!log.offer(
          new PredictionRecord(
              ids[i], now, model.name(), model.number(), inputs.get(i), outputs[i]))) {
        throw overloaded();
      }
    }
    model.meters().predictions().inc(x.length);
    return new Scored(ids, predictions, labels, outputs);
  }

  private static ApiError overloaded() {
    return new ApiError(
        503,
        "overloaded",
        "the server is overloaded: its prediction log is full. Retry after a second.",
        null);
  }
}
