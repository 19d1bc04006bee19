package dev.flywheel.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.ParamSpec;
import dev.flywheel.core.model.ParameterTable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parameter table lives in core, but it exists for the trainers here: these tests pin the
 * names, defaults and rules the trainers rely on.
 */
class ParameterTableTest {

  @Test
  void withDefaultsFillsEveryMissingXGBoostParameterInDocumentationOrder() {
    Map<String, Number> all =
        ParameterTable.withDefaults(Algorithm.XGBOOST, Map.<String, Number>of("eta", 0.05));
    assertThat(all.keySet())
        .containsExactly(
            "rounds",
            "max_depth",
            "eta",
            "min_child_weight",
            "subsample",
            "colsample_bytree",
            "lambda",
            "alpha",
            "gamma",
            "early_stopping_rounds",
            "class_weight");
    assertThat(all)
        .containsEntry("rounds", 100L)
        .containsEntry("max_depth", 6L)
        .containsEntry("eta", 0.05)
        .containsEntry("subsample", 1.0)
        .containsEntry("lambda", 1.0)
        .containsEntry("alpha", 0.0);
  }

  @Test
  void withDefaultsFillsEveryLinearParameter() {
    assertThat(ParameterTable.withDefaults(Algorithm.LINEAR, Map.of()))
        .containsExactly(
            Map.entry("epochs", 10L),
            Map.entry("learning_rate", 0.1),
            Map.entry("l1", 0.0),
            Map.entry("l2", 0.0),
            Map.entry("minibatch", 1L),
            Map.entry("class_weight", 0.0));
  }

  @Test
  void baselineTakesNoParameters() {
    assertThat(ParameterTable.withDefaults(Algorithm.BASELINE, Map.of())).isEmpty();
    assertThat(ParameterTable.problems(Algorithm.BASELINE, Map.of("depth", 3)))
        .containsExactly(
            "unknown parameter 'depth' for baseline; valid names: "
                + "(none: baseline takes no parameters)");
  }

  @Test
  void aMisspeltNameIsReportedWithTheListOfValidNames() {
    assertThat(ParameterTable.problems(Algorithm.XGBOOST, Map.of("max_dept", 4)))
        .containsExactly(
            "unknown parameter 'max_dept' for xgboost; valid names: rounds, max_depth, eta, "
                + "min_child_weight, subsample, colsample_bytree, lambda, alpha, gamma, "
                + "early_stopping_rounds, class_weight");
  }

  @Test
  void outOfRangeValuesAreRejectedNamingTheRule() {
    assertThat(ParameterTable.problems(Algorithm.XGBOOST, Map.of("eta", 0)))
        .containsExactly("0 is out of range: a number in (0, 1]");
    assertThat(ParameterTable.problems(Algorithm.XGBOOST, Map.of("max_depth", 33)))
        .containsExactly("33 is out of range: an integer in [0, 32]");
    assertThat(ParameterTable.problems(Algorithm.XGBOOST, Map.of("subsample", 1.5)))
        .containsExactly("1.5 is out of range: a number in (0, 1]");
    assertThat(ParameterTable.problems(Algorithm.LINEAR, Map.of("l2", -0.5)))
        .containsExactly("-0.5 is out of range: a number in [0, ∞]");
    assertThat(ParameterTable.problems(Algorithm.LINEAR, Map.of("learning_rate", Double.NaN)))
        .containsExactly("NaN is out of range: a number in (0, 10]");
  }

  @Test
  void rangeBoundsAreInclusiveUnlessMarkedExclusive() {
    assertThat(ParameterTable.problems(Algorithm.XGBOOST, Map.of("eta", 1, "max_depth", 0)))
        .isEmpty();
    assertThat(ParameterTable.problems(Algorithm.LINEAR, Map.of("epochs", 1, "l1", 0))).isEmpty();
  }

  @Test
  void nonIntegersAreRejectedForIntegerParameters() {
    assertThat(ParameterTable.problems(Algorithm.XGBOOST, Map.of("rounds", 2.5)))
        .containsExactly("2.5 is not an integer in [1, 5000]");
    assertThat(ParameterTable.problems(Algorithm.LINEAR, Map.of("minibatch", "many")))
        .containsExactly("'many' is not an integer in [1, 4096]");
    assertThat(ParameterTable.problems(Algorithm.XGBOOST, Map.of("eta", "fast")))
        .containsExactly("'fast' is not a number in (0, 1]");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("rounds", 0);
    params.put("max_dept", 3);
    params.put("eta", 2);
    assertThat(ParameterTable.problems(Algorithm.XGBOOST, params))
        .containsExactly(
            "0 is out of range: an integer in [1, 5000]",
            "unknown parameter 'max_dept' for xgboost; valid names: rounds, max_depth, eta, "
                + "min_child_weight, subsample, colsample_bytree, lambda, alpha, gamma, "
                + "early_stopping_rounds, class_weight",
            "2 is out of range: a number in (0, 1]");
  }

  @Test
  void classWeightAcceptsTheWordsBalancedAndNone() {
    ParamSpec weight =
        ParameterTable.find(Algorithm.XGBOOST, ParameterTable.CLASS_WEIGHT_NAME).orElseThrow();
    assertThat(weight.check("balanced").value()).contains(1.0);
    assertThat(weight.check("none").value()).contains(0.0);
    assertThat(weight.check(0.5).value()).contains(0.5);
    assertThat(weight.check("heavy").problem())
        .contains("'heavy' is not a number in [0, 1] or none (0)|balanced (1)");
  }

  @Test
  void randomForestHasItsOwnParameters() {
    assertThat(ParameterTable.withDefaults(Algorithm.RANDOM_FOREST, Map.of()))
        .containsEntry("trees", 100L)
        .containsEntry("subsample", 0.8)
        .containsEntry("colsample_bynode", 0.8)
        .doesNotContainKey("eta")
        .doesNotContainKey("rounds");
    assertThat(ParameterTable.problems(Algorithm.RANDOM_FOREST, Map.of("rounds", 10)))
        .singleElement()
        .asString()
        .startsWith("unknown parameter 'rounds' for random_forest; valid names: trees, max_depth");
  }

  @Test
  void checkReturnsValuesInTheirCanonicalJavaType() {
    ParamSpec rounds = ParameterTable.find(Algorithm.XGBOOST, "rounds").orElseThrow();
    ParamSpec eta = ParameterTable.find(Algorithm.XGBOOST, "eta").orElseThrow();
    assertThat(rounds.check(200).value()).contains(200L);
    assertThat(rounds.check(200.0).value()).contains(200L);
    assertThat(eta.check(1).value()).contains(1.0);
    assertThat(eta.check(0.25).problem()).isEmpty();
  }

  @Test
  void everyAlgorithmHasATrainerForItself() {
    for (Algorithm algorithm : Algorithm.values()) {
      if (algorithm == Algorithm.ONNX) {
        // An import's trainer needs its file: OnnxTrainerTest covers Trainers.forCandidate.
        assertThatThrownBy(() -> Trainers.forAlgorithm(algorithm))
            .hasMessageContaining("use forCandidate");
        continue;
      }
      assertThat(Trainers.forAlgorithm(algorithm).algorithm()).isEqualTo(algorithm);
    }
  }
}
