package dev.flywheel.ml.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.DecisionRule;
import dev.flywheel.core.spec.ThresholdSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ThresholdChooserTest {

  /**
   * Imbalanced rows (about 10% positive) whose probabilities are the true posteriors: positives
   * have x ~ N(1.5, 1), negatives x ~ N(0, 1).
   */
  private record Rows(int[] truth, double[][] p) {}

  private static Rows imbalanced(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double prior = 0.1;
    int[] truth = new int[n];
    double[][] p = new double[n][];
    for (int i = 0; i < n; i++) {
      boolean pos = r.nextDouble() < prior;
      double x = r.nextGaussian() + (pos ? 1.5 : 0);
      double lp = prior * Math.exp(-0.5 * (x - 1.5) * (x - 1.5));
      double ln = (1 - prior) * Math.exp(-0.5 * x * x);
      double q = lp / (lp + ln);
      truth[i] = pos ? 1 : 0;
      p[i] = new double[] {1 - q, q};
    }
    return new Rows(truth, p);
  }

  private static double f1(Rows rows, double threshold) {
    return DecisionMetrics.value(
        Metric.F1, rows.truth(), rows.p(), 1, new DecisionRule(1, threshold));
  }

  @Test
  void f1OnImbalancedDataChoosesAThresholdWellBelowHalfAndBeatsEveryOtherThreshold() {
    Rows rows = imbalanced(20_000, 7);

    ThresholdChooser.Choice c =
        ThresholdChooser.choose(new ThresholdSpec.MaxF1(), rows.truth(), rows.p(), 1);

    assertThat(c.method()).isEqualTo("f1");
    assertThat(c.threshold()).isBetween(0.1, 0.4);
    assertThat(c.objective()).isCloseTo(f1(rows, c.threshold()), offset(1e-12));
    assertThat(c.objective()).isGreaterThan(f1(rows, 0.5) + 0.05);
    for (double t = 0.01; t < 1; t += 0.01) {
      assertThat(f1(rows, t)).as("F1 at %s", t).isLessThanOrEqualTo(c.objective() + 1e-12);
    }
  }

  @Test
  void costMatrixMovesTheThresholdTowardsTheCheaperMistake() {
    Rows rows = imbalanced(20_000, 8);

    double missesCostly =
        ThresholdChooser.choose(new ThresholdSpec.MinCost(1, 5), rows.truth(), rows.p(), 1)
            .threshold();
    double alarmsCostly =
        ThresholdChooser.choose(new ThresholdSpec.MinCost(5, 1), rows.truth(), rows.p(), 1)
            .threshold();

    // With true posteriors the Bayes-optimal threshold is c_fp / (c_fp + c_fn).
    assertThat(missesCostly).isCloseTo(1.0 / 6, offset(0.06));
    assertThat(alarmsCostly).isCloseTo(5.0 / 6, offset(0.06));
    assertThat(missesCostly).isLessThan(0.5).isLessThan(alarmsCostly);
  }

  @Test
  void accuracyOnCalibratedProbabilitiesChoosesNearHalf() {
    Rows rows = imbalanced(20_000, 9);

    ThresholdChooser.Choice c =
        ThresholdChooser.choose(new ThresholdSpec.MaxAccuracy(), rows.truth(), rows.p(), 1);

    // With true posteriors, the Bayes-optimal threshold for accuracy is 0.5.
    assertThat(c.threshold()).isCloseTo(0.5, offset(0.08));
    assertThat(c.objective())
        .isCloseTo(
            DecisionMetrics.value(
                Metric.ACCURACY, rows.truth(), rows.p(), 1, new DecisionRule(1, c.threshold())),
            offset(1e-12));
  }

  @Test
  void choosesTheMidpointBetweenNeighbouringScoresAndPrefersTheOneNearestHalf() {
    int[] truth = {1, 1, 0, 0};
    double[][] p = {{0.1, 0.9}, {0.2, 0.8}, {0.7, 0.3}, {0.8, 0.2}};

    ThresholdChooser.Choice c = ThresholdChooser.choose(ThresholdSpec.DEFAULT, truth, p, 1);

    assertThat(c.threshold()).isEqualTo((0.8 + 0.3) / 2);
    assertThat(c.objective()).isEqualTo(1.0);
  }

  @Test
  void positiveClassZeroIsScoredOnItsOwnProbability() {
    int[] truth = {0, 0, 1, 1};
    double[][] p = {{0.45, 0.55}, {0.4, 0.6}, {0.2, 0.8}, {0.1, 0.9}};

    double t = ThresholdChooser.choose(ThresholdSpec.DEFAULT, truth, p, 0).threshold();

    assertThat(t).isEqualTo((0.4 + 0.2) / 2);
    assertThat(new DecisionRule(0, t).decide(p[1])).isEqualTo(0);
    assertThat(new DecisionRule(0, t).decide(p[2])).isEqualTo(1);
  }

  @Test
  void fixedIsTakenAsGivenAndOneClassRowsFallBackToHalf() {
    int[] truth = {1, 1, 1};
    double[][] p = {{0.1, 0.9}, {0.2, 0.8}, {0.7, 0.3}};

    assertThat(ThresholdChooser.choose(new ThresholdSpec.Fixed(0.3), truth, p, 1).threshold())
        .isEqualTo(0.3);
    assertThat(ThresholdChooser.choose(ThresholdSpec.DEFAULT, truth, p, 1).threshold())
        .isEqualTo(0.5);
  }

  @Test
  void labelMetricsFollowTheThresholdWhileRankingMetricsIgnoreIt() {
    int[] truth = {1, 0, 1, 0};
    double[][] p = {{0.6, 0.4}, {0.7, 0.3}, {0.2, 0.8}, {0.9, 0.1}};

    var atHalf = DecisionMetrics.all(truth, p, 1, new DecisionRule(1, 0.5));
    var atLow = DecisionMetrics.all(truth, p, 1, new DecisionRule(1, 0.35));

    assertThat(atHalf.get("accuracy")).isEqualTo(0.75);
    assertThat(atLow.get("accuracy")).isEqualTo(1.0);
    assertThat(atLow.get("recall")).isEqualTo(1.0);
    assertThat(atLow.get("auc")).isEqualTo(atHalf.get("auc")).isEqualTo(1.0);
    assertThat(atLow.get("log_loss")).isEqualTo(atHalf.get("log_loss"));
  }

  /**
   * Rows at four scores, 0.2 to 0.8: {@code neg[k]} negatives and {@code pos[k]} positives at score
   * 0.2 + 0.2k. The candidates are 0.2 (all positive), 0.3, 0.5, 0.7 and 0.9 (none positive).
   */
  private static double[][] stepped(int[] neg, int[] pos, java.util.List<Integer> truth) {
    java.util.List<double[]> p = new java.util.ArrayList<>();
    for (int k = 0; k < 4; k++) {
      double score = 0.2 + 0.2 * k;
      for (int i = 0; i < neg[k] + pos[k]; i++) {
        p.add(new double[] {1 - score, score});
        truth.add(i < pos[k] ? 1 : 0);
      }
    }
    return p.toArray(new double[0][]);
  }

  @Test
  void accuracyKeepsTheThresholdNearestHalfWhenTheBestIsWithinOneStandardError() {
    java.util.List<Integer> t = new java.util.ArrayList<>();
    // At 0.3 the 0.4 group turns positive: 10 right, 8 wrong, so 0.3 beats 0.5 by 2 rows of 100,
    // less than one standard error (about 0.04): noise, and 0.5 stays.
    double[][] p = stepped(new int[] {30, 8, 5, 2}, new int[] {0, 10, 15, 30}, t);
    int[] truth = t.stream().mapToInt(Integer::intValue).toArray();

    ThresholdChooser.Choice c =
        ThresholdChooser.choose(new ThresholdSpec.MaxAccuracy(), truth, p, 1);

    assertThat(c.threshold()).isEqualTo(0.5, offset(1e-12));
    assertThat(c.objective()).isEqualTo(0.83, offset(1e-12));
  }

  @Test
  void accuracyMovesTheThresholdWhenValidationShowsARealGain() {
    java.util.List<Integer> t = new java.util.ArrayList<>();
    // Now the 0.4 group is 25 right to 5 wrong at 0.3: a gain of 20 rows of 112, far beyond one
    // standard error, as for a model whose probabilities class weights have shifted.
    double[][] p = stepped(new int[] {30, 5, 5, 2}, new int[] {0, 25, 15, 30}, t);
    int[] truth = t.stream().mapToInt(Integer::intValue).toArray();

    ThresholdChooser.Choice c =
        ThresholdChooser.choose(new ThresholdSpec.MaxAccuracy(), truth, p, 1);

    assertThat(c.threshold()).isEqualTo(0.3, offset(1e-12));
    assertThat(c.objective()).isEqualTo(100.0 / 112, offset(1e-12));
  }
}
