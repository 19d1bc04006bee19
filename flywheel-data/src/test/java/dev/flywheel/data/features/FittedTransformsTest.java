package dev.flywheel.data.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.features.DatePart;
import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.features.NumericStep;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.FeaturesSpec;
import dev.flywheel.core.spec.SpecParser;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every fitted transform against values computed by hand, fitted through the spec as a user writes
 * it. Quantiles interpolate linearly: for sorted s of n values, q(p) = s[⌊h⌋] + (h − ⌊h⌋)(s[⌊h⌋+1]
 * − s[⌊h⌋]) with h = (n − 1)p.
 */
class FittedTransformsTest {

  private static FeaturesSpec features(String yaml) {
    String spec =
        "name: t\ntask: regression\ntarget: y\nsource: {csv: d.csv}\nfeatures:\n" + yaml.indent(2);
    return SpecParser.parse(spec, "flywheel.yaml", Path.of("/p")).features();
  }

  private static Frame frame(Column... columns) {
    return new Frame(List.of(columns));
  }

  private static InputFeature only(Frame f, String yaml) {
    return FeaturePipelineFitter.fit(f, List.of(f.columns().get(0).name()), features(yaml))
        .inputs()
        .get(0);
  }

  /** 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population sd 2, median 4.5, Q1 4, Q3 5.5. */
  private static final Frame CLASSIC =
      frame(new NumericColumn("x", new double[] {2, 4, 4, 4, 5, 5, 7, 9}));

  // ---- imputation ----

  @Test
  void imputesNumbersWithMedianMeanModeOrAConstant() {
    Frame f = frame(new NumericColumn("x", new double[] {1, 2, 2, 4, 100, Double.NaN}));

    assertThat(((InputFeature.Numeric) only(f, "{}")).fill()).isEqualTo(2.0);
    assertThat(((InputFeature.Numeric) only(f, "impute: {numeric: mean}")).fill())
        .isEqualTo(109 / 5.0);
    assertThat(((InputFeature.Numeric) only(f, "impute: {numeric: most_frequent}")).fill())
        .isEqualTo(2.0);
    assertThat(((InputFeature.Numeric) only(f, "impute: {numeric: {constant: -1}}")).fill())
        .isEqualTo(-1.0);
    assertThat(((InputFeature.Numeric) only(f, "columns: {x: {impute: {constant: 0}}}")).fill())
        .isZero();
    assertThat(((InputFeature.Numeric) only(f, "columns: {x: {impute: mode}}")).fill())
        .as("mode is most_frequent")
        .isEqualTo(2.0);
  }

  @Test
  void theModeOfNumbersBreaksTiesTowardsTheSmallest() {
    Frame f = frame(new NumericColumn("x", new double[] {9, 3, 9, 3, 1}));

    assertThat(((InputFeature.Numeric) only(f, "impute: {numeric: most_frequent}")).fill())
        .isEqualTo(3.0);
  }

  @Test
  void imputesCategoriesWithTheModeOrAConstantAndAddsMissingIndicators() {
    Frame f = frame(new CategoricalColumn("c", new String[] {"a", "b", "b", null}));

    InputFeature.Categorical mode = (InputFeature.Categorical) only(f, "missing_indicator: true");
    InputFeature.Categorical constant =
        (InputFeature.Categorical)
            only(f, "columns: {c: {impute: {constant: unknown}, missing_indicator: true}}");
    InputFeature.Categorical zero =
        (InputFeature.Categorical) only(f, "impute: {categorical: {constant: 0}}");

    assertThat(mode.fill()).isEqualTo("b");
    assertThat(constant.fill()).isEqualTo("unknown");
    assertThat(zero.fill()).as("a number constant is its text").isEqualTo("0");
    FeaturePipeline p = new FeaturePipeline(List.of(constant));
    Map<String, Object> missing = new HashMap<>();
    missing.put("c", null);
    assertThat(p.outputNames()).containsExactly("c=a", "c=b", "c=(missing)");
    assertThat(p.transform(missing)).containsExactly(0, 0, 1);
    assertThat(p.transform(Map.of("c", "a"))).containsExactly(1, 0, 0);
  }

