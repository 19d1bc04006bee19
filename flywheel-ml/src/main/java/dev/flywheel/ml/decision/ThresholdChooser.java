package dev.flywheel.ml.decision;

import dev.flywheel.core.model.DecisionRule;
import dev.flywheel.core.spec.ThresholdSpec;
import java.util.Arrays;

/**
 * Chooses a binary classifier's decision threshold on validation rows (docs/spec.md, {@code
 * selection.threshold}). Every threshold between two neighbouring distinct validation scores gives
 * the same validation labels, so the candidates are the midpoints between neighbouring distinct
 * scores of P(positive), the lowest score (everything positive) and, when the highest score is
 * below 1, the midpoint between it and 1 (nothing positive). The best candidate wins; among equally
 * good ones, the one nearest 0.5, then the higher one. Deterministic: no randomness, no clock.
 *
 * <p>For accuracy, "best" uses the one-standard-error rule (as glmnet's {@code lambda.1se}): the
 * threshold nearest 0.5 whose validation accuracy is within one binomial standard error, sqrt(a(1 −
 * a)/n), of the best accuracy a. Accuracy is flat near its optimum, so the single best point on a
 * finite validation split is mostly noise (on adult.csv it cost 0.2 points of test accuracy against
 * 0.5); the rule moves the threshold only when validation shows a real gain, as it does for a model
 * trained with class weights.
 *
 * <p>When the validation rows lack either class, F1 and cost cannot tell thresholds apart and the
 * choice is 0.5.
 */
public final class ThresholdChooser {

  /** Objective values closer than this count as equal, so rounding cannot decide a tie. */
  private static final double TIE = 1e-12;

  /**
   * The choice.
   *
   * @param threshold the threshold on P(positive)
   * @param method the spec method: {@code f1}, {@code accuracy}, {@code cost} or {@code fixed}
   * @param objective the validation F1, accuracy or expected cost per row at the threshold; NaN for
   *     {@code fixed} or when the rows lack a class
   */
  public record Choice(double threshold, String method, double objective) {}

  private ThresholdChooser() {}

  /**
   * @param spec the method
   * @param truth each validation row's class index
   * @param probabilities {@code [rows][2]}
   * @param positive the positive class index
   */
  public static Choice choose(
      ThresholdSpec spec, int[] truth, double[][] probabilities, int positive) {
    if (spec instanceof ThresholdSpec.Fixed f) {
      return new Choice(f.value(), spec.method(), Double.NaN);
    }
    int n = truth.length;
    double[] score = new double[n];
    int positives = 0;
    for (int i = 0; i < n; i++) {
      score[i] = probabilities[i][positive];
      if (truth[i] == positive) {
        positives++;
      }
    }
    if (positives == 0 || positives == n) {
      return new Choice(DecisionRule.DEFAULT_THRESHOLD, spec.method(), Double.NaN);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));

    double bestThreshold = Double.NaN;
    double bestObjective = Double.NaN;
    java.util.List<double[]> seen = new java.util.ArrayList<>();
    // Nothing positive: TP = FP = 0.
    double top = score[order[0]];
    if (top < 1.0) {
      bestThreshold = (top + 1.0) / 2;
      bestObjective = objective(spec, 0, 0, positives, n);
      seen.add(new double[] {bestThreshold, bestObjective});
    }
    int tp = 0;
    int fp = 0;
    int i = 0;
    while (i < n) {
      double s = score[order[i]];
      int j = i;
      while (j < n && score[order[j]] == s) {
        if (truth[order[j]] == positive) {
          tp++;
        } else {
          fp++;
        }
        j++;
      }
      double t = s;
      if (j < n) {
        double next = score[order[j]];
        double mid = (s + next) / 2;
        t = mid > next && mid <= s ? mid : s;
      }
      double o = objective(spec, tp, fp, positives, n);
      seen.add(new double[] {t, o});
      if (Double.isNaN(bestObjective) || better(spec, o, bestObjective, t, bestThreshold)) {
        bestObjective = o;
        bestThreshold = t;
      }
      i = j;
    }
    if (spec instanceof ThresholdSpec.MaxAccuracy) {
      double floor = bestObjective - Math.sqrt(bestObjective * (1 - bestObjective) / n) - TIE;
      for (double[] c : seen) {
        if (c[1] >= floor) {
          double d = Math.abs(c[0] - 0.5);
          double bestD = Math.abs(bestThreshold - 0.5);
          if (d < bestD || (d == bestD && c[0] > bestThreshold)) {
            bestThreshold = c[0];
            bestObjective = c[1];
          }
        }
      }
    }
    return new Choice(bestThreshold, spec.method(), bestObjective);
  }

  /** F1 or accuracy (higher is better), or expected cost per row (lower is better). */
  private static double objective(ThresholdSpec spec, int tp, int fp, int positives, int n) {
    int fn = positives - tp;
    return switch (spec) {
      case ThresholdSpec.MaxF1 f -> 2.0 * tp / (2.0 * tp + fp + fn);
      case ThresholdSpec.MaxAccuracy a -> (double) (n - fp - fn) / n;
      case ThresholdSpec.MinCost c -> (c.falsePositive() * fp + c.falseNegative() * fn) / n;
      case ThresholdSpec.Fixed f -> throw new IllegalStateException("fixed has no objective");
    };
  }

  private static boolean better(ThresholdSpec spec, double o, double best, double t, double bestT) {
    double gain = spec instanceof ThresholdSpec.MinCost ? best - o : o - best;
    if (gain > TIE) {
      return true;
    }
    if (gain < -TIE) {
      return false;
    }
    double d = Math.abs(t - 0.5);
    double bestD = Math.abs(bestT - 0.5);
    return d < bestD || (d == bestD && t > bestT);
  }
}
