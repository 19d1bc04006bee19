package dev.flywheel.pipeline.gate;

/**
 * McNemar's test turned into a non-inferiority test of accuracy, for {@code
 * selection.vs_production.test: mcnemar}.
 *
 * <p>On n paired rows, b rows are right only for the challenger and c only for production; the
 * improvement in accuracy is d/n with d = b − c. The null hypothesis is that the challenger is
 * worse by the tolerance δ or more (Δ ≤ −δ). The statistic is McNemar's, continuity-corrected and
 * shifted by the margin of n·δ rows:
 *
 * <pre>z = (b − c + n·δ − 1) / √(b + c),   p = 1 − Φ(z)</pre>
 *
 * With δ = 0 and b &gt; c, z² is the classic (|b − c| − 1)² / (b + c). The challenger passes when p
 * ≤ (1 − confidence)/2, the one-sided level that matches the lower bound of the paired bootstrap's
 * two-sided interval. Equivalently, the lower bound of the interval d/n ± (1 + z·√(b + c))/n is at
 * least −δ; that interval is reported beside p. When b + c = 0 the two models are right on exactly
 * the same rows: the improvement is exactly 0, the challenger passes, and p is undefined (null).
 */
public final class McNemar {

  private McNemar() {}

  /**
   * The outcome.
   *
   * @param challenger the challenger's accuracy
   * @param production production's accuracy
   * @param challengerOnly b, rows only the challenger got right
   * @param productionOnly c, rows only production got right
   * @param lower the interval's lower bound for the improvement
   * @param upper its upper bound
   * @param pValue the one-sided p-value for "worse by the tolerance or more"; null when b + c = 0
   * @param nonInferior the verdict
   */
  public record Result(
      double challenger,
      double production,
      int rows,
      int challengerOnly,
      int productionOnly,
      double lower,
      double upper,
      Double pValue,
      boolean nonInferior) {
    public double improvement() {
      return challenger - production;
    }
  }

  /**
   * The test on paired per-row outcomes.
   *
   * @param challengerRight whether the challenger's label was right, per row
   * @param productionRight whether production's label was right, on the same rows
   */
  public static Result compute(
      boolean[] challengerRight, boolean[] productionRight, double tolerance, double confidence) {
    int n = challengerRight.length;
    if (n == 0 || productionRight.length != n) {
      throw new IllegalArgumentException("need the same, non-zero number of rows for both models");
    }
    int b = 0;
    int c = 0;
    int rightC = 0;
    int rightP = 0;
    for (int i = 0; i < n; i++) {
      rightC += challengerRight[i] ? 1 : 0;
      rightP += productionRight[i] ? 1 : 0;
      if (challengerRight[i] && !productionRight[i]) {
        b++;
      } else if (!challengerRight[i] && productionRight[i]) {
        c++;
      }
    }
    double improvement = (double) (b - c) / n;
    if (b + c == 0) {
      return new Result(
          (double) rightC / n, (double) rightP / n, n, 0, 0, 0.0, 0.0, null, 0.0 >= -tolerance);
    }
    double alpha = (1 - confidence) / 2;
    double zCrit = Normal.quantile(1 - alpha);
    double root = Math.sqrt(b + c);
    double z = (b - c + n * tolerance - 1) / root;
    double p = 1 - Normal.cdf(z);
    double half = (1 + zCrit * root) / n;
    return new Result(
        (double) rightC / n,
        (double) rightP / n,
        n,
        b,
        c,
        improvement - half,
        improvement + half,
        p,
        p <= alpha);
  }
}
