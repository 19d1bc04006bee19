package dev.flywheel.ml.metrics;

import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Task;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression metrics, defined in docs/metrics.md. MAPE divides by {@code max(|y|, 2.22e-16)}, as
 * scikit-learn does, so a zero target gives a huge but finite error.
 */
public record RegressionMetrics(double[] truth, double[] predicted) {

  private static final double MAPE_EPS = Math.ulp(1.0);

  public Map<String, Double> all() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Metric m : Metric.values()) {
      if (m.task() == Task.REGRESSION) {
        double v = value(m);
        if (!Double.isNaN(v)) {
          out.put(m.specName(), v);
        }
      }
    }
    return out;
  }

  public double value(Metric metric) {
    int n = truth.length;
    if (n == 0) {
      return Double.NaN;
    }
    return switch (metric) {
      case RMSE -> {
        double s = 0;
        for (int i = 0; i < n; i++) {
          double d = truth[i] - predicted[i];
          s += d * d;
        }
        yield Math.sqrt(s / n);
      }
      case MAE -> {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += Math.abs(truth[i] - predicted[i]);
        }
        yield s / n;
      }
      case R2 -> {
        double mean = Arrays.stream(truth).average().orElse(0);
        double res = 0;
        double tot = 0;
        for (int i = 0; i < n; i++) {
          res += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
          tot += (truth[i] - mean) * (truth[i] - mean);
        }
        yield tot == 0 ? (res == 0 ? 1.0 : 0.0) : 1 - res / tot;
      }
      case MAPE -> {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += Math.abs(truth[i] - predicted[i]) / Math.max(Math.abs(truth[i]), MAPE_EPS);
        }
        yield s / n;
      }
      case MEDIAN_AE -> {
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
          e[i] = Math.abs(truth[i] - predicted[i]);
        }
        Arrays.sort(e);
        yield n % 2 == 1 ? e[n / 2] : (e[n / 2 - 1] + e[n / 2]) / 2;
      }
      default ->
          throw new IllegalArgumentException(metric.specName() + " is not a regression metric");
    };
  }
}
