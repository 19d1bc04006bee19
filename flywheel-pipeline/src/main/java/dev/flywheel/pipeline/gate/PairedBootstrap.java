package dev.flywheel.pipeline.gate;

import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.pipeline.train.Truth;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The paired bootstrap interval for a challenger's improvement over production (INTERFACES.md).
 * Both models are scored on the same resampled rows each time, so row difficulty cancels out.
 * Improvement is oriented so positive is better for the challenger, whatever the metric's
 * direction. The interval is the percentile interval at the given confidence.
 */
public final class PairedBootstrap {

  private PairedBootstrap() {}

  /**
   * The outcome.
   *
   * @param challenger the challenger's metric on all rows
   * @param production production's metric on all rows
   * @param improvement the observed improvement on all rows
   * @param lower the interval's lower bound
   * @param upper the interval's upper bound
   * @param resamples the resamples on which the metric was defined
   */
  public record Interval(
      double challenger,
      double production,
      double improvement,
      double lower,
      double upper,
      int resamples) {}

  public static Interval compute(
      Metric metric,
      Truth truth,
      Predictions challenger,
      Predictions production,
      int resamples,
      double confidence,
      long seed) {
    int n = truth.size();
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    double c = truth.metric(metric, challenger, all);
    double p = truth.metric(metric, production, all);
    SplittableRandom random = new SplittableRandom(seed);
    double[] deltas = new double[resamples];
    int defined = 0;
    int[] rows = new int[n];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < n; i++) {
        rows[i] = random.nextInt(n);
      }
      double d =
          metric.improvement(
              truth.metric(metric, challenger, rows), truth.metric(metric, production, rows));
      if (!Double.isNaN(d)) {
        deltas[defined++] = d;
      }
    }
    double[] sorted = Arrays.copyOf(deltas, defined);
    Arrays.sort(sorted);
    double alpha = (1 - confidence) / 2;
    return new Interval(
        c,
        p,
        metric.improvement(c, p),
        quantile(sorted, alpha),
        quantile(sorted, 1 - alpha),
        defined);
  }

  /** Linear-interpolated quantile of sorted values; NaN when there are none. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