  // ---- clipping ----

  @Test
  void clipsToQuantileBoundsOfTheImputedTrainingValues() {
    // Imputed with the median 3: sorted 1 2 3 3 4 100; q(.25): h 1.25 → 2.25; q(.75): h 3.75 →
    // 3.75.
    Frame f = frame(new NumericColumn("x", new double[] {1, 2, 3, 4, 100, Double.NaN}));

    InputFeature.Numeric n =
        (InputFeature.Numeric) only(f, "columns: {x: {clip: {quantiles: [0.25, 0.75]}}}");

    assertThat(n.steps()).containsExactly(new NumericStep.Clip(2.25, 3.75));
  }

  @Test
  void clipsToIqrBounds() {
    // Q1 4, Q3 5.5, IQR 1.5: [4 − 1.5·1.5, 5.5 + 1.5·1.5] = [1.75, 7.75].
    assertThat(((InputFeature.Numeric) only(CLASSIC, "clip: {iqr: 1.5}")).steps())
        .containsExactly(new NumericStep.Clip(1.75, 7.75));
    assertThat(((InputFeature.Numeric) only(CLASSIC, "clip: {iqr: 0}")).steps())
        .containsExactly(new NumericStep.Clip(4, 5.5));
  }

  // ---- scaling ----

  @Test
  void scalesStandardMinMaxAndRobust() {
    assertThat(((InputFeature.Numeric) only(CLASSIC, "scale: standard")).steps())
        .containsExactly(new NumericStep.Scale("standard", 5, 2));
    assertThat(((InputFeature.Numeric) only(CLASSIC, "scale: min_max")).steps())
        .containsExactly(new NumericStep.Scale("min_max", 2, 7));
    assertThat(((InputFeature.Numeric) only(CLASSIC, "scale: robust")).steps())
        .containsExactly(new NumericStep.Scale("robust", 4.5, 1.5));
    assertThat(
            ((InputFeature.Numeric) only(CLASSIC, "scale: robust\ncolumns: {x: {scale: none}}"))
                .steps())
        .as("a column can opt out of a default")
        .isEmpty();
  }

  @Test
  void scalesAConstantColumnByOneSoItStaysFinite() {
    Frame f = frame(new NumericColumn("x", new double[] {3, 3, 3}));

    assertThat(((InputFeature.Numeric) only(f, "scale: standard")).steps())
        .containsExactly(new NumericStep.Scale("standard", 3, 1));
  }

  @Test
  void standardisedTrainingValuesHaveMeanZeroAndUnitVariance() {
    FeaturePipeline p =
        FeaturePipelineFitter.fit(CLASSIC, List.of("x"), features("scale: standard"));
    double[][] x = p.transform(CLASSIC);
    double sum = 0;
    double squares = 0;
    for (double[] row : x) {
      sum += row[0];
      squares += row[0] * row[0];
    }
    assertThat(sum / x.length).isCloseTo(0, within(1e-12));
    assertThat(squares / x.length).isCloseTo(1, within(1e-12));
    assertThat(x[0][0]).isEqualTo(-1.5); // (2 − 5) / 2
  }

  // ---- binning ----

  @Test
  void binsAtQuantilesOrUniformWidths() {
    // Quantile edges q(.25) = 4, q(.5) = 4.5, q(.75) = 5.5; uniform: 2 + 7i/4.
    assertThat(((InputFeature.Numeric) only(CLASSIC, "bin: {bins: 4}")).steps())
        .containsExactly(new NumericStep.Bin(List.of(4.0, 4.5, 5.5)));
    assertThat(((InputFeature.Numeric) only(CLASSIC, "bin: {bins: 4, method: uniform}")).steps())
        .containsExactly(new NumericStep.Bin(List.of(3.75, 5.5, 7.25)));
  }

