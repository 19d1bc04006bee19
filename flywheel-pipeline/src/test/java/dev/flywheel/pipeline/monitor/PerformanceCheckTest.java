package dev.flywheel.pipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.bundle.Manifest;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.core.spec.MonitoringSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Live performance from logged answers and fed-back labels, against hand-counted values. */
class PerformanceCheckTest {

  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

  private static Manifest manifest(Task task, List<String> classes, String positive) {
    return new Manifest(
        1,
        "m",
        task,
        "y",
        Algorithm.LINEAR,
        "linear",
        Map.of(),
        classes,
        positive,
        List.of(),
        Map.of(),
        null,
        "test",
        Map.of());
  }

  private static LabelledPrediction labelled(int n, String output, String label) {
    return new LabelledPrediction(
        new PredictionRecord("p" + n, T.plusSeconds(n), "m", 1, "{}", output), label, T);
  }

  private static String answer(double p1) {
    return "{\"label\":\""
        + (p1 > 0.5 ? "1" : "0")
        + "\",\"probabilities\":{\"0\":"
        + (1 - p1)
        + ",\"1\":"
        + p1
        + "}}";
  }

  private static MonitoringSpec.Performance spec(Metric metric, Double min, int minLabels) {
    return new MonitoringSpec.Performance(metric, min, minLabels);
  }

  /** Eight answers: six right, two wrong; plus one label that is no class of the model. */
  private static List<LabelledPrediction> binary() {
    List<LabelledPrediction> out = new ArrayList<>();
    out.add(labelled(1, answer(0.9), "1")); // right
    out.add(labelled(2, answer(0.8), "1")); // right
    out.add(labelled(3, answer(0.7), "0")); // wrong
    out.add(labelled(4, answer(0.2), "0")); // right
    out.add(labelled(5, answer(0.1), "0")); // right
    out.add(labelled(6, answer(0.3), "1")); // wrong
    out.add(labelled(7, answer(0.4), "0")); // right
    out.add(labelled(8, answer(0.6), "1")); // right
    out.add(labelled(9, answer(0.6), "maybe")); // not a class: left out
    return out;
  }

  @Test
  void accuracyIsTheShareOfRightAnswersAmongScoreableLabels() {
    MonitoringReport.Performance p =
        PerformanceCheck.measure(
            manifest(Task.CLASSIFICATION, List.of("0", "1"), "1"),
            binary(),
            spec(Metric.ACCURACY, null, 5));

    assertThat(p.metric()).isEqualTo("accuracy");
    assertThat(p.labels()).isEqualTo(8);
    assertThat(p.value()).isCloseTo(6 / 8.0, within(1e-12));
    assertThat(p.degraded()).as("no min: never degraded").isFalse();
  }

  @Test
  void anyClassificationMetricIsComputedOnTheLoggedProbabilities() {
    // Positive "1" scores, by label: 1 → 0.9, 0.8, 0.3, 0.6; 0 → 0.7, 0.2, 0.1, 0.4.
    // Pairs (positive above negative): 0.9 and 0.8 beat all 4; 0.3 beats 0.2, 0.1; 0.6 beats
    // 0.2, 0.1, 0.4: 4 + 4 + 2 + 3 = 13 of 16, so AUC = 0.8125.
    MonitoringReport.Performance p =
        PerformanceCheck.measure(
            manifest(Task.CLASSIFICATION, List.of("0", "1"), "1"),
            binary(),
            spec(Metric.AUC, 0.9, 5));

    assertThat(p.value()).isCloseTo(0.8125, within(1e-12));
    assertThat(p.min()).isEqualTo(0.9);
    assertThat(p.degraded()).isTrue();
  }

  @Test
  void degradedNeedsMinLabelsAndAValueWorseThanMin() {
    Manifest m = manifest(Task.CLASSIFICATION, List.of("0", "1"), "1");

    assertThat(PerformanceCheck.measure(m, binary(), spec(Metric.ACCURACY, 0.8, 8)).degraded())
        .as("0.75 < 0.8 on 8 labels, 8 needed")
        .isTrue();
    assertThat(PerformanceCheck.measure(m, binary(), spec(Metric.ACCURACY, 0.8, 9)).degraded())
        .as("8 scoreable labels, 9 needed")
        .isFalse();
    assertThat(PerformanceCheck.measure(m, binary(), spec(Metric.ACCURACY, 0.75, 8)).degraded())
        .as("equal to min is not worse")
        .isFalse();
  }

  @Test
  void rmseOnRegressionValuesIsDegradedAboveMin() {
    // Errors 3, −4, 0 (the label "n/a" is not a number: left out): RMSE = √((9 + 16 + 0) / 3)
    // = √(25/3) = 2.886751.
    List<LabelledPrediction> rows =
        List.of(
            labelled(1, "{\"value\":10.0}", "13"),
            labelled(2, "{\"value\":14}", "10"),
            labelled(3, "{\"value\":-2.5}", "-2.5"),
            labelled(4, "{\"value\":1}", "n/a"));
    Manifest m = manifest(Task.REGRESSION, List.of(), null);

    MonitoringReport.Performance p = PerformanceCheck.measure(m, rows, spec(Metric.RMSE, 2.5, 3));

    assertThat(p.metric()).isEqualTo("rmse");
    assertThat(p.labels()).isEqualTo(3);
    assertThat(p.value()).isCloseTo(2.886751, within(1e-6));
    assertThat(p.degraded()).as("an error above its min is worse").isTrue();
    assertThat(PerformanceCheck.measure(m, rows, spec(Metric.RMSE, 3.0, 3)).degraded()).isFalse();
  }

  @Test
  void noLabelsGiveNoValueAndNoDegradation() {
    MonitoringReport.Performance p =
        PerformanceCheck.measure(
            manifest(Task.CLASSIFICATION, List.of("0", "1"), "1"),
            List.of(),
            spec(Metric.ACCURACY, 0.9, 1));

    assertThat(p.value()).isNull();
    assertThat(p.labels()).isZero();
    assertThat(p.degraded()).isFalse();
  }

  @Test
  void aMetricUndefinedOnTheLabelsHasNoValue() {
    // AUC needs both classes among the labels.
    MonitoringReport.Performance p =
        PerformanceCheck.measure(
            manifest(Task.CLASSIFICATION, List.of("0", "1"), "1"),
            List.of(labelled(1, answer(0.9), "1"), labelled(2, answer(0.4), "1")),
            spec(Metric.AUC, 0.9, 1));

    assertThat(p.value()).isNull();
    assertThat(p.labels()).isEqualTo(2);
    assertThat(p.degraded()).isFalse();
  }
}
