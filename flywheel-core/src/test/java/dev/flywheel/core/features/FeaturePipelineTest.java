package dev.flywheel.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class FeaturePipelineTest {

  private static final FeaturePipeline PIPELINE =
      new FeaturePipeline(
          List.of(
              new InputFeature.Numeric("age", 40.0),
              new InputFeature.Categorical("plan", "basic", List.of("basic", "plus", "pro")),
              new InputFeature.Numeric("income", 52_000.5),
              new InputFeature.Categorical("region", "north", List.of("north", "south"))));

  @Test
  void namesOutputsInVectorOrder() {
    assertThat(PIPELINE.outputNames())
        .containsExactly(
            "age", "plan=basic", "plan=plus", "plan=pro", "income", "region=north", "region=south");
    assertThat(PIPELINE.width()).isEqualTo(7);
  }

  @Test
  void encodesKnownValuesAsNumbersAndOneHot() {
    double[] v =
        PIPELINE.transform(Map.of("age", 31, "plan", "pro", "income", 1.5e5, "region", "south"));

    assertThat(v).containsExactly(31, 0, 0, 1, 150_000, 0, 1);
  }

  @Test
  void encodesAnUnseenCategoryAsAllZeros() {
    double[] v =
        PIPELINE.transform(
            Map.of("age", 31, "plan", "enterprise", "income", 1.0, "region", "mars"));

    assertThat(v).containsExactly(31, 0, 0, 0, 1, 0, 0);
  }

  @Test
  void imputesNullAndNaNWithTheFittedFill() {
    Map<String, Object> row = new HashMap<>();
    row.put("age", null);
    row.put("plan", null);
    row.put("income", Double.NaN);
    row.put("region", null);

    assertThat(PIPELINE.transform(row)).containsExactly(40, 1, 0, 0, 52_000.5, 1, 0);
  }

  @Test
  void treatsAnAbsentKeyAsMissing() {
    assertThat(PIPELINE.transform(Map.of())).containsExactly(40, 1, 0, 0, 52_000.5, 1, 0);
  }

  @Test
  void acceptsAnyNumberTypeForNumericFeatures() {
    assertThat(PIPELINE.transform(Map.of("age", 31L, "income", 2.5f))).startsWith(31).contains(2.5);
  }

  @Test
  void transformsAFrameRowByRow() {
    Frame f =
        new Frame(
            List.of(
                new NumericColumn("age", new double[] {20, Double.NaN}),
                new CategoricalColumn("plan", new String[] {"plus", null}),
                new NumericColumn("income", new double[] {Double.NaN, 7}),
                new CategoricalColumn("region", new String[] {"west", "south"}),
                new NumericColumn("ignored", new double[] {9, 9})));

    double[][] x = PIPELINE.transform(f);

    assertThat(x[0]).containsExactly(20, 0, 1, 0, 52_000.5, 0, 0);
    assertThat(x[1]).containsExactly(40, 1, 0, 0, 7, 0, 1);
  }

  /**
   * The batch path (training, evaluation) and the per-row path (serving) must give identical
   * vectors for the same raw values: any difference is training/serving skew.
   */
  @RepeatedTest(20)
  void batchAndPerRowPathsGiveIdenticalVectorsForRandomRows(RepetitionInfo info) {
    SplittableRandom r = new SplittableRandom(1_000 + info.getCurrentRepetition());
    String[] pool = {"basic", "plus", "pro", "enterprise", "", "BASIC", "north", "south", "x y"};
    int rows = 1 + r.nextInt(300);
    double[] age = new double[rows];
    double[] income = new double[rows];
    String[] plan = new String[rows];
    String[] region = new String[rows];
    for (int i = 0; i < rows; i++) {
      age[i] = randomNumber(r);
      income[i] = randomNumber(r);
      plan[i] = r.nextInt(6) == 0 ? null : pool[r.nextInt(pool.length)];
      region[i] = r.nextInt(6) == 0 ? null : pool[r.nextInt(pool.length)];
    }
    Frame frame =
        new Frame(
            List.of(
                new CategoricalColumn("region", region),
                new NumericColumn("income", income),
                new NumericColumn("age", age),
                new CategoricalColumn("plan", plan)));

    double[][] batch = PIPELINE.transform(frame);

    assertThat(batch).hasNumberOfRows(rows);
    for (int i = 0; i < rows; i++) {
      Map<String, Object> row = new HashMap<>();
      row.put("age", Double.isNaN(age[i]) && r.nextBoolean() ? null : age[i]);
      row.put("income", Double.isNaN(income[i]) && r.nextBoolean() ? null : income[i]);
      row.put("plan", plan[i]);
      row.put("region", region[i]);
      double[] single = PIPELINE.transform(row);
      assertThat(single).as("row %d: %s", i, row).containsExactly(batch[i]);
      assertThat(PIPELINE.transform(frame.row(i))).as("frame row %d", i).containsExactly(batch[i]);
      assertThat(single).doesNotContain(Double.NaN);
    }
  }

  private static double randomNumber(SplittableRandom r) {
    return switch (r.nextInt(5)) {
      case 0 -> Double.NaN;
      case 1 -> r.nextInt(-100, 100);
      case 2 -> (r.nextDouble() - 0.5) * 1e9;
      case 3 -> r.nextDouble() * 1e-6;
      default -> r.nextGaussian() * 50;
    };
  }
}
