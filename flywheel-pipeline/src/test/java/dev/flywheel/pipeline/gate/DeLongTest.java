package dev.flywheel.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DeLong's test: a case worked by hand, the midrank computation against the m·n formula computed
 * here independently, and the known answers (better passes, equal passes, worse fails).
 */
class DeLongTest {

  private static final double TOLERANCE = 0.005;

  @Test
  void aSmallCaseWorkedByHand() {
    // Positives first, then negatives. Challenger: positives 0.9 0.8 0.4, negatives 0.7 0.3.
    // Production: positives 0.6 0.5 0.9, negatives 0.55 0.2. Both AUCs are 5/6.
    // V10: challenger [1, 1, ½], production [1, ½, 1]: variances 1/12 each, covariance −1/24,
    // so the positives add (1/12 + 1/12 + 1/12)/3 = 1/12. V01 is [2/3, 1] for both: adds 0.
    boolean[] positive = {true, true, true, false, false};
    double[] ch = {0.9, 0.8, 0.4, 0.7, 0.3};
    double[] pr = {0.6, 0.5, 0.9, 0.55, 0.2};

    DeLong.Result r = DeLong.compute(positive, ch, pr, TOLERANCE, 0.95);

    assertThat(r.challenger()).isCloseTo(5.0 / 6, within(1e-12));
    assertThat(r.production()).isCloseTo(5.0 / 6, within(1e-12));
    assertThat(r.se()).isCloseTo(Math.sqrt(1.0 / 12), within(1e-12));
    assertThat(r.pValue())
        .isCloseTo(1 - Normal.cdf(TOLERANCE / Math.sqrt(1.0 / 12)), within(1e-12));
    assertThat(r.nonInferior()).isFalse();
  }

  @Test
  void midranksMatchThePairwiseFormulaWithTies() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 300;
    boolean[] positive = new boolean[n];
    double[] ch = new double[n];
    double[] pr = new double[n];
    for (int i = 0; i < n; i++) {
      positive[i] = random.nextDouble() < 0.3;
      double signal = positive[i] ? 0.6 : 0.0;
      // Rounded to one decimal so that many scores tie.
      ch[i] = Math.round((signal + random.nextDouble()) * 10) / 10.0;
      pr[i] = Math.round((signal * 0.5 + random.nextDouble()) * 10) / 10.0;
    }

    DeLong.Result r = DeLong.compute(positive, ch, pr, TOLERANCE, 0.95);
    double[] expected = pairwise(positive, ch, pr);

