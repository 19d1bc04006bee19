package dev.flywheel.ml.metrics;

import dev.flywheel.core.metrics.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification metrics, defined in docs/metrics.md and named as in INTERFACES.md. For binary
 * tasks precision, recall and F1 refer to the positive class; for more classes they are
 * macro-averaged, and AUC and PR AUC are one-vs-rest, macro. A metric that is undefined on the
 * given rows (AUC with one class present) is NaN from {@link #value} and left out of {@link #all}.
 * Every value agrees with scikit-learn to 1e-9 (MetricsParityTest, against fixtures written by
 * Debian's scikit-learn).
 *
 * <p>The predicted class is the most probable one, ties going to the lower index (numpy's argmax).
 * The same rows also give a {@link #confusionMatrix} and, for binary tasks, a {@link
 * #calibrationCurve}.
 *
 * @param truth each row's class index
 * @param probabilities {@code [rows][classes]}
 * @param positive the positive class index (binary tasks; ignored for more classes)
 */
public record ClassificationMetrics(int[] truth, double[][] probabilities, int positive) {

  static final double LOG_LOSS_EPS = 1e-15;

  public int classes() {
    return probabilities.length == 0 ? 0 : probabilities[0].length;
  }

  /** Every classification metric that is defined on these rows, in INTERFACES.md order. */
  public Map<String, Double> all() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Metric m : Metric.values()) {
      if (m.task() == dev.flywheel.core.model.Task.CLASSIFICATION) {
        double v = value(m);
        if (!Double.isNaN(v)) {
          out.put(m.specName(), v);
        }
      }
    }
    return out;
  }

  public double value(Metric metric) {
    return switch (metric) {
      case ACCURACY -> accuracy();
      case BALANCED_ACCURACY -> balancedAccuracy();
      case PRECISION -> binary() ? precision(positive) : macro(this::precision);
      case RECALL -> binary() ? recall(positive) : macro(this::recall);
      case F1 -> binary() ? f1(positive) : macro(this::f1);
      case AUC -> binary() ? auc(positive) : macroDefined(this::auc);
      case PR_AUC -> binary() ? averagePrecision(positive) : macroDefined(this::averagePrecision);
      case LOG_LOSS -> logLoss();
      case BRIER -> brier();
      default ->
          throw new IllegalArgumentException(metric.specName() + " is not a classification metric");
    };
  }

  private boolean binary() {
    return classes() == 2;
  }

  private int predicted(int i) {
    double[] p = probabilities[i];
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }

  double accuracy() {
    int right = 0;
    for (int i = 0; i < truth.length; i++) {
      if (predicted(i) == truth[i]) {
        right++;
      }
    }
    return truth.length == 0 ? Double.NaN : (double) right / truth.length;
  }

  double balancedAccuracy() {
    double sum = 0;
    int present = 0;
    for (int k = 0; k < classes(); k++) {
      double r = recall(k);
      if (!Double.isNaN(r) && support(k) > 0) {
        sum += r;
        present++;
      }
    }
    return present == 0 ? Double.NaN : sum / present;
  }

  private int support(int k) {
    int n = 0;
    for (int t : truth) {
      if (t == k) {
        n++;
      }
    }
    return n;
  }

  /** Precision of class k; 0 when nothing is predicted as k (scikit-learn's zero_division). */
  double precision(int k) {
    int tp = 0;
    int predictedK = 0;
    for (int i = 0; i < truth.length; i++) {
      if (predicted(i) == k) {
        predictedK++;
        if (truth[i] == k) {
          tp++;
        }
      }
    }
    return predictedK == 0 ? 0.0 : (double) tp / predictedK;
  }

  double recall(int k) {
    int tp = 0;
    int actualK = 0;
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] == k) {
        actualK++;
        if (predicted(i) == k) {
          tp++;
        }
      }
    }
    return actualK == 0 ? 0.0 : (double) tp / actualK;
  }

  double f1(int k) {
    double p = precision(k);
    double r = recall(k);
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }

  /**
   * The mean over the classes that occur in the truth or the predictions, as scikit-learn does: a
   * class the rows never mention would otherwise count as a 0 and pull the mean down.
   */
  private double macro(java.util.function.IntToDoubleFunction perClass) {
    boolean[] seen = new boolean[classes()];
    for (int i = 0; i < truth.length; i++) {
      seen[truth[i]] = true;
      seen[predicted(i)] = true;
    }
    double sum = 0;
    int n = 0;
    for (int k = 0; k < classes(); k++) {
      if (seen[k]) {
        sum += perClass.applyAsDouble(k);
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** The mean over classes where the per-class value is defined. */
  private double macroDefined(java.util.function.IntToDoubleFunction perClass) {
    double sum = 0;
    int n = 0;
    for (int k = 0; k < classes(); k++) {
      double v = perClass.applyAsDouble(k);
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** ROC AUC of class k against the rest, by the rank-sum formula with average ranks for ties. */
  double auc(int k) {
    int n = truth.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(probabilities[a][k], probabilities[b][k]));
    double rankSumPos = 0;
    long pos = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && probabilities[order[j + 1]][k] == probabilities[order[i]][k]) {
        j++;
      }
      double avgRank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        if (truth[order[t]] == k) {
          rankSumPos += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /**
   * Average precision of class k (scikit-learn's definition): the sum over distinct thresholds,
   * from high to low, of (recall gain) × precision.
   */
  double averagePrecision(int k) {
    int n = truth.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(probabilities[b][k], probabilities[a][k]));
    int totalPos = support(k);
    if (totalPos == 0) {
      return Double.NaN;
    }
    double ap = 0;
    double prevRecall = 0;
    int tp = 0;
    int seen = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && probabilities[order[j + 1]][k] == probabilities[order[i]][k]) {
        j++;
      }
      for (int t = i; t <= j; t++) {
        seen++;
        if (truth[order[t]] == k) {
          tp++;
        }
      }
      double recall = (double) tp / totalPos;
      double precision = (double) tp / seen;
      ap += (recall - prevRecall) * precision;
      prevRecall = recall;
      i = j + 1;
    }
    return ap;
  }

  /**
   * Mean negative log probability of the true class. Each probability is clipped to {@code [1e-15,
   * 1 - 1e-15]} and the clipped row is divided by its sum before the true class is read, exactly as
   * Debian's scikit-learn 1.2 {@code log_loss(eps=1e-15)} does. For rows that already sum to 1 the
   * renormalisation moves the result by less than 1e-14, so this also agrees with scikit-learn 1.5+
   * (which clips without renormalising) except where a probability is below the clip.
   */
  double logLoss() {
    double sum = 0;
    for (int i = 0; i < truth.length; i++) {
      double[] row = probabilities[i];
      double rowSum = 0;
      for (double p : row) {
        rowSum += clip(p);
      }
      sum -= Math.log(clip(row[truth[i]]) / rowSum);
    }
    return truth.length == 0 ? Double.NaN : sum / truth.length;
  }

  private static double clip(double p) {
    return Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
  }

  /**
   * The confusion matrix of truth against the predicted class (the most probable, ties to the lower
   * index), with a row and a column for every class of the task.
   *
   * @param labels the class labels in class index order, one per probability column
   */
  public ConfusionMatrix confusionMatrix(List<String> labels) {
    if (labels.size() != classes()) {
      throw new IllegalArgumentException(
          "the confusion matrix needs one label per class: "
              + classes()
              + " classes but labels "
              + labels);
    }
    int[][] counts = new int[classes()][classes()];
    for (int i = 0; i < truth.length; i++) {
      counts[truth[i]][predicted(i)]++;
    }
    return new ConfusionMatrix(labels, counts);
  }

  /**
   * The calibration curve of the positive class over {@code bins} equal-width bins, as
   * scikit-learn's {@code calibration_curve(strategy="uniform")} computes it (see {@link
   * CalibrationCurve}).
   *
   * @throws IllegalStateException for more than two classes: the curve is a binary notion
   */
  public CalibrationCurve calibrationCurve(int bins) {
    if (!binary()) {
      throw new IllegalStateException(
          "a calibration curve needs a binary task, this one has " + classes() + " classes");
    }
    if (bins < 1) {
      throw new IllegalArgumentException("a calibration curve needs at least 1 bin, got " + bins);
    }
    // numpy's linspace(0, 1, bins + 1): i * (1 / bins), the last edge exactly 1.
    double step = 1.0 / bins;
    double[] edges = new double[bins + 1];
    for (int b = 0; b < bins; b++) {
      edges[b] = b * step;
    }
    edges[bins] = 1.0;
    double[] sumPredicted = new double[bins];
    int[] positives = new int[bins];
    int[] counts = new int[bins];
    for (int i = 0; i < truth.length; i++) {
      double p = probabilities[i][positive];
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException(
            "a calibration curve needs probabilities in [0, 1], row " + i + " has " + p);
      }
      // searchsorted(edges[1:-1], p, side="left"): the inner edges strictly below p.
      int bin = 0;
      while (bin < bins - 1 && edges[bin + 1] < p) {
        bin++;
      }
      // Summed in row order, as numpy's bincount does, so the means agree to the last bit.
      sumPredicted[bin] += p;
      counts[bin]++;
      if (truth[i] == positive) {
        positives[bin]++;
      }
    }
    List<CalibrationCurve.Point> points = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      if (counts[b] > 0) {
        points.add(
            new CalibrationCurve.Point(
                b,
                edges[b],
                edges[b + 1],
                counts[b],
                sumPredicted[b] / counts[b],
                (double) positives[b] / counts[b]));
      }
    }
    return new CalibrationCurve(CalibrationCurve.UNIFORM, bins, points);
  }

  /** Binary: mean squared error of the positive probability; multi-class: summed over classes. */
  double brier() {
    double sum = 0;
    for (int i = 0; i < truth.length; i++) {
      if (binary()) {
        double y = truth[i] == positive ? 1 : 0;
        double d = probabilities[i][positive] - y;
        sum += d * d;
      } else {
        for (int k = 0; k < classes(); k++) {
          double d = probabilities[i][k] - (truth[i] == k ? 1 : 0);
          sum += d * d;
        }
      }
    }
    return truth.length == 0 ? Double.NaN : sum / truth.length;
  }
}
