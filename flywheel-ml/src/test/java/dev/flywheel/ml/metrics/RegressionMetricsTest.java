package dev.flywheel.ml.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.metrics.Metric;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

  private static final Offset<Double> EXACT = within(1e-12);

  /** truth 3, -0.5, 2, 7; predicted 2.5, 0, 2, 8; errors 0.5, 0.5, 0, 1. */
  private final RegressionMetrics m =
      new RegressionMetrics(new double[] {3, -0.5, 2, 7}, new double[] {2.5, 0.0, 2, 8});

  @Test
  void rmseIsTheRootOfTheMeanSquaredError() {
    // (0.25 + 0.25 + 0 + 1) / 4 = 0.375; sqrt(0.375) = 0.6123724356957945
    assertThat(m.value(Metric.RMSE)).isCloseTo(Math.sqrt(0.375), EXACT);
  }

  @Test
  void maeIsTheMeanAbsoluteError() {
    // (0.5 + 0.5 + 0 + 1) / 4
    assertThat(m.value(Metric.MAE)).isCloseTo(0.5, EXACT);
  }

  @Test
  void r2IsOneMinusResidualOverTotalSumOfSquares() {
    // mean = 11.5 / 4 = 2.875
    // total = 0.125^2 + 3.375^2 + 0.875^2 + 4.125^2 = 0.015625 + 11.390625 + 0.765625 + 17.015625
    //       = 29.1875; residual = 1.5; r2 = 1 - 1.5 / 29.1875 = 0.948608137...
    assertThat(m.value(Metric.R2)).isCloseTo(1 - 1.5 / 29.1875, EXACT);
  }

  @Test
  void mapeIsTheMeanAbsoluteErrorRelativeToTheTruth() {
    // (0.5/3 + 0.5/0.5 + 0/2 + 1/7) / 4 = 0.327380952...
    assertThat(m.value(Metric.MAPE)).isCloseTo((0.5 / 3 + 1 + 0 + 1.0 / 7) / 4, EXACT);
  }

  @Test
  void medianAbsoluteErrorOfAnEvenCountAveragesTheTwoMiddleErrors() {
    // errors 0, 0.5, 1, 2 -> (0.5 + 1) / 2 = 0.75
    RegressionMetrics even =
        new RegressionMetrics(new double[] {1, 2, 3, 4}, new double[] {1, 2.5, 4, 6});
    assertThat(even.value(Metric.MEDIAN_AE)).isCloseTo(0.75, EXACT);
  }

  @Test
  void medianAbsoluteErrorOfAnOddCountIsTheMiddleError() {
    // errors 3, 0.5, 1 -> sorted 0.5, 1, 3 -> 1
    RegressionMetrics odd = new RegressionMetrics(new double[] {0, 2, 4}, new double[] {3, 2.5, 3});
    assertThat(odd.value(Metric.MEDIAN_AE)).isCloseTo(1.0, EXACT);
  }

  @Test
  void mapeDividesAZeroTargetByMachineEpsilonGivingAHugeButFiniteError() {
    // (|0 - 1| / 2.220446049250313e-16 + |1 - 1| / 1) / 2 = 1 / (2 * 2^-52) = 2^51
    RegressionMetrics zero = new RegressionMetrics(new double[] {0, 1}, new double[] {1, 1});
    double mape = zero.value(Metric.MAPE);
    assertThat(mape).isFinite().isEqualTo(Math.pow(2, 51));
    assertThat(zero.all()).containsEntry("mape", Math.pow(2, 51));
  }

  @Test
  void r2OfAConstantTruthIsOneWhenPerfectAndZeroOtherwise() {
    // total sum of squares is 0: scikit-learn's force_finite convention
    double[] constant = {2, 2, 2};
    assertThat(new RegressionMetrics(constant, new double[] {2, 2, 2}).value(Metric.R2))
        .isEqualTo(1.0);
    assertThat(new RegressionMetrics(constant, new double[] {1, 2, 3}).value(Metric.R2))
        .isEqualTo(0.0);
  }

  @Test
  void r2OfPredictingTheMeanIsZeroAndOfWorseIsNegative() {
    // truth 1, 2, 3 (mean 2, total 2); predicting 2 everywhere leaves residual 2 -> r2 0
    // predicting 3, 2, 1 leaves residual 4 + 0 + 4 = 8 -> r2 = 1 - 8/2 = -3
    double[] truth = {1, 2, 3};
    assertThat(new RegressionMetrics(truth, new double[] {2, 2, 2}).value(Metric.R2))
        .isCloseTo(0.0, EXACT);
    assertThat(new RegressionMetrics(truth, new double[] {3, 2, 1}).value(Metric.R2))
        .isCloseTo(-3.0, EXACT);
  }

  @Test
  void allReportsEveryRegressionMetricInInterfaceOrder() {
    assertThat(m.all().keySet()).containsExactly("rmse", "mae", "r2", "mape", "median_ae");
    // errors 0, 0.5, 0.5, 1 -> median (0.5 + 0.5) / 2
    assertThat(m.all().get("median_ae")).isCloseTo(0.5, EXACT);
  }

  @Test
  void noRowsGiveNoMetrics() {
    assertThat(new RegressionMetrics(new double[0], new double[0]).all()).isEmpty();
  }

  @Test
  void classificationMetricsAreRejectedByName() {
    assertThatThrownBy(() -> m.value(Metric.AUC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("auc is not a regression metric");
  }
}
