package dev.flywheel.pipeline.gate;

import java.util.Arrays;

/**
 * DeLong's test for two correlated ROC AUCs, as a non-inferiority test for {@code
 * selection.vs_production.test: delong} (binary classification).
 *
 * <p>Both models score the same m positive and n negative rows. Each AUC is the mean of its
 * structural components (DeLong, DeLong and Clarke-Pearson 1988): V10 per positive (the share of
 * negatives it outranks, ties counting ½) and V01 per negative. With S10 and S01 the sample
 * covariance matrices of those components across the two models,
 *
 * <pre>Var(Δ) = (S10_cc + S10_pp − 2·S10_cp)/m + (S01_cc + S01_pp − 2·S01_cp)/n</pre>
 *
 * where Δ = AUC(challenger) − AUC(production). The components come from midranks (Sun and Xu 2014),
 * so the cost is a sort, not m·n comparisons. The null hypothesis is Δ ≤ −δ; z = (Δ + δ)/se and p =
 * 1 − Φ(z). The challenger passes when p ≤ (1 − confidence)/2, that is when the lower bound of Δ ±
 * z_{1−α}·se is at least −δ. When se = 0 (the two rank the rows alike), p is undefined (null) and
 * the challenger passes when Δ ≥ −δ.
 */
public final class DeLong {

  private DeLong() {}

  /**
   * The outcome.
   *
   * @param challenger the challenger's AUC
   * @param production production's AUC
   * @param positives m
   * @param negatives n
   * @param se the standard error of the difference
   * @param lower the interval's lower bound for the difference
   * @param upper its upper bound
   * @param pValue the one-sided p-value for "worse by the tolerance or more"; null when se = 0
   * @param nonInferior the verdict
   */
  public record Result(
      double challenger,
      double production,
      int positives,
      int negatives,
      double se,
      double lower,
      double upper,
      Double pValue,
      boolean nonInferior) {
    public double improvement() {
      return challenger - production;
    }
  }

  /**
   * The test.
   *
   * @param positive whether each row's label is the positive class
   * @param challenger the challenger's score (P(positive)) per row
   * @param production production's score on the same rows
   * @throws IllegalArgumentException with fewer than two positives or two negatives
   */
  public static Result compute(
      boolean[] positive,
      double[] challenger,
      double[] production,
      double tolerance,
      double confidence) {
    int m = 0;
    for (boolean p : positive) {
      m += p ? 1 : 0;
    }
    int n = positive.length - m;
    if (m < 2 || n < 2) {
      throw new IllegalArgumentException(
          "DeLong's test needs at least 2 positive and 2 negative rows; there are "
              + m
              + " and "
              + n);
    }
    double[][] v10 = new double[2][];
    double[][] v01 = new double[2][];
    double[] auc = new double[2];
    double[][] scores = {challenger, production};
    for (int r = 0; r < 2; r++) {
      double[] x = new double[m];
      double[] y = new double[n];
      int xi = 0;
      int yi = 0;
      for (int i = 0; i < positive.length; i++) {
        if (positive[i]) {
          x[xi++] = scores[r][i];
        } else {
          y[yi++] = scores[r][i];
        }
      }
      double[] z = new double[m + n];
      System.arraycopy(x, 0, z, 0, m);
      System.arraycopy(y, 0, z, m, n);
      double[] tx = midranks(x);
      double[] ty = midranks(y);
      double[] tz = midranks(z);
      v10[r] = new double[m];
      v01[r] = new double[n];
      double sum = 0;
      for (int i = 0; i < m; i++) {
        v10[r][i] = (tz[i] - tx[i]) / n;
        sum += v10[r][i];
      }
      for (int j = 0; j < n; j++) {
        v01[r][j] = 1 - (tz[m + j] - ty[j]) / m;
      }
      auc[r] = sum / m;
    }
    double var =
        (cov(v10[0], v10[0]) + cov(v10[1], v10[1]) - 2 * cov(v10[0], v10[1])) / m
            + (cov(v01[0], v01[0]) + cov(v01[1], v01[1]) - 2 * cov(v01[0], v01[1])) / n;
    double se = Math.sqrt(Math.max(var, 0));
    double delta = auc[0] - auc[1];
    double alpha = (1 - confidence) / 2;
    // Rounding leaves a variance of ~1e-17 where the two rank every pair alike.
    if (se < 1e-12) {
      return new Result(auc[0], auc[1], m, n, 0, delta, delta, null, delta >= -tolerance);
    }
    double zCrit = Normal.quantile(1 - alpha);
    double p = 1 - Normal.cdf((delta + tolerance) / se);
    return new Result(
        auc[0], auc[1], m, n, se, delta - zCrit * se, delta + zCrit * se, p, p <= alpha);
  }

  /** 1-based ranks, ties sharing the mean of their ranks. */
  static double[] midranks(double[] v) {
    int k = v.length;
    Integer[] order = new Integer[k];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
    double[] out = new double[k];
    int i = 0;
    while (i < k) {
      int j = i;
      while (j + 1 < k && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        out[order[t]] = rank;
      }
      i = j + 1;
    }
    return out;
  }

  /** The sample covariance (divisor k − 1). */
  private static double cov(double[] a, double[] b) {
    int k = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < k; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= k;
    mb /= k;
    double s = 0;
    for (int i = 0; i < k; i++) {
      s += (a[i] - ma) * (b[i] - mb);
    }
    return s / (k - 1);
  }
}
