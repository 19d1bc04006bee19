package dev.flywheel.core.model;

import java.util.List;

/**
 * How class probabilities become one label. A binary classifier answers its positive class when
 * P(positive) ≥ {@code threshold}, else the other class; any other classifier answers its most
 * probable class (ties to the earlier class). Training, evaluation, monitoring and serving all
 * decide through this one rule, so the label a user is served is the label the test metrics scored.
 *
 * @param positive the positive class index of a binary classifier, or -1 to decide by argmax
 * @param threshold the binary threshold (ignored when {@code positive} is -1)
 */
public record DecisionRule(int positive, double threshold) {

  /** A bundle that records no threshold was written before thresholds were chosen: it used 0.5. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  /** The argmax rule, for multi-class models. */
  public static final DecisionRule ARGMAX = new DecisionRule(-1, DEFAULT_THRESHOLD);

  /**
   * The rule for a model with these classes.
   *
   * @param classes the class labels in output order
   * @param positive the positive label of a binary task, or null
   * @param threshold the chosen threshold, or null for {@link #DEFAULT_THRESHOLD}
   */
  public static DecisionRule of(List<String> classes, String positive, Double threshold) {
    if (classes.size() != 2 || positive == null || !classes.contains(positive)) {
      return ARGMAX;
    }
    return new DecisionRule(
        classes.indexOf(positive), threshold == null ? DEFAULT_THRESHOLD : threshold);
  }

  /** Whether this is a binary threshold rule. */
  public boolean binary() {
    return positive >= 0;
  }

  /** The class index decided for one row of probabilities. */
  public int decide(double[] p) {
    if (positive >= 0 && p.length == 2) {
      return p[positive] >= threshold ? positive : 1 - positive;
    }
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }

  /** The label decided for row {@code i}. */
  public String label(Predictions.Probabilities p, int i) {
    return p.classes().get(decide(p.probabilities()[i]));
  }
}
