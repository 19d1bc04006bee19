package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.ml.metrics.CalibrationCurve;
import dev.flywheel.ml.metrics.ConfusionMatrix;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code selected.test_details} of a real run: the confusion matrix and calibration curve of the
 * selected model on the test split, consistent with its test metrics and recorded with the run.
 */
class TestDetailsTest {

  @TempDir Path dir;

  private Workdir workdir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() {
    workdir = Workdir.open(dir.resolve("work"));
  }

  @AfterEach
  void close() {
    workdir.close();
  }

  private RunResult run(String yaml) throws IOException {
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    return new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
        .run(SpecParser.parse(spec));
  }

  private static int trace(int[][] counts) {
    int t = 0;
    for (int i = 0; i < counts.length; i++) {
      t += counts[i][i];
    }
    return t;
  }

  @Test
  void aBinaryRunReportsTheConfusionMatrixAndCalibrationOfItsTestSplit() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 800, 12, 0);
    RunResult result =
        run(
            """
            name: loans
            task: classification
            target: default
            source: {csv: loans.csv}
            candidates: [{algorithm: linear}]
            """);

    int testRows = result.dataset().splits().get("test");
    RunResult.TestDetails details = result.selected().testDetails();
    ConfusionMatrix cm = details.confusionMatrix();
    assertThat(cm.labels()).containsExactly("0", "1");
    assertThat(cm.total()).isEqualTo(testRows);
    // The matrix and the scores come from the same predicted classes.
    int[][] c = cm.counts();
    assertThat(result.selected().test().get("accuracy"))
        .isCloseTo((double) trace(c) / testRows, within(1e-12));
    assertThat(result.selected().test().get("recall"))
        .isCloseTo((double) c[1][1] / (c[1][0] + c[1][1]), within(1e-12));

    CalibrationCurve curve = details.calibration();
    assertThat(curve.strategy()).isEqualTo("uniform");
    assertThat(curve.bins()).isEqualTo(10);
    assertThat(curve.points()).isNotEmpty();
    assertThat(curve.points().stream().mapToInt(CalibrationCurve.Point::count).sum())
        .isEqualTo(testRows);
    int positives = c[1][0] + c[1][1];
    double positivesFromCurve =
        curve.points().stream().mapToDouble(p -> p.fractionPositive() * p.count()).sum();
    assertThat(positivesFromCurve).isCloseTo(positives, within(1e-9));
    for (CalibrationCurve.Point p : curve.points()) {
      assertThat(p.meanPredicted()).isBetween(p.lower(), p.upper());
    }

    // The JSON of `flywheel run --json`, and the stored run record, carry the same details.
    JsonNode json = Json.mapper().readTree(result.toJson()).get("selected").get("test_details");
    assertThat(json.get("confusion_matrix").get("labels").toString()).isEqualTo("[\"0\",\"1\"]");
    assertThat(json.get("confusion_matrix").get("counts").get(1).get(1).asInt()).isEqualTo(c[1][1]);
    assertThat(json.get("calibration").get("points").get(0).has("mean_predicted")).isTrue();
    assertThat(json.get("calibration").get("points").get(0).has("fraction_positive")).isTrue();
    String stored = workdir.metadata().run(result.runId()).orElseThrow().resultJson();
    assertThat(RunResult.fromJson(stored).selected().testDetails()).isEqualTo(details);
  }

  @Test
  void aMultiClassRunHasAFullConfusionMatrixAndNoCalibrationCurve() throws IOException {
    StringBuilder csv = new StringBuilder("x,y,kind\n");
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 600; i++) {
      int kind = r.nextInt(3);
      csv.append(kind * 2 + r.nextDouble() * 1.5)
          .append(',')
          .append(r.nextDouble())
          .append(',')
          .append(new String[] {"a", "b", "c"}[kind])
          .append('\n');
    }
    Files.writeString(dir.resolve("kinds.csv"), csv);
    RunResult result =
        run(
            """
            name: kinds
            task: classification
            target: kind
            source: {csv: kinds.csv}
            candidates: [{algorithm: linear}]
            """);

    RunResult.TestDetails details = result.selected().testDetails();
    assertThat(details.confusionMatrix().labels()).containsExactly("a", "b", "c");
    assertThat(details.confusionMatrix().counts()).hasDimensions(3, 3);
    assertThat(details.confusionMatrix().total()).isEqualTo(result.dataset().splits().get("test"));
    assertThat(details.calibration()).isNull();
    JsonNode json = Json.mapper().readTree(result.toJson()).get("selected").get("test_details");
    assertThat(json.has("confusion_matrix")).isTrue();
    assertThat(json.has("calibration")).isFalse();
  }

  @Test
  void aRegressionRunHasNoTestDetails() throws IOException {
    StringBuilder csv = new StringBuilder("x,y\n");
    SplittableRandom r = new SplittableRandom(9);
    for (int i = 0; i < 400; i++) {
      double x = r.nextDouble() * 10;
      csv.append(x).append(',').append(3 * x + r.nextDouble()).append('\n');
    }
    Files.writeString(dir.resolve("line.csv"), csv);
    RunResult result =
        run(
            """
            name: line
            task: regression
            target: y
            source: {csv: line.csv}
            candidates: [{algorithm: linear}]
            """);

    assertThat(result.selected().testDetails()).isNull();
    assertThat(Json.mapper().readTree(result.toJson()).get("selected").has("test_details"))
        .isFalse();
  }
}
