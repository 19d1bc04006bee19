package dev.flywheel.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassWeightsTest {

  @Test
  void balancedWeightsAreScikitLearnsAndGiveEveryClassTheSameTotal() {
    int[] labels = {0, 0, 0, 0, 0, 0, 1, 1, 2, 0};
    float[] w = ClassWeights.of(labels, 3, 1.0);
    // sklearn: n_samples / (n_classes * np.bincount(y)) = 10 / (3 * [7, 2, 1])
    assertThat(w[0]).isCloseTo(10f / 21, within(1e-6f));
    assertThat(w[6]).isCloseTo(10f / 6, within(1e-6f));
    assertThat(w[8]).isCloseTo(10f / 3, within(1e-6f));
    double[] totals = new double[3];
    for (int i = 0; i < labels.length; i++) {
      totals[labels[i]] += w[i];
    }
    assertThat(totals[0]).isCloseTo(totals[1], within(1e-5)).isCloseTo(totals[2], within(1e-5));
  }

  @Test
  void powerZeroMeansNoWeightsAndPowersBetweenSoftenTheCorrection() {
    int[] labels = {0, 0, 0, 1};
    assertThat(ClassWeights.of(labels, 2, 0)).isNull();
    float[] half = ClassWeights.of(labels, 2, 0.5);
    assertThat(half[3]).isCloseTo((float) Math.sqrt(4.0 / 2), within(1e-6f));
    assertThat(half[0]).isCloseTo((float) Math.sqrt(4.0 / 6), within(1e-6f));
  }

  @Test
  void aClassAbsentFromTheRowsDoesNotCountAsAClass() {
    // sklearn counts the classes present in y: 4 / (2 * [2, 2]) = 1 for each row.
    assertThat(ClassWeights.of(new int[] {0, 2, 0, 2}, 3, 1.0)).containsExactly(1f, 1f, 1f, 1f);
  }
}