  @Test
  void mergesEqualQuantileEdges() {
    Frame f = frame(new NumericColumn("x", new double[] {1, 1, 1, 1, 1, 2}));

    assertThat(((InputFeature.Numeric) only(f, "bin: {bins: 3}")).steps())
        .containsExactly(new NumericStep.Bin(List.of(1.0)));
  }

  @Test
  void chainsImputeClipBinAndScaleEachFittedOnWhatReachesIt() {
    // Clip: q(0) = 2, q(0.9): h 6.3 → 7 + .3·2 = 7.6; clipped 2 4 4 4 5 5 7 7.6. Two quantile
    // bins: the edge is the median 4.5, so 0 0 0 0 1 1 1 1. Standard scaling: mean .5, sd .5.
    InputFeature.Numeric n =
        (InputFeature.Numeric)
            only(
                CLASSIC,
                "columns: {x: {clip: {quantiles: [0, 0.9]}, bin: {bins: 2}, scale: standard,"
                    + " missing_indicator: true}}");

    assertThat(n.steps())
        .containsExactly(
            new NumericStep.Clip(2, 7.6),
            new NumericStep.Bin(List.of(4.5)),
            new NumericStep.Scale("standard", 0.5, 0.5));
    FeaturePipeline p = new FeaturePipeline(List.of(n));
    Map<String, Object> missing = new HashMap<>();
    missing.put("x", null);
    assertThat(p.transform(Map.of("x", 100))).containsExactly(1, 0);
    assertThat(p.transform(missing)).as("fill 4.5 → bin 1 → 1").containsExactly(1, 1);
    assertThat(p.transform(Map.of("x", -100))).containsExactly(-1, 0);
  }

  // ---- encoding ----

  private static final Frame PLANS =
      frame(new CategoricalColumn("c", new String[] {"a", "b", "b", "c", "c", "c", null, "d"}));

  @Test
  void oneHotKeepsTheMostFrequentUpToTheCapWithAnOtherBucket() {
    InputFeature.Categorical c =
        (InputFeature.Categorical)
            only(PLANS, "columns: {c: {encode: {one_hot: {max_categories: 2, other: true}}}}");
    FeaturePipeline p = new FeaturePipeline(List.of(c));

    assertThat(c.categories()).containsExactly("b", "c");
    assertThat(p.outputNames()).containsExactly("c=b", "c=c", "c=(other)");
    assertThat(p.transform(Map.of("c", "a"))).containsExactly(0, 0, 1);
    assertThat(p.transform(Map.of("c", "never seen"))).containsExactly(0, 0, 1);
    assertThat(p.transform(Map.of("c", "b"))).containsExactly(1, 0, 0);
  }

  @Test
  void defaultOneHotMatchesTheFormatOneEncoder() {
    InputFeature.Categorical c = (InputFeature.Categorical) only(PLANS, "encode: one_hot");

    assertThat(c).isEqualTo(new InputFeature.Categorical("c", "c", List.of("a", "b", "c", "d")));
  }

  @Test
  void ordinalUsesTextOrderOrTheGivenOrder() {
    InputFeature.Categorical sorted = (InputFeature.Categorical) only(PLANS, "encode: ordinal");
    InputFeature.Categorical given =
        (InputFeature.Categorical) only(PLANS, "encode: {ordinal: {order: [d, c, b]}}");

    assertThat(sorted.categories()).containsExactly("a", "b", "c", "d");
    assertThat(new FeaturePipeline(List.of(given)).transform(Map.of("c", "c"))).containsExactly(1);
    assertThat(new FeaturePipeline(List.of(given)).transform(Map.of("c", "a")))
        .as("not in the order")
        .containsExactly(-1);
  }

  @Test
  void frequencyIsTheShareOfImputedTrainingRows() {
    // The null is imputed to c: a 1, b 2, c 4, d 1 of 8.
    InputFeature.Categorical c = (InputFeature.Categorical) only(PLANS, "encode: frequency");

    assertThat(c.categories()).containsExactly("a", "b", "c", "d");
    assertThat(c.shares()).containsExactly(0.125, 0.25, 0.5, 0.125);
    FeaturePipeline p = new FeaturePipeline(List.of(c));
    assertThat(p.transform(Map.of("c", "c"))).containsExactly(0.5);
    assertThat(p.transform(Map.of("c", "zz"))).containsExactly(0);
  }

