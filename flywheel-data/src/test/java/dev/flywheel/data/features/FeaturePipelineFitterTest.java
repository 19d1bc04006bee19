package dev.flywheel.data.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.FeaturesSpec;
import dev.flywheel.core.spec.SplitSpec;
import dev.flywheel.data.collect.CsvSource;
import dev.flywheel.data.split.HashSplitter;
import dev.flywheel.testkit.LoanData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturePipelineFitterTest {

  private static final FeaturesSpec MEAN = new FeaturesSpec("mean", "most_frequent", "one_hot");

  private static Frame numbers(double... x) {
    return new Frame(List.of(new NumericColumn("x", x)));
  }

  private static Frame categories(String... c) {
    return new Frame(List.of(new CategoricalColumn("c", c)));
  }

  private static InputFeature.Numeric numeric(Frame f, FeaturesSpec spec) {
    return (InputFeature.Numeric) FeaturePipelineFitter.fit(f, List.of("x"), spec).inputs().get(0);
  }

  private static InputFeature.Categorical categorical(Frame f) {
    return (InputFeature.Categorical)
        FeaturePipelineFitter.fit(f, List.of("c"), FeaturesSpec.DEFAULT).inputs().get(0);
  }

  @Test
  void fillsNumbersWithTheMedianOfAnOddCount() {
    assertThat(numeric(numbers(7, 1, 3), FeaturesSpec.DEFAULT).fill()).isEqualTo(3.0);
  }

  @Test
  void fillsNumbersWithTheMeanOfTheMiddleTwoForAnEvenCount() {
    assertThat(numeric(numbers(10, 1, 4, 2), FeaturesSpec.DEFAULT).fill()).isEqualTo(3.0);
    assertThat(FeaturePipelineFitter.median(new double[] {1, 2})).isEqualTo(1.5);
  }

  @Test
  void ignoresMissingValuesWhenFitting() {
    Frame f = numbers(Double.NaN, 5, Double.NaN, 1, 3, Double.NaN);

    assertThat(numeric(f, FeaturesSpec.DEFAULT).fill()).isEqualTo(3.0);
    assertThat(numeric(f, MEAN).fill()).isEqualTo(3.0);
  }

  @Test
  void fillsNumbersWithTheMeanWhenAsked() {
    assertThat(numeric(numbers(1, 2, 3, 10), MEAN).fill()).isEqualTo(4.0);
  }

  @Test
  void fillsAnAllMissingNumericColumnWithZero() {
    assertThat(numeric(numbers(Double.NaN, Double.NaN), FeaturesSpec.DEFAULT).fill()).isZero();
  }

  @Test
  void fillsCategoriesWithTheMostFrequent() {
    InputFeature.Categorical c = categorical(categories("b", "a", "b", null, null, null, "c"));

    assertThat(c.fill()).as("null is not a category").isEqualTo("b");
    assertThat(c.categories()).containsExactly("a", "b", "c");
  }

  @Test
  void breaksModeTiesAlphabetically() {
    assertThat(categorical(categories("pear", "fig", "pear", "fig", "kiwi")).fill())
        .isEqualTo("fig");
    assertThat(categorical(categories("b", "B", "a")).fill()).isEqualTo("B");
  }

  @Test
  void keepsTheHundredMostFrequentCategoriesInSortedOrder() {
    // Category k (k = 1..150) appears k times: the 100 kept are k = 51..150.
    List<String> values = new ArrayList<>();
    for (int k = 1; k <= 150; k++) {
      for (int i = 0; i < k; i++) {
        values.add(String.format("k%03d", k));
      }
    }
    InputFeature.Categorical c = categorical(categories(values.toArray(String[]::new)));

    assertThat(c.categories()).hasSize(FeaturePipelineFitter.MAX_CATEGORIES).isSorted();
    assertThat(c.categories().get(0)).isEqualTo("k051");
    assertThat(c.categories()).doesNotContain("k050").contains("k150");
    assertThat(c.fill()).isEqualTo("k150");
  }

  @Test
  void breaksTiesAtTheCategoryCapAlphabetically() {
    String[] values = new String[101];
    for (int i = 0; i < values.length; i++) {
      values[i] = String.format("c%03d", 100 - i);
    }
    InputFeature.Categorical c = categorical(categories(values));

    assertThat(c.categories()).hasSize(100).startsWith("c000").endsWith("c099");
    assertThat(c.fill()).isEqualTo("c000");
  }

  @Test
  void encodesADroppedRareCategoryAsAllZeros() {
    List<String> values = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      values.add("common" + k);
      values.add("common" + k);
    }
    values.add("rare");
    FeaturePipeline p =
        FeaturePipelineFitter.fit(
            categories(values.toArray(String[]::new)), List.of("c"), FeaturesSpec.DEFAULT);

    assertThat(p.width()).isEqualTo(100);
    assertThat(p.transform(Map.of("c", "rare"))).containsOnly(0.0);
    assertThat(p.transform(Map.of("c", "common7"))).containsOnlyOnce(1.0);
  }

  @Test
  void keepsTheFeatureOrderOfTheSignature() {
    Frame f =
        new Frame(
            List.of(
                new NumericColumn("b", new double[] {1, 2}),
                new CategoricalColumn("a", new String[] {"x", "y"}),
                new NumericColumn("target", new double[] {0, 1})));

    FeaturePipeline p = FeaturePipelineFitter.fit(f, List.of("a", "b"), FeaturesSpec.DEFAULT);

    assertThat(p.outputNames()).containsExactly("a=x", "a=y", "b");
  }

  @Test
  void fitsOnTheTrainingSplitAloneSoValidationAndTestValuesDoNotLeak(@TempDir Path dir) {
    Path csv = LoanData.writeCsv(dir.resolve("loans.csv"), 3_000, 21, 0.0);
    Frame full = new CsvSource(csv).read(Map.of("default", ColumnType.CATEGORICAL));
    HashSplitter.Splits splits = HashSplitter.split(full, SplitSpec.DEFAULT);
    // Poison every row outside train with extreme numbers and a category train never has.
    double[] income = ((NumericColumn) full.column("income")).values().clone();
    String[] plan = ((CategoricalColumn) full.column("plan")).values().clone();
    for (int[] held : List.of(splits.validation(), splits.test())) {
      for (int i : held) {
        income[i] = 1e12;
        plan[i] = "leaked";
      }
    }
    Frame poisoned =
        new Frame(
            List.of(
                new NumericColumn("income", income),
                new CategoricalColumn("plan", plan),
                full.column("region"),
                full.column("default")));
    Frame train = poisoned.take(splits.train());
    List<String> features = List.of("income", "plan", "region");

    FeaturePipeline p = FeaturePipelineFitter.fit(train, features, FeaturesSpec.DEFAULT);

    double[] trainIncome =
        Arrays.stream(splits.train())
            .mapToDouble(i -> ((NumericColumn) full.column("income")).get(i))
            .filter(v -> !Double.isNaN(v))
            .sorted()
            .toArray();
    InputFeature.Numeric fittedIncome = (InputFeature.Numeric) p.inputs().get(0);
    InputFeature.Categorical fittedPlan = (InputFeature.Categorical) p.inputs().get(1);
    assertThat(fittedIncome.fill()).isEqualTo(FeaturePipelineFitter.median(trainIncome));
    assertThat(fittedIncome.fill()).isLessThan(1e6);
    assertThat(fittedPlan.categories()).containsExactly("basic", "plus", "pro");
    assertThat(p.outputNames()).noneMatch(n -> n.contains("leaked"));
    // The same fit on the poisoned full frame would have seen them: the test can tell.
    FeaturePipeline leaky = FeaturePipelineFitter.fit(poisoned, features, FeaturesSpec.DEFAULT);
    assertThat(leaky.outputNames()).contains("plan=leaked");
  }

  @Test
  void imputesAMissingCategoryWithTheTrainingMode() {
    Frame train = categories("a", "a", "b");
    Map<String, Object> row = new HashMap<>();
    row.put("c", null);

    FeaturePipeline p = FeaturePipelineFitter.fit(train, List.of("c"), FeaturesSpec.DEFAULT);

    assertThat(p.transform(row)).containsExactly(1, 0);
  }
}
