package dev.flywheel.core.spec;

/**
 * How the decision threshold of a binary classifier is chosen on the validation split ({@code
 * selection.threshold} in the spec). The served label is the positive class when P(positive) is at
 * least the threshold; probabilities are never changed. Multi-class and regression models have no
 * threshold: they predict the most probable class or a value.
 */
public sealed interface ThresholdSpec {

  /**
   * The default: the threshold that maximises accuracy on validation. Not F1, because an F1-optimal
   * threshold trades accuracy for recall (on adult.csv, test accuracy 0.856 instead of 0.87), and a
   * user who asked for nothing expects labels at least as accurate as argmax; F1 and cost are one
   * key away.
   */
  ThresholdSpec DEFAULT = new MaxAccuracy();

  /** The spec name of the method: {@code f1}, {@code accuracy}, {@code cost} or {@code fixed}. */
  String method();

  /** Maximise F1 of the positive label on validation. */
  record MaxF1() implements ThresholdSpec {
    @Override
    public String method() {
      return "f1";
    }
  }

  /** Maximise accuracy on validation (for calibrated probabilities, near 0.5). */
  record MaxAccuracy() implements ThresholdSpec {
    @Override
    public String method() {
      return "accuracy";
    }
  }

  /**
   * Minimise the expected cost per validation row, {@code (falsePositive·FP + falseNegative·FN) /
   * n}. Only the ratio of the two costs matters. Both are at least 0 and one is greater than 0.
   */
  record MinCost(double falsePositive, double falseNegative) implements ThresholdSpec {
    public MinCost {
      if (!(falsePositive >= 0) || !(falseNegative >= 0) || falsePositive + falseNegative <= 0) {
        throw new IllegalArgumentException(
            "costs must be ≥ 0 and not both 0: " + falsePositive + ", " + falseNegative);
      }
    }

    @Override
    public String method() {
      return "cost";
    }
  }

  /** A given threshold in [0, 1], not fitted. */
  record Fixed(double value) implements ThresholdSpec {
    public Fixed {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("a threshold must be in [0, 1]: " + value);
      }
    }

    @Override
    public String method() {
      return "fixed";
    }
  }
}
