package dev.flywheel.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.pipeline.train.Truth;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Known answers for the paired bootstrap: better passes, equal passes, worse fails. */
class PairedBootstrapTest {

  private static final double TOLERANCE = 0.005;

  /** Binary labels, and scores that are right with probability {@code skill}. */
  private static Predictions.Probabilities scores(int[] labels, double skill, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] p = new double[labels.length][2];
    for (int i = 0; i < labels.length; i++) {
      boolean right = r.nextDouble() < skill;
      double positive = (labels[i] == 1) == right ? 0.5 + r.nextDouble() / 2 : r.nextDouble() / 2;
      p[i][1] = positive;
      p[i][0] = 1 - positive;
    }
    return new Predictions.Probabilities(List.of("0", "1"), p);
  }

  private static int[] labels(int n) {
    SplittableRandom r = new SplittableRandom(1);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < 0.4 ? 1 : 0;
    }
    return y;
  }

  private static PairedBootstrap.Interval interval(
      Predictions challenger, Predictions production, Truth truth) {
    return PairedBootstrap.compute(Metric.AUC, truth, challenger, production, 1000, 0.95, 42);
  }

  @Test
  void clearlyBetterChallengerPasses() {
    int[] y = labels(1000);
    Truth truth = new Truth(Task.CLASSIFICATION, y, null, 1);

    PairedBootstrap.Interval i = interval(scores(y, 0.9, 2), scores(y, 0.6, 3), truth);

    assertThat(i.improvement()).isGreaterThan(0.2);
    assertThat(i.lower()).isGreaterThan(0.1);
    assertThat(i.lower()).isGreaterThanOrEqualTo(-TOLERANCE);
  }

  @Test
  void equalChallengerPassesNonInferiority() {
    int[] y = labels(1000);
    Truth truth = new Truth(Task.CLASSIFICATION, y, null, 1);
    Predictions same = scores(y, 0.8, 2);

    PairedBootstrap.Interval i = interval(same, same, truth);

    assertThat(i.improvement()).isZero();
    assertThat(i.lower()).isZero();
    assertThat(i.upper()).isZero();
    assertThat(i.lower()).isGreaterThanOrEqualTo(-TOLERANCE);
  }

  @Test
  void clearlyWorseChallengerFails() {
    int[] y = labels(1000);
    Truth truth = new Truth(Task.CLASSIFICATION, y, null, 1);

    PairedBootstrap.Interval i = interval(scores(y, 0.6, 2), scores(y, 0.9, 3), truth);

    assertThat(i.upper()).isLessThan(-0.1);
    assertThat(i.lower()).isLessThan(-TOLERANCE);
  }

  @Test
  void errorMetricsAreOrientedSoPositiveMeansBetter() {
    double[] y = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    Truth truth = new Truth(Task.REGRESSION, null, y, -1);
    Predictions exact = new Predictions.Values(y.clone());
    double[] off = new double[y.length];
    for (int k = 0; k < y.length; k++) {
      off[k] = y[k] + 3;
    }

    PairedBootstrap.Interval i =
        PairedBootstrap.compute(
            Metric.RMSE, truth, exact, new Predictions.Values(off), 200, 0.95, 7);

    assertThat(i.challenger()).isZero();
    assertThat(i.production()).isEqualTo(3.0);
    assertThat(i.improvement()).isEqualTo(3.0);
    assertThat(i.lower()).isEqualTo(3.0);
  }

  @Test
  void sameSeedGivesTheSameInterval() {
    int[] y = labels(300);
    Truth truth = new Truth(Task.CLASSIFICATION, y, null, 1);
    Predictions a = scores(y, 0.8, 2);
    Predictions b = scores(y, 0.75, 3);

    assertThat(interval(a, b, truth)).isEqualTo(interval(a, b, truth));
  }
}
