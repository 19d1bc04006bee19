package dev.flywheel.ml.metrics;

import java.util.List;

/**
 * A reliability diagram of a binary classifier: the positive-class probabilities cut into {@code
 * bins} equal-width bins over [0, 1], and for each bin that holds any row, the mean predicted
 * probability against the observed share of positives. Matches scikit-learn's {@code
 * calibration_curve(y_true, y_prob, n_bins=bins, strategy="uniform")}: the edges are {@code i /
 * bins} as numpy's {@code linspace} computes them, a probability equal to an inner edge falls in
 * the bin below it ({@code searchsorted} on the inner edges, left side), and empty bins are left
 * out.
 *
 * <p>Build one with {@link ClassificationMetrics#calibrationCurve(int)}. Multi-class tasks have no
 * calibration curve here; a one-vs-rest curve per class would be a different value.
 *
 * @param strategy how the bins are cut; always {@link #UNIFORM} (scikit-learn's name for it)
 * @param bins the number of equal-width bins
 * @param points the non-empty bins, from low to high probability
 */
public record CalibrationCurve(String strategy, int bins, List<Point> points) {

  /** Equal-width bins over [0, 1]. */
  public static final String UNIFORM = "uniform";

  public CalibrationCurve {
    if (!UNIFORM.equals(strategy)) {
      throw new IllegalArgumentException(
          "calibration strategy must be '" + UNIFORM + "', got '" + strategy + "'");
    }
    if (bins < 1) {
      throw new IllegalArgumentException("a calibration curve needs at least 1 bin, got " + bins);
    }
    points = List.copyOf(points);
  }

  /**
   * One non-empty bin.
   *
   * @param bin the bin index, 0 for the lowest
   * @param lower the bin's lower edge
   * @param upper the bin's upper edge
   * @param count the rows in the bin
   * @param meanPredicted the mean positive-class probability of those rows (scikit-learn's {@code
   *     prob_pred})
   * @param fractionPositive the share of them whose truth is the positive class ({@code prob_true})
   */
  public record Point(
      int bin,
      double lower,
      double upper,
      int count,
      double meanPredicted,
      double fractionPositive) {}
}
