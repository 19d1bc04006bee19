package dev.flywheel.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.schema.AnomalyKind;
import dev.flywheel.core.schema.LogicalType;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code schema} and {@code quality} keys of docs/spec.md: values, defaults, located errors.
 */
class SchemaAndQualitySpecTest {

  private static final String HEAD =
      """
      name: churn
      task: classification
      target: churned
      source: {csv: data/churn.csv}
      """;

  private static PipelineSpec parse(String yaml) {
    return SpecParser.parse(yaml, "flywheel.yaml", Path.of("/project"));
  }

  private static String problems(String yaml) {
    try {
      parse(yaml);
    } catch (BadInputException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the spec to be refused:\n" + yaml);
  }

  @Test
  void withoutTheKeysNothingIsDeclaredAndDeclaredKindsGate() {
    PipelineSpec spec = parse(HEAD);
    assertThat(spec.schema()).isEqualTo(SchemaSpec.NONE);
    assertThat(spec.quality()).isEqualTo(QualitySpec.DEFAULT);
    assertThat(spec.quality().maxNullRate()).isNull();
    assertThat(spec.quality().maxRowChange()).isEqualTo(0.5);
    assertThat(spec.quality().maxPsi()).isEqualTo(0.2);
    assertThat(spec.quality().failOn())
        .containsExactlyInAnyOrder(
            AnomalyKind.MISSING_COLUMN,
            AnomalyKind.UNEXPECTED_COLUMN,
            AnomalyKind.TYPE_MISMATCH,
            AnomalyKind.NULL_RATE,
            AnomalyKind.OUT_OF_RANGE,
            AnomalyKind.UNSEEN_CATEGORY);
  }

  @Test
  void readsTheIssuesExample() {
    PipelineSpec spec =
        parse(
            HEAD
                + """
                schema:
                  allow_extra: false
                  columns:
                    age: {type: integer, min: 0, max: 120, nullable: false}
                    plan: {type: categorical, values: [basic, plus, pro]}
                    note: {type: text, required: false}
                    churned:
                quality: {max_null_rate: 0.2, fail_on: [missing_column, type_mismatch, out_of_range], max_row_change: 0.3, max_psi: 0.25}
                """);
    assertThat(spec.schema().allowExtra()).isFalse();
    assertThat(spec.schema().columns().keySet()).containsExactly("age", "plan", "note", "churned");
    assertThat(spec.schema().columns().get("age"))
        .isEqualTo(new SchemaSpec.ColumnSchema(LogicalType.INTEGER, 0.0, 120.0, false, null, true));
    assertThat(spec.schema().columns().get("plan"))
        .isEqualTo(
            new SchemaSpec.ColumnSchema(
                LogicalType.CATEGORICAL, null, null, true, List.of("basic", "plus", "pro"), true));
    assertThat(spec.schema().columns().get("note").required()).isFalse();
    assertThat(spec.schema().columns().get("churned").type()).isNull();
    assertThat(spec.quality())
        .isEqualTo(
            new QualitySpec(
                0.2,
                Set.of(
                    AnomalyKind.MISSING_COLUMN,
                    AnomalyKind.TYPE_MISMATCH,
                    AnomalyKind.OUT_OF_RANGE),
                0.3,
                0.25));
  }

  @Test
  void anEmptyFailOnGatesNothing() {
    assertThat(parse(HEAD + "quality: {fail_on: []}\n").quality().failOn()).isEmpty();
  }

  @Test
  void schemaProblemsNameTheKeyTheLineAndASuggestion() {
    String msg =
        problems(
            HEAD
                + """
                schema:
                  columns:
                    age: {type: integr, min: 5, max: 1}
                    plan: {type: categorical, vaules: [a]}
                    city: {type: text, min: 0}
                    tier: {type: integer, values: [a, b]}
                    churned: {required: false}
                  alow_extra: true
                """);
    assertThat(msg)
        .contains(
            "flywheel.yaml:7: schema.columns.age.type: 'integr' is not a column type (did you"
                + " mean 'integer'?); use numeric|integer|boolean|categorical|timestamp|text")
        .contains("flywheel.yaml:7: schema.columns.age.max: 1.0 is less than min 5.0")
        .contains(
            "flywheel.yaml:8: schema.columns.plan.vaules: unknown key 'vaules' under"
                + " schema.columns.plan (did you mean 'values'?)")
        .contains(
            "flywheel.yaml:9: schema.columns.city.min: min and max apply to numeric and integer"
                + " columns, not text")
        .contains("flywheel.yaml:10: schema.columns.tier.values: values apply to categorical")
        .contains("flywheel.yaml:11: schema.columns.churned.required: the target 'churned'")
        .contains(
            "flywheel.yaml:12: schema.alow_extra: unknown key 'alow_extra' under schema (did you"
                + " mean 'allow_extra'?)");
  }

  @Test
  void qualityProblemsNameTheKeyTheLineAndASuggestion() {
    String msg =
        problems(
            HEAD
                + """
                quality:
                  max_null_rate: 1.5
                  fail_on: [missing_colum, duplicates]
                  max_psi: 0
                """);
    assertThat(msg)
        .contains(
            "flywheel.yaml:6: quality.max_null_rate: 1.5 is out of range; it must be in [0, 1]")
        .contains(
            "flywheel.yaml:7: quality.fail_on[0]: 'missing_colum' is not an anomaly kind (did you"
                + " mean 'missing_column'?)")
        .contains("flywheel.yaml:8: quality.max_psi: 0.0 is out of range; it must be > 0");
    assertThat(problems(HEAD + "schema: {columns: [age]}\n"))
        .contains("flywheel.yaml:5: schema.columns: expected a mapping from column names");
  }
}
