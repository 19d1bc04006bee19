package dev.flywheel.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.features.DatePart;
import dev.flywheel.core.features.InputFeature.Encoding;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code features:} and {@code clean.filter}: every key, its defaults, and located errors. */
class FeaturesSpecParserTest {

  private static final String HEAD =
      """
      name: churn
      task: classification
      target: churned
      source: {csv: churn.csv}
      """;

  private static PipelineSpec parse(String tail) {
    return SpecParser.parse(HEAD + tail, "flywheel.yaml", Path.of("/p"));
  }

  private static String problems(String tail) {
    try {
      parse(tail);
    } catch (BadInputException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the spec to be refused:\n" + tail);
  }

  @Test
  void theFormatOneShapeKeepsItsMeaningAndDefaults() {
    FeaturesSpec legacy =
        parse(
                "features: {impute: {numeric: median, categorical: most_frequent}, encode: one_hot}\n")
            .features();

    assertThat(legacy).isEqualTo(FeaturesSpec.DEFAULT);
    assertThat(parse("").features()).isEqualTo(FeaturesSpec.DEFAULT);
    FeaturesSpec.Transform t = legacy.forColumn("anything");
    assertThat(t.scale()).isEqualTo("none");
    assertThat(t.clip()).isEqualTo(new FeaturesSpec.Clip.None());
    assertThat(t.bin()).isEqualTo(FeaturesSpec.Bin.NONE);
    assertThat(t.missingIndicator()).isFalse();
    assertThat(t.encode())
        .isEqualTo(new FeaturesSpec.Encode(Encoding.ONE_HOT, 100, false, List.of()));
    assertThat(t.dateParts()).isNull();
  }

  @Test
  void readsDefaultsOverridesAndDerivedFeatures() {
    PipelineSpec spec =
        parse(
            """
            features:
              impute: {numeric: mean, categorical: {constant: unknown}}
              encode: frequency
              scale: standard
              missing_indicator: true
              clip: {iqr: 3}
              columns:
                age: {impute: {constant: 0}, missing_indicator: false, clip: {quantiles: [0.01, 0.99]}, scale: robust, bin: {bins: 5, method: quantile}}
                plan: {encode: {one_hot: {max_categories: 10, other: true}}}
                size: {encode: {ordinal: {order: [S, M, L]}}}
                signup: {date_parts: [year, month, day_of_week]}
                income: {scale: none, clip: none}
              derive: {income_per_person: "income / max(household, 1)", rich: "income > 1e5"}
            clean:
              filter: ["age >= 18", "country == 'US'"]
            """);
    FeaturesSpec f = spec.features();

    assertThat(f.numericImpute()).isEqualTo(FeaturesSpec.Impute.of("mean"));
    assertThat(f.categoricalImpute()).isEqualTo(FeaturesSpec.Impute.constant("unknown"));
    FeaturesSpec.Transform age = f.forColumn("age");
    assertThat(age.impute()).isEqualTo(FeaturesSpec.Impute.constant(0.0));
    assertThat(age.missingIndicator()).isFalse();
    assertThat(age.clip()).isEqualTo(new FeaturesSpec.Clip.Quantiles(0.01, 0.99));
    assertThat(age.scale()).isEqualTo("robust");
    assertThat(age.bin()).isEqualTo(new FeaturesSpec.Bin(5, "quantile"));
    assertThat(age.where()).isEqualTo("flywheel.yaml:12 (features.columns.age)");
    assertThat(f.forColumn("plan").encode())
        .isEqualTo(new FeaturesSpec.Encode(Encoding.ONE_HOT, 10, true, List.of()));
    assertThat(f.forColumn("plan").missingIndicator()).as("inherited").isTrue();
    assertThat(f.forColumn("plan").clip()).as("inherited").isEqualTo(new FeaturesSpec.Clip.Iqr(3));
    assertThat(f.forColumn("size").encode().order()).containsExactly("S", "M", "L");
    assertThat(f.forColumn("signup").dateParts())
        .containsExactly(DatePart.YEAR, DatePart.MONTH, DatePart.DAY_OF_WEEK);
    assertThat(f.forColumn("income").scale()).isEqualTo("none");
    assertThat(f.forColumn("income").clip()).isEqualTo(new FeaturesSpec.Clip.None());
    assertThat(f.forColumn("other").encode().method()).isEqualTo(Encoding.FREQUENCY);
    assertThat(f.forColumn("other").scale()).isEqualTo("standard");
    assertThat(f.derive()).containsOnlyKeys("income_per_person", "rich");
    assertThat(f.derive().get("income_per_person"))
        .isEqualTo(
            new FeaturesSpec.Derive(
                "income / max(household, 1)",
                "flywheel.yaml:17 (features.derive.income_per_person)"));
    assertThat(spec.filters())
        .containsExactly(
            new RowFilter("age >= 18", "flywheel.yaml:19 (clean.filter[0])"),
            new RowFilter("country == 'US'", "flywheel.yaml:19 (clean.filter[1])"));
  }

  @Test
  void aSingleFilterMayBeWrittenAsText() {
    assertThat(parse("clean: {filter: \"age >= 18\"}\n").filters())
        .containsExactly(new RowFilter("age >= 18", "flywheel.yaml:5 (clean.filter)"));
    assertThat(parse("").filters()).isEmpty();
  }

  @Test
  void unknownKeysAndValuesSuggestTheNearestWithTheirLine() {
    String p =
        problems(
            """
            features:
              scael: standard
              columns:
                age: {scale: standrd, imptue: mean}
                plan: {encode: one-hot}
                signup: {date_parts: [year, weekday, month, yeer]}
            """);

    assertThat(p)
        .contains(
            "flywheel.yaml:6: features.scael: unknown key 'scael' under features (did you mean 'scale'?)")
        .contains(
            "flywheel.yaml:8: features.columns.age.scale: 'standrd' is not allowed (did you mean 'standard'?); use none|standard|min_max|robust")
        .contains(
            "features.columns.age.imptue: unknown key 'imptue' under features.columns.age (did you mean 'impute'?)")
        .contains(
            "flywheel.yaml:9: features.columns.plan.encode: 'one-hot' is not allowed (did you mean 'one_hot'?)")
        .contains(
            "flywheel.yaml:10: features.columns.signup.date_parts[1]: 'weekday' is not a date part")
        .contains(
            "features.columns.signup.date_parts[3]: 'yeer' is not a date part (did you mean 'year'?)");
  }

  @Test
  void outOfRangeAndMalformedTransformsStateTheRule() {
    String p =
        problems(
            """
            features:
              impute: {numeric: {constant: zero}, categorical: median}
              clip: {quantiles: [0.9, 0.1]}
              bin: {bins: 1}
              columns:
                a: {clip: {quantiles: [0.1, 0.9], iqr: 1.5}}
                b: {encode: {one_hot: {max_categories: 0}}}
                c: {encode: {ordinal: {order: [x, y, x]}}}
                d: {bin: {method: uniform}}
                e: {encode: {one_hot: null, ordinal: null}}
                f: {date_parts: []}
                g: scale
            """);

    assertThat(p)
        .contains(
            "features.impute.numeric.constant: a number column needs a number to fill with, found the text 'zero'")
        .contains(
            "features.impute.categorical: 'median' is not allowed; use most_frequent, or {constant: VALUE} (a category has no median)")
        .contains(
            "features.clip.quantiles: [0.9, 0.1] is out of range; it must be 0 ≤ LOW < HIGH ≤ 1")
        .contains("features.bins: 1 is out of range".replace("features.bins", "features.bin.bins"))
        .contains("features.columns.a.clip: give exactly one of quantiles or iqr")
        .contains("features.columns.b.encode.one_hot.max_categories: 0 is out of range")
        .contains("features.columns.c.encode.ordinal.order: lists a category twice")
        .contains("features.columns.d.bin: required key 'bins' is missing")
        .contains("features.columns.e.encode: name exactly one encoding")
        .contains("features.columns.f.date_parts: an empty list takes no part")
        .contains("features.columns.g: expected a mapping such as {impute: mean, scale: robust}");
  }

  @Test
  void expressionSyntaxErrorsAreReportedWithLineAndColumn() {
    String p =
        problems(
            """
            features:
              derive:
                ratio: "income +* household"
                bad-name: "1"
                x: [1]
            clean:
              filter: ["age >= 18", "java.lang.Runtime.getRuntime()"]
              other: 1
            """);

    assertThat(p)
        .contains(
            "flywheel.yaml:7: features.derive.ratio: expression 'income +* household' at column"
                + " 9: expected a value")
        .contains("features.derive.bad-name: 'bad-name' is not a valid feature name")
        .contains("features.derive.x: expected an expression as text")
        .contains(
            "flywheel.yaml:11: clean.filter[1]: expression 'java.lang.Runtime.getRuntime()' at"
                + " column 5: '.' is not allowed")
        .contains("clean.other: unknown key 'other' under clean");
  }
}