  // ---- dates ----

  @Test
  void takesDatePartsWithMedianFillsOfTheParsedTrainingValues() {
    Frame f =
        frame(
            new CategoricalColumn(
                "signup",
                new String[] {"2026-01-15", "2026-03-20T12:00:00", null, "garbage", "2024-07-01"}));

    InputFeature.Date d =
        (InputFeature.Date)
            only(
                f, "columns: {signup: {date_parts: [year, month, hour], missing_indicator: true}}");

    assertThat(d.parts()).containsExactly(DatePart.YEAR, DatePart.MONTH, DatePart.HOUR);
    // years 2026 2026 2024 → 2026; months 1 3 7 → 3; hours 0 12 0 → 0.
    assertThat(d.fills()).containsExactly(2026.0, 3.0, 0.0);
    FeaturePipeline p = new FeaturePipeline(List.of(d));
    assertThat(p.transform(Map.of("signup", "garbage"))).containsExactly(2026, 3, 0, 1);
    assertThat(p.transform(Map.of("signup", "2025-12-24T18:30:00Z")))
        .containsExactly(2025, 12, 18, 0);
  }

  // ---- derived features ----

  @Test
  void derivesFeaturesFromRawValuesAndFitsThemLikeNumbers() {
    Frame f =
        frame(
            new NumericColumn("income", new double[] {100, 200, Double.NaN, 90}),
            new NumericColumn("household", new double[] {2, 0, 1, 3}),
            new CategoricalColumn("country", new String[] {"US", "FR", "US", null}));

    FeaturePipeline p =
        FeaturePipelineFitter.fit(
            f,
            List.of("income", "household", "country"),
            features(
                """
                derive:
                  per_person: "income / max(household, 1)"
                  us_rich: "country == 'US' and per_person > 40"
                columns: {per_person: {missing_indicator: true}}
                """));

    // per_person: 50, 200, missing, 30 → median 50. us_rich: true, false, missing (US and a
    // missing per_person), false (missing country and 30 > 40 is false) → median of 1 0 0 = 0.
    // income's fill is the median of 100 200 90 = 100.
    InputFeature.Derived perPerson = (InputFeature.Derived) p.inputs().get(3);
    InputFeature.Derived usRich = (InputFeature.Derived) p.inputs().get(4);
    assertThat(perPerson.fill()).isEqualTo(50.0);
    assertThat(usRich.fill()).isZero();
    assertThat(p.outputNames())
        .containsExactly(
            "income",
            "household",
            "country=FR",
            "country=US",
            "per_person",
            "per_person=(missing)",
            "us_rich");
    double[][] x = p.transform(f);
    assertThat(x[0]).containsExactly(100, 2, 0, 1, 50, 0, 1);
    assertThat(x[2]).containsExactly(100, 1, 0, 1, 50, 1, 0);
    assertThat(x[3])
        .as("country imputed to US for its one-hot, raw for us_rich")
        .containsExactly(90, 3, 0, 1, 30, 0, 0);
  }

  // ---- errors ----

