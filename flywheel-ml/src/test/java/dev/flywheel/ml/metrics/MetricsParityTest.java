package dev.flywheel.ml.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Task;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Flywheel's metrics against scikit-learn's, case by case. The cases and scikit-learn's values are
 * in {@code metrics/sklearn_cases.json}, written by {@code make_fixtures.py} beside it with
 * Debian's scikit-learn; rerun that script to refresh them. A value agrees when it is within 1e-9
 * of scikit-learn's, or within 1e-9 relative for values above 1 in size (a MAPE over a zero target
 * is about 1e15, where one double step is 0.125). A null expected value means the metric is
 * undefined on those rows: Flywheel returns NaN for it and leaves it out of {@code all()}.
 */
class MetricsParityTest {

  private static final double TOLERANCE = 1e-9;
  private static final String FIXTURE = "/metrics/sklearn_cases.json";

  private static JsonNode fixture() throws IOException {
    try (InputStream in = MetricsParityTest.class.getResourceAsStream(FIXTURE)) {
      assertThat(in).as(FIXTURE + " on the test class path").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  private static List<JsonNode> cases(String task) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode c : fixture().get("cases")) {
      if (c.get("task").asText().equals(task)) {
        out.add(c);
      }
    }
    return out;
  }

  @Test
  void theFixtureCoversTheCasesTheDefinitionsSingleOut() throws IOException {
    List<String> names = new ArrayList<>();
    fixture().get("cases").forEach(c -> names.add(c.get("name").asText()));
    assertThat(fixture().get("sklearn").asText()).isNotBlank();
    assertThat(names)
        .anyMatch(n -> n.contains("tied scores"))
        .anyMatch(n -> n.contains("constant scores"))
        .anyMatch(n -> n.contains("absent from the split"))
        .anyMatch(n -> n.contains("never predicted"))
        .anyMatch(n -> n.contains("absent from the truth"))
        .anyMatch(n -> n.contains("zero targets"))
        .anyMatch(n -> n.contains("perfect"))
        .anyMatch(n -> n.contains("random"));
    assertThat(cases("classification")).hasSizeGreaterThanOrEqualTo(15);
    assertThat(cases("regression")).hasSizeGreaterThanOrEqualTo(8);
  }

  @TestFactory
  Stream<DynamicTest> classificationMetricsAgreeWithScikitLearn() throws IOException {
    return cases("classification").stream()
        .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> checkClassification(c)));
  }

  @TestFactory
  Stream<DynamicTest> regressionMetricsAgreeWithScikitLearn() throws IOException {
    return cases("regression").stream()
        .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> checkRegression(c)));
  }

  private static void checkClassification(JsonNode c) {
    int[] truth = ints(c.get("truth"));
    double[][] p = new double[truth.length][];
    for (int i = 0; i < truth.length; i++) {
      p[i] = doubles(c.get("probabilities").get(i));
    }
    JsonNode positiveNode = c.get("positive");
    int positive = positiveNode.isNull() ? -1 : positiveNode.asInt();
    ClassificationMetrics m = new ClassificationMetrics(truth, p, positive);
    checkMetrics(Task.CLASSIFICATION, c.get("expected"), m::value, m.all());

    List<String> labels = new ArrayList<>();
    c.get("labels").forEach(l -> labels.add(l.asText()));
    ConfusionMatrix cm = m.confusionMatrix(labels);
    assertThat(cm.labels()).containsExactlyElementsOf(labels);
    JsonNode expectedCounts = c.get("confusion_matrix");
    for (int i = 0; i < labels.size(); i++) {
      assertThat(cm.counts()[i])
          .as("confusion matrix row %s", i)
          .containsExactly(ints(expectedCounts.get(i)));
    }
    assertThat(cm.total()).isEqualTo(truth.length);

    JsonNode cal = c.get("calibration");
    if (cal != null) {
      CalibrationCurve curve = m.calibrationCurve(10);
      assertThat(curve.strategy()).isEqualTo("uniform");
      assertThat(curve.bins()).isEqualTo(10);
      List<CalibrationCurve.Point> points = curve.points();
      assertThat(points).hasSize(cal.get("bins").size());
      for (int k = 0; k < points.size(); k++) {
        CalibrationCurve.Point pt = points.get(k);
        assertThat(pt.bin()).as("bin of point %s", k).isEqualTo(cal.get("bins").get(k).asInt());
        assertThat(pt.count())
            .as("count of bin %s", pt.bin())
            .isEqualTo(cal.get("count").get(k).asInt());
        assertThat(pt.lower()).isEqualTo(cal.get("lower").get(k).asDouble());
        assertThat(pt.upper()).isEqualTo(cal.get("upper").get(k).asDouble());
        assertClose(
            "mean_predicted of bin " + pt.bin(),
            pt.meanPredicted(),
            cal.get("mean_predicted").get(k).asDouble());
        assertClose(
            "fraction_positive of bin " + pt.bin(),
            pt.fractionPositive(),
            cal.get("fraction_positive").get(k).asDouble());
      }
    }
  }

  private static void checkRegression(JsonNode c) {
    RegressionMetrics m =
        new RegressionMetrics(doubles(c.get("truth")), doubles(c.get("predicted")));
    checkMetrics(Task.REGRESSION, c.get("expected"), m::value, m.all());
  }

  private static void checkMetrics(
      Task task,
      JsonNode expected,
      java.util.function.ToDoubleFunction<Metric> value,
      Map<String, Double> all) {
    Set<String> defined = new LinkedHashSet<>();
    for (Metric metric : Metric.values()) {
      if (metric.task() != task) {
        continue;
      }
      JsonNode e = expected.get(metric.specName());
      assertThat(e).as("the fixture has %s", metric.specName()).isNotNull();
      double actual = value.applyAsDouble(metric);
      if (e.isNull()) {
        assertThat(actual).as("%s is undefined here", metric.specName()).isNaN();
      } else {
        defined.add(metric.specName());
        assertClose(metric.specName(), actual, e.asDouble());
      }
    }
    assertThat(all.keySet()).as("the metrics all() reports").containsExactlyElementsOf(defined);
  }

  private static void assertClose(String what, double actual, double expected) {
    double allowed = TOLERANCE * Math.max(1.0, Math.abs(expected));
    assertThat(Math.abs(actual - expected))
        .as("%s: flywheel %s, scikit-learn %s", what, actual, expected)
        .isLessThanOrEqualTo(allowed);
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }
}
