package dev.flywheel.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.BadInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code selection.threshold}: its three methods, its default and its errors with lines. */
class ThresholdSpecParserTest {

  private static final String BINARY =
      """
      name: churn
      task: classification
      target: churned
      source: {csv: churn.csv}
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
  void absentMeansMaximiseAccuracyWithoutBeingExplicit() {
    SelectionSpec s = parse(BINARY).selection();

    assertThat(s.threshold()).isNull();
    assertThat(s.thresholdOrDefault()).isEqualTo(new ThresholdSpec.MaxAccuracy());
  }

  @Test
  void readsEachMethod() {
    assertThat(parse(BINARY + "selection: {threshold: {method: f1}}").selection().threshold())
        .isEqualTo(new ThresholdSpec.MaxF1());
    assertThat(
            parse(
                    BINARY
                        + "selection:\n  threshold:\n    method: cost\n"
                        + "    cost: {false_positive: 1, false_negative: 5}\n")
                .selection()
                .threshold())
        .isEqualTo(new ThresholdSpec.MinCost(1, 5));
    assertThat(parse(BINARY + "selection: {threshold: {method: accuracy}}").selection().threshold())
        .isEqualTo(new ThresholdSpec.MaxAccuracy());
    assertThat(
            parse(BINARY + "selection: {threshold: {method: fixed, value: 0.3}}")
                .selection()
                .threshold())
        .isEqualTo(new ThresholdSpec.Fixed(0.3));
  }

  @Test
  void refusesBadThresholdsNamingKeyLineAndFix() {
    assertThat(problems(BINARY + "selection:\n  threshold: {method: youden}\n"))
        .contains("flywheel.yaml:6: selection.threshold.method: 'youden' is not allowed")
        .contains("f1|accuracy|cost|fixed");
    assertThat(problems(BINARY + "selection:\n  threshold: {method: cost}\n"))
        .contains("flywheel.yaml:6: selection.threshold:")
        .contains("method: cost needs cost: {false_positive: C1, false_negative: C2}");
    assertThat(
            problems(
                BINARY
                    + "selection:\n  threshold:\n    method: cost\n"
                    + "    cost: {false_positive: -1, false_negative: 5}\n"))
        .contains("selection.threshold.cost.false_positive: -1.0 is out of range; it must be ≥ 0");
    assertThat(
            problems(
                BINARY
                    + "selection:\n  threshold:\n    method: cost\n"
                    + "    cost: {false_positive: 0, false_negative: 0}\n"))
        .contains("both costs are 0");
    assertThat(
            problems(
                BINARY
                    + "selection:\n  threshold:\n    method: cost\n"
                    + "    cost: {false_positiv: 1, false_negative: 5}\n"))
        .contains("unknown key 'false_positiv'")
        .contains("allowed keys: false_positive, false_negative");
    assertThat(problems(BINARY + "selection:\n  threshold: {method: fixed, value: 1.5}\n"))
        .contains("selection.threshold.value: 1.5 is out of range; it must be in [0, 1]");
    assertThat(problems(BINARY + "selection:\n  threshold: {method: fixed}\n"))
        .contains("method: fixed needs value");
    assertThat(problems(BINARY + "selection:\n  threshold: {method: f1, value: 0.2}\n"))
        .contains("selection.threshold.value: value applies only to method: fixed (method is f1)");
    assertThat(problems(BINARY + "selection:\n  threshold: 0.3\n"))
        .contains("selection.threshold: expected a mapping such as {method: f1}");
  }

  @Test
  void regressionHasNoThreshold() {
    String yaml =
        """
        name: houses
        task: regression
        target: price
        source: {csv: houses.csv}
        selection:
          threshold: {method: f1}
        """;

    assertThat(problems(yaml))
        .contains("flywheel.yaml:6: selection.threshold:")
        .contains("binary classification only")
        .contains("remove selection.threshold");
  }
}
