package dev.flywheel.pipeline.train;

import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.ml.metrics.ClassificationMetrics;
import dev.flywheel.ml.metrics.RegressionMetrics;
import java.util.Map;

/**
 * The known answers for a set of rows, which predictions are scored against.
 *
 * @param task the task
 * @param labels class indices (classification), else null
 * @param y targets (regression), else null
 * @param positive the positive class index of a binary task
 */
public record Truth(Task task, int[] labels, double[] y, int positive) {

  public int size() {
    return task == Task.REGRESSION ? y.length : labels.length;
  }

  /** Every metric of the task that is defined on these rows. */
  public Map<String, Double> metrics(Predictions predictions) {
    return switch (predictions) {
      case Predictions.Probabilities p ->
          new ClassificationMetrics(labels, p.probabilities(), positive).all();
      case Predictions.Values v -> new RegressionMetrics(y, v.values()).all();
    };
  }

  /** One metric over the given rows (indices may repeat, as in a bootstrap resample). */
  public double metric(Metric metric, Predictions predictions, int[] rows) {
    return switch (predictions) {
      case Predictions.Probabilities p -> {
        int[] t = new int[rows.length];
        double[][] q = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
          t[i] = labels[rows[i]];
          q[i] = p.probabilities()[rows[i]];
        }
        yield new ClassificationMetrics(t, q, positive).value(metric);
      }
      case Predictions.Values v -> {
        double[] t = new double[rows.length];
        double[] q = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
          t[i] = y[rows[i]];
          q[i] = v.values()[rows[i]];
        }
        yield new RegressionMetrics(t, q).value(metric);
      }
    };
  }
}
