package dev.flywheel.pipeline.train;

import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.DecisionRule;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.ml.decision.DecisionMetrics;
import dev.flywheel.ml.metrics.ClassificationMetrics;
import dev.flywheel.ml.metrics.RegressionMetrics;
import dev.flywheel.pipeline.RunResult;
import java.util.List;
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

  /** Bins of the calibration curve, scikit-learn's default. */
  static final int CALIBRATION_BINS = 10;

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

  /**
   * The confusion matrix and (binary tasks) the calibration curve of these predictions, for {@code
   * selected.test_details}; null for regression.
   *
   * @param classes the class labels in class index order
   * @param rule the decision rule: the confusion matrix counts the labels it decides, the labels
   *     the server answers; the calibration curve uses the probabilities
   */
  public RunResult.TestDetails details(
      Predictions predictions, List<String> classes, DecisionRule rule) {
    return switch (predictions) {
      case Predictions.Probabilities p -> {
        ClassificationMetrics m = new ClassificationMetrics(labels, p.probabilities(), positive);
        ClassificationMetrics decided =
            new ClassificationMetrics(
                labels, DecisionMetrics.decided(p.probabilities(), rule), positive);
        yield new RunResult.TestDetails(
            decided.confusionMatrix(classes),
            classes.size() == 2 ? m.calibrationCurve(CALIBRATION_BINS) : null);
      }
      case Predictions.Values v -> null;
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
