package dev.flywheel.ml.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.metrics.Metric;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  private static final Offset<Double> EXACT = within(1e-12);

  /** Rows {@code {1 - p, p}} for the positive-class probabilities {@code p}. */
  private static double[][] binaryRows(double... positive) {
    double[][] rows = new double[positive.length][];
    for (int i = 0; i < positive.length; i++) {
      rows[i] = new double[] {1 - positive[i], positive[i]};
    }
    return rows;
  }

  /**
   * Eight rows, positive class 1.
   *
   * <pre>
   * row    0    1    2    3    4    5    6    7
   * truth  1    0    1    1    0    0    1    1
   * p(1)  0.9  0.8  0.7  0.4  0.4  0.2  0.6  0.1     (rows 3 and 4 tie at 0.4)
   * pred   1    1    1    0    0    0    1    0
   * </pre>
   *
   * TP = 3 (rows 0, 2, 6), FP = 1 (row 1), FN = 2 (rows 3, 7), TN = 2 (rows 4, 5).
   */
  @Nested
  class Binary {

    private final ClassificationMetrics m =
        new ClassificationMetrics(
            new int[] {1, 0, 1, 1, 0, 0, 1, 1},
            binaryRows(0.9, 0.8, 0.7, 0.4, 0.4, 0.2, 0.6, 0.1),
            1);

    @Test
    void accuracyIsTheShareOfArgmaxHits() {
      // (TP + TN) / n = (3 + 2) / 8
      assertThat(m.value(Metric.ACCURACY)).isCloseTo(5.0 / 8, EXACT);
    }

    @Test
    void balancedAccuracyAveragesTheRecallOfEachClass() {
      // recall(1) = 3/5, recall(0) = TN / negatives = 2/3; mean = (3/5 + 2/3) / 2 = 19/30
      assertThat(m.value(Metric.BALANCED_ACCURACY)).isCloseTo(19.0 / 30, EXACT);
    }

    @Test
    void precisionRecallAndF1ReferToThePositiveClass() {
      // precision = TP / (TP + FP) = 3/4; recall = TP / (TP + FN) = 3/5
      // f1 = 2 * 3/4 * 3/5 / (3/4 + 3/5) = 0.9 / 1.35 = 2/3
      assertThat(m.value(Metric.PRECISION)).isCloseTo(0.75, EXACT);
      assertThat(m.value(Metric.RECALL)).isCloseTo(0.6, EXACT);
      assertThat(m.value(Metric.F1)).isCloseTo(2.0 / 3, EXACT);
    }

    @Test
    void precisionRecallAndF1FollowThePositiveIndexNotTheLastClass() {
      // Same rows with class 0 as the positive: TP0 = 2 (rows 4, 5), FP0 = 2 (rows 3, 7),
      // FN0 = 1 (row 1). precision = 2/4, recall = 2/3, f1 = 2 * 1/2 * 2/3 / (1/2 + 2/3) = 4/7
      ClassificationMetrics zero = new ClassificationMetrics(m.truth(), m.probabilities(), 0);
      assertThat(zero.value(Metric.PRECISION)).isCloseTo(0.5, EXACT);
      assertThat(zero.value(Metric.RECALL)).isCloseTo(2.0 / 3, EXACT);
      assertThat(zero.value(Metric.F1)).isCloseTo(4.0 / 7, EXACT);
    }

    @Test
    void aucCountsTiedScoresAsHalf() {
      // 5 positives x 3 negatives = 15 pairs. Positive scores beat negatives {0.8, 0.4, 0.2}:
      // 0.9 -> 3; 0.7 -> 2; 0.6 -> 2; 0.1 -> 0; 0.4 -> 1 (over 0.2) + 0.5 (tie with 0.4) = 1.5
      // AUC = (3 + 2 + 2 + 0 + 1.5) / 15 = 8.5 / 15 = 17/30
      assertThat(m.value(Metric.AUC)).isCloseTo(17.0 / 30, EXACT);
    }

    @Test
    void averagePrecisionSumsRecallStepsTimesPrecisionWithTiesAsOneThreshold() {
      // Thresholds high to low (tp/seen, recall):
      // 0.9: 1/1 R=0.2 -> 0.2 * 1       = 0.2
      // 0.8: 1/2 R=0.2 -> 0
      // 0.7: 2/3 R=0.4 -> 0.2 * 2/3     = 2/15
      // 0.6: 3/4 R=0.6 -> 0.2 * 3/4     = 0.15
      // 0.4: 4/6 R=0.8 -> 0.2 * 4/6     = 2/15   (the tie enters as one step)
      // 0.2: 4/7 R=0.8 -> 0
      // 0.1: 5/8 R=1.0 -> 0.2 * 5/8     = 0.125
      // AP = 0.2 + 2/15 + 0.15 + 2/15 + 0.125 = 89/120
      assertThat(m.value(Metric.PR_AUC)).isCloseTo(89.0 / 120, EXACT);
    }

    @Test
    void logLossIsTheMeanNegativeLogProbabilityOfTheTrueClass() {
      // p(true class): 0.9, 1-0.8, 0.7, 0.4, 1-0.4, 1-0.2, 0.6, 0.1
      double expected =
          -(Math.log(0.9)
                  + Math.log(0.2)
                  + Math.log(0.7)
                  + Math.log(0.4)
                  + Math.log(0.6)
                  + Math.log(0.8)
                  + Math.log(0.6)
                  + Math.log(0.1))
              / 8;
      assertThat(m.value(Metric.LOG_LOSS)).isCloseTo(expected, EXACT);
    }

    @Test
    void brierIsTheMeanSquaredErrorOfThePositiveProbability() {
      // positives (1 - p)^2: 0.01 + 0.09 + 0.36 + 0.16 + 0.81 = 1.43
      // negatives p^2:       0.64 + 0.16 + 0.04             = 0.84
      // (1.43 + 0.84) / 8 = 2.27 / 8 = 0.28375
      assertThat(m.value(Metric.BRIER)).isCloseTo(0.28375, EXACT);
    }

    @Test
    void allReportsEveryClassificationMetricInInterfaceOrder() {
      assertThat(m.all())
          .containsOnlyKeys(
              "accuracy",
              "balanced_accuracy",
              "precision",
              "recall",
              "f1",
              "auc",
              "pr_auc",
              "log_loss",
              "brier");
      assertThat(m.all().keySet())
          .containsExactly(
              "accuracy",
              "balanced_accuracy",
              "precision",
              "recall",
              "f1",
              "auc",
              "pr_auc",
              "log_loss",
              "brier");
    }
  }

  @Test
  void constantScoresGiveAucOfOneHalf() {
    // Every score ties: each of the 2 x 3 pairs counts 1/2, so AUC = 3 / 6
    ClassificationMetrics m =
        new ClassificationMetrics(
            new int[] {1, 0, 1, 0, 0}, binaryRows(0.5, 0.5, 0.5, 0.5, 0.5), 1);
    assertThat(m.value(Metric.AUC)).isCloseTo(0.5, EXACT);
  }

  @Test
  void constantScoresGiveAveragePrecisionEqualToThePositiveShare() {
    // One threshold: recall 0 -> 1 at precision 2/5
    ClassificationMetrics m =
        new ClassificationMetrics(
            new int[] {1, 0, 1, 0, 0}, binaryRows(0.3, 0.3, 0.3, 0.3, 0.3), 1);
    assertThat(m.value(Metric.PR_AUC)).isCloseTo(0.4, EXACT);
  }

  @Test
  void perfectRankingGivesAucAndAveragePrecisionOfOne() {
    ClassificationMetrics m =
        new ClassificationMetrics(new int[] {0, 1, 0, 1}, binaryRows(0.1, 0.8, 0.3, 0.6), 1);
    assertThat(m.value(Metric.AUC)).isCloseTo(1.0, EXACT);
    assertThat(m.value(Metric.PR_AUC)).isCloseTo(1.0, EXACT);
  }

  @Test
  void aucIsUndefinedAndLeftOutWhenOnlyPositivesArePresent() {
    ClassificationMetrics m =
        new ClassificationMetrics(new int[] {1, 1, 1}, binaryRows(0.9, 0.4, 0.7), 1);
    assertThat(m.value(Metric.AUC)).isNaN();
    Map<String, Double> all = m.all();
    assertThat(all).doesNotContainKey("auc").containsKeys("accuracy", "log_loss", "brier");
    // With only positives every threshold has precision 1, so AP is defined and 1.
    assertThat(all.get("pr_auc")).isCloseTo(1.0, EXACT);
    assertThat(all.values()).allSatisfy(v -> assertThat(v).isFinite());
  }

  @Test
  void aucAndAveragePrecisionAreLeftOutWhenOnlyNegativesArePresent() {
    ClassificationMetrics m =
        new ClassificationMetrics(new int[] {0, 0, 0}, binaryRows(0.9, 0.4, 0.7), 1);
    assertThat(m.all()).doesNotContainKeys("auc", "pr_auc").containsKey("accuracy");
    // 0.9 and 0.7 are predicted positive, 0.4 negative: accuracy 1/3
    assertThat(m.all().get("accuracy")).isCloseTo(1.0 / 3, EXACT);
  }

  @Test
  void precisionIsZeroWhenNothingIsPredictedPositive() {
    // scikit-learn's zero_division=0: no predicted positives gives precision 0 and f1 0
    ClassificationMetrics m =
        new ClassificationMetrics(new int[] {1, 0, 1}, binaryRows(0.1, 0.2, 0.3), 1);
    assertThat(m.value(Metric.PRECISION)).isEqualTo(0.0);
    assertThat(m.value(Metric.RECALL)).isEqualTo(0.0);
    assertThat(m.value(Metric.F1)).isEqualTo(0.0);
  }

  @Test
  void logLossClipsAZeroProbabilityForTheTrueClassAt1e15() {
    // row 0: p(true) = 0 -> clipped to 1e-15 -> -ln(1e-15) = 15 ln 10 = 34.538776394910684
    // row 1: p(true) = 1 -> clipped to 1 - 1e-15 -> -ln(1 - 1e-15) ~ 1e-15
    ClassificationMetrics m = new ClassificationMetrics(new int[] {1, 1}, binaryRows(0.0, 1.0), 1);
    double loss = m.value(Metric.LOG_LOSS);
    assertThat(loss).isFinite().isCloseTo((15 * Math.log(10) + 1e-15) / 2, EXACT);
  }

  /**
   * Six rows, three classes.
   *
   * <pre>
   * row  truth  p(0) p(1) p(2)   pred
   * 0    0      0.7  0.2  0.1    0
   * 1    1      0.1  0.6  0.3    1
   * 2    2      0.2  0.5  0.3    1
   * 3    2      0.1  0.1  0.8    2
   * 4    1      0.5  0.3  0.2    0
   * 5    0      0.4  0.4  0.2    0   (tie: the earlier class wins)
   * </pre>
   */
  @Nested
  class MultiClass {

    private final ClassificationMetrics m =
        new ClassificationMetrics(
            new int[] {0, 1, 2, 2, 1, 0},
            new double[][] {
              {0.7, 0.2, 0.1},
              {0.1, 0.6, 0.3},
              {0.2, 0.5, 0.3},
              {0.1, 0.1, 0.8},
              {0.5, 0.3, 0.2},
              {0.4, 0.4, 0.2}
            },
            1);

    @Test
    void accuracyBreaksArgmaxTiesTowardsTheEarlierClass() {
      // hits: rows 0, 1, 3, 5 -> 4/6
      assertThat(m.value(Metric.ACCURACY)).isCloseTo(4.0 / 6, EXACT);
    }

    @Test
    void precisionRecallAndF1AreMacroAveraged() {
      // class 0: predicted {0,4,5}, tp 2 -> P 2/3; actual {0,5} -> R 1;   F1 = 0.8
      // class 1: predicted {1,2},   tp 1 -> P 1/2; actual {1,4} -> R 1/2; F1 = 1/2
      // class 2: predicted {3},     tp 1 -> P 1;   actual {2,3} -> R 1/2; F1 = 2/3
      // macro P = (2/3 + 1/2 + 1) / 3 = 13/18; macro R = 2/3; macro F1 = (0.8 + 0.5 + 2/3) / 3 =
      // 59/90
      assertThat(m.value(Metric.PRECISION)).isCloseTo(13.0 / 18, EXACT);
      assertThat(m.value(Metric.RECALL)).isCloseTo(2.0 / 3, EXACT);
      assertThat(m.value(Metric.F1)).isCloseTo(59.0 / 90, EXACT);
    }

    @Test
    void balancedAccuracyIsTheMeanRecall() {
      // (1 + 1/2 + 1/2) / 3
      assertThat(m.value(Metric.BALANCED_ACCURACY)).isCloseTo(2.0 / 3, EXACT);
    }

    @Test
    void aucIsOneVsRestMacroAveraged() {
      // each class has 2 positives x 4 negatives = 8 pairs
      // class 0: pos {0.7, 0.4} vs neg {0.1, 0.2, 0.1, 0.5}: 4 + 3         = 7   -> 7/8
      // class 1: pos {0.6, 0.3} vs neg {0.2, 0.5, 0.1, 0.4}: 4 + 2         = 6   -> 6/8
      // class 2: pos {0.3, 0.8} vs neg {0.1, 0.3, 0.2, 0.2}: 3 + 0.5 + 4   = 7.5 -> 7.5/8
      // macro = (7 + 6 + 7.5) / 24 = 20.5 / 24 = 41/48
      assertThat(m.value(Metric.AUC)).isCloseTo(41.0 / 48, EXACT);
    }

    @Test
    void brierSumsSquaredErrorsOverClassesAndAveragesOverRows() {
      // row 0: 0.09 + 0.04 + 0.01 = 0.14    row 1: 0.01 + 0.16 + 0.09 = 0.26
      // row 2: 0.04 + 0.25 + 0.49 = 0.78    row 3: 0.01 + 0.01 + 0.04 = 0.06
      // row 4: 0.25 + 0.49 + 0.04 = 0.78    row 5: 0.36 + 0.16 + 0.04 = 0.56
      // (0.14 + 0.26 + 0.78 + 0.06 + 0.78 + 0.56) / 6 = 2.58 / 6 = 0.43
      assertThat(m.value(Metric.BRIER)).isCloseTo(0.43, EXACT);
    }

    @Test
    void logLossUsesTheProbabilityOfEachRowsTrueClass() {
      // p(true): 0.7, 0.6, 0.3, 0.8, 0.3, 0.4
      double expected =
          -(Math.log(0.7)
                  + Math.log(0.6)
                  + Math.log(0.3)
                  + Math.log(0.8)
                  + Math.log(0.3)
                  + Math.log(0.4))
              / 6;
      assertThat(m.value(Metric.LOG_LOSS)).isCloseTo(expected, EXACT);
    }
  }

  @Test
  void macroAveragesSkipAClassThatNeitherOccursNorIsPredicted() {
    // Three classes; the rows hold only 0 and 1, and class 2 is never predicted. Predictions
    // 0, 1, 1, 1 against truth 0, 0, 1, 1 (scikit-learn averages over labels seen in either):
    // class 0: P 1/1, R 1/2, F1 2/3;  class 1: P 2/3, R 2/2, F1 4/5
    // macro P = (1 + 2/3) / 2 = 5/6; macro R = (1/2 + 1) / 2 = 3/4; macro F1 = (2/3 + 4/5) / 2 =
    // 11/15
    ClassificationMetrics m =
        new ClassificationMetrics(
            new int[] {0, 0, 1, 1},
            new double[][] {
              {0.8, 0.1, 0.1},
              {0.3, 0.6, 0.1},
              {0.2, 0.7, 0.1},
              {0.1, 0.5, 0.4}
            },
            1);
    assertThat(m.value(Metric.PRECISION)).isCloseTo(5.0 / 6, EXACT);
    assertThat(m.value(Metric.RECALL)).isCloseTo(3.0 / 4, EXACT);
    assertThat(m.value(Metric.F1)).isCloseTo(11.0 / 15, EXACT);
    // macro recall over the classes present is balanced accuracy
    assertThat(m.value(Metric.RECALL)).isCloseTo(m.value(Metric.BALANCED_ACCURACY), EXACT);
  }

  @Test
  void macroAveragesKeepAClassThatIsPredictedButNeverOccurs() {
    // Truth 0, 1, 1; predictions 0, 1, 2. Class 2 is predicted once and never occurs:
    // P 0, R 0 (zero_division = 0), F1 0. Class 0: P 1, R 1, F1 1. Class 1: P 1, R 1/2, F1 2/3.
    // macro P = 2/3; macro R = 1/2; macro F1 = (1 + 2/3 + 0) / 3 = 5/9
    ClassificationMetrics m =
        new ClassificationMetrics(
            new int[] {0, 1, 1},
            new double[][] {
              {0.8, 0.1, 0.1},
              {0.2, 0.7, 0.1},
              {0.1, 0.3, 0.6}
            },
            1);
    assertThat(m.value(Metric.PRECISION)).isCloseTo(2.0 / 3, EXACT);
    assertThat(m.value(Metric.RECALL)).isCloseTo(0.5, EXACT);
    assertThat(m.value(Metric.F1)).isCloseTo(5.0 / 9, EXACT);
  }

  @Test
  void multiClassAucAveragesOnlyTheClassesWhereItIsDefined() {
    // class 2 never occurs, so its one-vs-rest AUC is undefined and is skipped.
    // class 0: pos {0.6, 0.5} vs neg {0.3, 0.1}: 4 of 4 -> 1
    // class 1: pos {0.3, 0.8} vs neg {0.2, 0.3}: 0.3 -> 1 + 0.5, 0.8 -> 2: 3.5 / 4
    // macro = (1 + 0.875) / 2 = 0.9375
    ClassificationMetrics m =
        new ClassificationMetrics(
            new int[] {0, 0, 1, 1},
            new double[][] {
              {0.6, 0.2, 0.2},
              {0.5, 0.3, 0.2},
              {0.3, 0.3, 0.4},
              {0.1, 0.8, 0.1}
            },
            1);
    assertThat(m.value(Metric.AUC)).isCloseTo(0.9375, EXACT);
  }

  @Test
  void regressionMetricsAreRejectedByName() {
    ClassificationMetrics m = new ClassificationMetrics(new int[] {0}, binaryRows(0.2), 1);
    assertThatThrownBy(() -> m.value(Metric.RMSE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rmse is not a classification metric");
  }

  @Test
  void logLossRenormalisesAClippedRowThatDoesNotSumToOne() {
    // Row {0.2, 0.2}, truth 0: p(0) = 0.2 / 0.4 = 0.5, so the loss is ln 2, not ln 5.
    // Row {0, 0.5}, truth 1: {1e-15, 0.5} -> p(1) = 0.5 / (0.5 + 1e-15).
    ClassificationMetrics m =
        new ClassificationMetrics(new int[] {0, 1}, new double[][] {{0.2, 0.2}, {0.0, 0.5}}, 1);
    double expected = (Math.log(2) - Math.log(0.5 / (0.5 + 1e-15))) / 2;
    assertThat(m.value(Metric.LOG_LOSS)).isCloseTo(expected, EXACT);
  }

  @Test
  void theConfusionMatrixCountsTruthByRowAndPredictionByColumnForEveryClass() {
    // Predictions 0, 1, 0, 0 (the last row ties 0 and 1: the lower index wins); class 2 never
    // occurs but keeps its row and column.
    ClassificationMetrics m =
        new ClassificationMetrics(
            new int[] {0, 1, 1, 0},
            new double[][] {
              {0.8, 0.1, 0.1},
              {0.2, 0.7, 0.1},
              {0.5, 0.4, 0.1},
              {0.4, 0.4, 0.2}
            },
            1);
    ConfusionMatrix cm = m.confusionMatrix(java.util.List.of("a", "b", "c"));
    assertThat(cm.counts()).isDeepEqualTo(new int[][] {{2, 0, 0}, {1, 1, 0}, {0, 0, 0}});
    assertThat(cm.total()).isEqualTo(4);
    assertThat(cm).isEqualTo(new ConfusionMatrix(java.util.List.of("a", "b", "c"), cm.counts()));
    cm.counts()[0][0] = 99;
    assertThat(cm.counts()[0][0]).as("counts() hands out a copy").isEqualTo(2);
  }

  @Test
  void theConfusionMatrixNeedsOneLabelPerClass() {
    ClassificationMetrics m = new ClassificationMetrics(new int[] {0}, binaryRows(0.2), 1);
    assertThatThrownBy(() -> m.confusionMatrix(java.util.List.of("a", "b", "c")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the confusion matrix needs one label per class: 2 classes but labels [a, b, c]");
  }

  @Test
  void aCalibrationCurveKeepsNonEmptyBinsAndPutsAnEdgeInTheBinBelow() {
    // 0.1 is on the edge between bins 0 and 1: it belongs to bin 0, with 0.05.
    // 0.95 and 1.0 share bin 9. Bins 1 to 8 are empty and left out.
    ClassificationMetrics m =
        new ClassificationMetrics(new int[] {0, 1, 1, 0}, binaryRows(0.05, 0.1, 0.95, 1.0), 1);
    CalibrationCurve curve = m.calibrationCurve(10);
    assertThat(curve.points())
        .containsExactly(
            new CalibrationCurve.Point(0, 0.0, 0.1, 2, (0.05 + 0.1) / 2, 0.5),
            new CalibrationCurve.Point(9, 0.9, 1.0, 2, (0.95 + 1.0) / 2, 0.5));
  }

  @Test
  void aCalibrationCurveIsForBinaryTasksAndProbabilitiesOnly() {
    ClassificationMetrics three =
        new ClassificationMetrics(new int[] {0}, new double[][] {{0.2, 0.3, 0.5}}, 1);
    assertThatThrownBy(() -> three.calibrationCurve(10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a calibration curve needs a binary task, this one has 3 classes");
    ClassificationMetrics outside =
        new ClassificationMetrics(new int[] {0, 1}, new double[][] {{0.5, 0.5}, {-0.25, 1.25}}, 1);
    assertThatThrownBy(() -> outside.calibrationCurve(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a calibration curve needs probabilities in [0, 1], row 1 has 1.25");
  }
}