  @Test
  void namesTheSpecLineAndSuggestsAColumnForAnUnknownOverride() {
    Frame f =
        frame(
            new NumericColumn("age", new double[] {1, 2}),
            new NumericColumn("y", new double[] {1, 2}));

    assertThatThrownBy(
            () ->
                FeaturePipelineFitter.fit(
                    f, List.of("age"), features("columns:\n  agee: {scale: robust}")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("flywheel.yaml:7 (features.columns.agee)")
        .hasMessageContaining("not a column of the data (did you mean 'age'?)")
        .hasMessageContaining("the input columns are age");
    assertThatThrownBy(
            () ->
                FeaturePipelineFitter.fit(
                    f, List.of("age"), features("columns:\n  y: {scale: robust}")))
        .hasMessageContaining("'y', which is not an input feature (it is the target)");
  }

  @Test
  void refusesTransformsThatTheColumnsTypeCannotTake() {
    Frame f =
        frame(
            new NumericColumn("age", new double[] {1, 2}),
            new CategoricalColumn("plan", new String[] {"a", "2026-01-01"}));

    assertThatThrownBy(
            () ->
                FeaturePipelineFitter.fit(
                    f, List.of("age", "plan"), features("columns: {plan: {scale: standard}}")))
        .hasMessageContaining("'plan' is a category column, which takes no clip, scale or bin");
    assertThatThrownBy(
            () ->
                FeaturePipelineFitter.fit(
                    f, List.of("age", "plan"), features("columns: {age: {encode: ordinal}}")))
        .hasMessageContaining("'age' is a number column, which takes no encode");
    assertThatThrownBy(
            () ->
                FeaturePipelineFitter.fit(
                    f, List.of("age", "plan"), features("columns: {age: {date_parts: [year]}}")))
        .hasMessageContaining("date_parts needs a column of ISO-8601 date text")
        .hasMessageContaining("'age' holds numbers");
    assertThatThrownBy(
            () ->
                FeaturePipelineFitter.fit(
                    f,
                    List.of("age", "plan"),
                    features("columns: {plan: {date_parts: [year], scale: robust}}")))
        .hasMessageContaining("'plan' is a date column");
    assertThatThrownBy(
            () ->
                FeaturePipelineFitter.fit(
                    f, List.of("age", "plan"), features("columns: {plan: {impute: median}}")))
        .hasMessageContaining("'plan' is a category column, which has no median");
    assertThatThrownBy(
            () ->
                FeaturePipelineFitter.fit(
                    f,
                    List.of("age", "plan"),
                    features("columns: {age: {impute: {constant: none}}}")))
        .hasMessageContaining(
            "'age' is a number column, so impute {constant: none} needs a number");
  }

  @Test
  void refusesDatePartsWhenNoTrainingValueParses() {
    Frame f = frame(new CategoricalColumn("d", new String[] {"26/11/2026", null}));

    assertThatThrownBy(() -> only(f, "columns: {d: {date_parts: [year]}}"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("flywheel.yaml:")
        .hasMessageContaining("no value in the training split parses, e.g. '26/11/2026'");
  }

  @Test
  void refusesDerivedFeaturesThatReadTheTargetCollideOrDoNotFit() {
    Frame f =
        frame(
            new NumericColumn("a", new double[] {1, 2}),
            new CategoricalColumn("c", new String[] {"x", "y"}),
            new NumericColumn("y", new double[] {1, 2}));
    List<String> in = List.of("a", "c");

    assertThatThrownBy(() -> FeaturePipelineFitter.fit(f, in, features("derive: {d: \"a + y\"}")))
        .hasMessageContaining("flywheel.yaml:6 (features.derive.d)")
        .hasMessageContaining("reads 'y', the target, which is unknown when the model serves");
    assertThatThrownBy(
            () -> FeaturePipelineFitter.fit(f, in, features("derive: {a: \"c == 'x'\"}")))
        .hasMessageContaining("derived feature 'a' has the name of a column");
    assertThatThrownBy(() -> FeaturePipelineFitter.fit(f, in, features("derive: {d: \"a + c\"}")))
        .hasMessageContaining(
            "derived feature 'd': expression 'a + c' at column 5: '+' needs a number");
    assertThatThrownBy(() -> FeaturePipelineFitter.fit(f, in, features("derive: {d: \"c\"}")))
        .hasMessageContaining("'d' gives text");
    assertThatThrownBy(
            () ->
                FeaturePipelineFitter.fit(
                    f, in, features("derive: {d1: \"d2 * 2\", d2: \"a + 1\"}")))
        .hasMessageContaining("reads 'd2', a derived feature listed after it");
    assertThatThrownBy(() -> FeaturePipelineFitter.fit(f, in, features("derive: {d: \"b * 2\"}")))
        .hasMessageContaining("unknown column 'b'")
        .hasMessageContaining("(did you mean 'a'?)");
  }
}