    assertThat(r.challenger()).isCloseTo(expected[0], within(1e-12));
    assertThat(r.production()).isCloseTo(expected[1], within(1e-12));
    assertThat(r.se()).isCloseTo(expected[2], within(1e-12));
  }

  /** AUCs and the se of their difference from ψ over all m·n pairs (DeLong et al. 1988). */
  private static double[] pairwise(boolean[] positive, double[] a, double[] b) {
    int m = 0;
    for (boolean p : positive) {
      m += p ? 1 : 0;
    }
    int n = positive.length - m;
    double[][] scores = {a, b};
    double[][] v10 = new double[2][m];
    double[][] v01 = new double[2][n];
    for (int r = 0; r < 2; r++) {
      int i = 0;
      for (int x = 0; x < positive.length; x++) {
        if (!positive[x]) {
          continue;
        }
        int j = 0;
        for (int y = 0; y < positive.length; y++) {
          if (positive[y]) {
            continue;
          }
          double psi = scores[r][x] > scores[r][y] ? 1 : scores[r][x] == scores[r][y] ? 0.5 : 0;
          v10[r][i] += psi / n;
          v01[r][j] += psi / m;
          j++;
        }
        i++;
      }
    }
    double aucA = mean(v10[0]);
    double aucB = mean(v10[1]);
    double var =
        (cov(v10[0], v10[0]) + cov(v10[1], v10[1]) - 2 * cov(v10[0], v10[1])) / m
            + (cov(v01[0], v01[0]) + cov(v01[1], v01[1]) - 2 * cov(v01[0], v01[1])) / n;
    return new double[] {aucA, aucB, Math.sqrt(var)};
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double cov(double[] a, double[] b) {
    double ma = mean(a);
    double mb = mean(b);
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - ma) * (b[i] - mb);
    }
    return s / (a.length - 1);
  }

  /** Labels with a 40% positive share, and scores whose separation grows with {@code skill}. */
  private static double[][] data(int n, double skill, long seed) {
    SplittableRandom labels = new SplittableRandom(1);
    SplittableRandom noise = new SplittableRandom(seed);
    double[][] out = new double[2][n];
    for (int i = 0; i < n; i++) {
      out[0][i] = labels.nextDouble() < 0.4 ? 1 : 0;
      out[1][i] = skill * out[0][i] + noise.nextGaussian();
    }
    return out;
  }

  private static boolean[] positives(double[] y) {
    boolean[] p = new boolean[y.length];
    for (int i = 0; i < y.length; i++) {
      p[i] = y[i] == 1;
    }
    return p;
  }

  @Test
  void clearlyBetterChallengerPasses() {
    double[][] good = data(1000, 2.5, 2);
    double[][] weak = data(1000, 0.5, 3);

    DeLong.Result r = DeLong.compute(positives(good[0]), good[1], weak[1], TOLERANCE, 0.95);

    assertThat(r.improvement()).isGreaterThan(0.2);
    assertThat(r.lower()).isGreaterThan(0.1);
    assertThat(r.pValue()).isLessThan(1e-10);
    assertThat(r.nonInferior()).isTrue();
  }

  @Test
  void equalChallengerPassesNonInferiority() {
    // The same ranking under a monotone transform: the same AUC, no variance in the difference.
    double[][] d = data(1000, 1.5, 2);
    double[] squashed = new double[d[1].length];
    for (int i = 0; i < squashed.length; i++) {
      squashed[i] = 1 / (1 + Math.exp(-d[1][i]));
    }

    DeLong.Result r = DeLong.compute(positives(d[0]), d[1], squashed, TOLERANCE, 0.95);

    assertThat(r.improvement()).isZero();
    assertThat(r.pValue()).isNull();
    assertThat(r.nonInferior()).isTrue();
  }

  @Test
  void nearlyEqualChallengerPassesNonInferiorityOnEnoughRows() {
    // Production is the challenger plus a little noise: nearly the same ranking, a small se.
    double[][] d = data(5000, 1.5, 2);
    SplittableRandom noise = new SplittableRandom(9);
    double[] jittered = new double[d[1].length];
    for (int i = 0; i < jittered.length; i++) {
      jittered[i] = d[1][i] + 0.05 * noise.nextGaussian();
    }

    DeLong.Result r = DeLong.compute(positives(d[0]), d[1], jittered, TOLERANCE, 0.95);

    assertThat(Math.abs(r.improvement())).isLessThan(0.002);
    assertThat(r.nonInferior()).isTrue();
    assertThat(r.pValue()).isLessThanOrEqualTo(0.025);
  }

  @Test
  void clearlyWorseChallengerFails() {
    double[][] good = data(1000, 2.5, 2);
    double[][] weak = data(1000, 0.5, 3);

    DeLong.Result r = DeLong.compute(positives(good[0]), weak[1], good[1], TOLERANCE, 0.95);

    assertThat(r.upper()).isLessThan(-0.1);
    assertThat(r.pValue()).isGreaterThan(0.999);
    assertThat(r.nonInferior()).isFalse();
  }

  @Test
  void tooFewRowsOfAClassIsRefused() {
    assertThatThrownBy(
            () ->
                DeLong.compute(
                    new boolean[] {true, false, false},
                    new double[] {1, 0, 0},
                    new double[] {1, 0, 0},
                    TOLERANCE,
                    0.95))
        .hasMessageContaining("at least 2 positive and 2 negative rows; there are 1 and 2");
  }
}
