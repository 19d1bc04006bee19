package dev.flywheel.ml.decision;

import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.DecisionRule;
import dev.flywheel.ml.metrics.ClassificationMetrics;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Classification metrics under a {@link DecisionRule}: the label metrics (accuracy, balanced
 * accuracy, precision, recall, F1) score the labels the rule decides, the ranking and probability
 * metrics (AUC, PR AUC, log loss, Brier) score the probabilities as they are. With the argmax rule
 * this is exactly {@link ClassificationMetrics}.
 *
 * <p>Use this wherever a binary model's served labels are scored (test metrics of the selected
 * model, permutation importance, live performance); plain {@link ClassificationMetrics} scores the
 * argmax labels, which is what candidates are compared on before a threshold is chosen.
 */
public final class DecisionMetrics {

  private static final Set<Metric> LABEL_METRICS =
      EnumSet.of(
          Metric.ACCURACY, Metric.BALANCED_ACCURACY, Metric.PRECISION, Metric.RECALL, Metric.F1);

  private DecisionMetrics() {}

  /** Whether a metric scores decided labels (and so depends on the threshold). */
  public static boolean scoresLabels(Metric metric) {
    return LABEL_METRICS.contains(metric);
  }

  /** Every classification metric defined on these rows, in INTERFACES.md order. */
  public static Map<String, Double> all(
      int[] truth, double[][] probabilities, int positive, DecisionRule rule) {
    Map<String, Double> out =
        new LinkedHashMap<>(new ClassificationMetrics(truth, probabilities, positive).all());
    if (!rule.binary()) {
      return out;
    }
    ClassificationMetrics decided =
        new ClassificationMetrics(truth, decided(probabilities, rule), positive);
    for (Metric m : LABEL_METRICS) {
      if (out.containsKey(m.specName())) {
        double v = decided.value(m);
        if (Double.isNaN(v)) {
          out.remove(m.specName());
        } else {
          out.put(m.specName(), v);
        }
      }
    }
    return out;
  }

  /** One metric; NaN when undefined on these rows. */
  public static double value(
      Metric metric, int[] truth, double[][] probabilities, int positive, DecisionRule rule) {
    double[][] p =
        rule.binary() && scoresLabels(metric) ? decided(probabilities, rule) : probabilities;
    return new ClassificationMetrics(truth, p, positive).value(metric);
  }

  /**
   * One-hot rows of the decided classes: their argmax is the rule's decision, so the label metrics
   * of {@link ClassificationMetrics} score exactly the decided labels.
   */
  public static double[][] decided(double[][] probabilities, DecisionRule rule) {
    if (!rule.binary()) {
      return probabilities;
    }
    double[][] out = new double[probabilities.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new double[probabilities[i].length];
      out[i][rule.decide(probabilities[i])] = 1.0;
    }
    return out;
  }
}
