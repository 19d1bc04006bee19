package dev.flywheel.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.model.Algorithm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code candidates[].search} key, parameter ranges and class weights in specs. */
class CandidateSearchSpecTest {

  private static final String HEAD =
      """
      name: churn
      task: classification
      target: churned
      source: {csv: data/churn.csv}
      candidates:
      """;

  private static PipelineSpec parse(String candidates) {
    return SpecParser.parse(HEAD + candidates, "flywheel.yaml", Path.of("/project"));
  }

  private static String problems(String candidates) {
    return problems(HEAD, candidates);
  }

  private static String problems(String head, String candidates) {
    try {
      SpecParser.parse(head + candidates, "flywheel.yaml", Path.of("/project"));
    } catch (BadInputException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the spec to be refused:\n" + candidates);
  }

  @Test
  void randomSearchDrawsTheSameTrialsEveryTimeWithinTheRanges() {
    String yaml =
        """
          - name: gbt
            algorithm: xgboost
            params:
              eta: {min: 0.01, max: 0.3, log: true}
              max_depth: {min: 3, max: 8}
              subsample: [0.7, 0.9]
              rounds: 200
            search: {method: random, trials: 12, seed: 7}
        """;
    CandidateSpec gbt = parse(yaml).candidates().get(0);
    List<Map<String, Number>> trials = gbt.trials();

    assertThat(gbt.search())
        .isEqualTo(new CandidateSpec.Search(CandidateSpec.Search.Method.RANDOM, 12, 7, 0));
    assertThat(trials).hasSizeBetween(10, 12).isEqualTo(parse(yaml).candidates().get(0).trials());
    for (Map<String, Number> t : trials) {
      assertThat(t.keySet()).containsExactly("eta", "max_depth", "subsample", "rounds");
      assertThat(t.get("eta")).isInstanceOf(Double.class);
      assertThat(t.get("eta").doubleValue()).isBetween(0.01, 0.3);
      assertThat(t.get("max_depth")).isInstanceOf(Long.class);
      assertThat(t.get("max_depth").longValue()).isBetween(3L, 8L);
      assertThat(t.get("subsample")).isIn(0.7, 0.9);
      assertThat(t.get("rounds")).isEqualTo(200L);
    }
    // Log-uniform: about as many draws below the geometric mean (0.055) as above.
    long low = trials.stream().filter(t -> t.get("eta").doubleValue() < 0.055).count();
    assertThat(low).isBetween(2L, (long) trials.size() - 2);
    // Another seed draws other trials.
    assertThat(parse(yaml.replace("seed: 7", "seed: 8")).candidates().get(0).trials())
        .isNotEqualTo(trials);
  }

  @Test
  void gridSearchIsTheDefaultAndCrossValidationIsAnOption() {
    CandidateSpec c =
        parse("  - {algorithm: linear, params: {l2: [0.0, 0.01]}, search: {cv: 5}}\n")
            .candidates()
            .get(0);
    assertThat(c.search())
        .isEqualTo(new CandidateSpec.Search(CandidateSpec.Search.Method.GRID, 10, 42, 5));
    assertThat(c.trials()).containsExactly(Map.of("l2", 0.0), Map.of("l2", 0.01));
  }

  @Test
  void aRangeNeedsRandomSearch() {
    assertThat(problems("  - {algorithm: xgboost, params: {eta: {min: 0.01, max: 0.3}}}\n"))
        .contains("flywheel.yaml:6: candidates[0].params.eta: a range {min, max} needs random")
        .contains("search: {method: random, trials: 20}");
  }

  @Test
  void rangeBoundsAreCheckedAgainstTheParameterTable() {
    String message =
        problems(
            "  - algorithm: xgboost\n"
                + "    params: {eta: {min: 0, max: 2, log: true}, max_dept: {min: 1, max: 3},"
                + " rounds: {min: 10}}\n"
                + "    search: {method: random}\n");
    assertThat(message)
        .contains("candidates[0].params.eta.min: eta min: 0 is out of range: a number in (0, 1]")
        .contains("candidates[0].params.eta.max: eta max: 2 is out of range: a number in (0, 1]")
        .contains("unknown parameter 'max_dept' for xgboost (did you mean 'max_depth'?)")
        .contains("valid names: rounds, max_depth, eta,")
        .contains("candidates[0].params.rounds: required key 'max' is missing");
  }

  @Test
  void badSearchSettingsAreReportedWithTheirKeys() {
    String message =
        problems(
            "  - {algorithm: xgboost, search: {method: bayes, cv: 1, folds: 3}}\n"
                + "  - {algorithm: linear, name: l, search: {trials: 5}}\n");
    assertThat(message)
        .contains("candidates[0].search.method: 'bayes' is not allowed; use grid|random")
        .contains("candidates[0].search.cv: 1 fold cannot cross-validate")
        .contains("unknown key 'folds' under candidates[0].search")
        .contains("candidates[1].search.trials: trials applies to random search");
  }

  @Test
  void classWeightsAreWordsOrPowersAndOnlyForClassification() {
    CandidateSpec c =
        parse("  - {algorithm: random_forest, params: {class_weight: [none, balanced, 0.5]}}\n")
            .candidates()
            .get(0);
    assertThat(c.algorithm()).isEqualTo(Algorithm.RANDOM_FOREST);
    assertThat(c.trials()).extracting(t -> t.get("class_weight")).containsExactly(0.0, 1.0, 0.5);

    String regression = HEAD.replace("classification", "regression").replace("churned", "price");
    assertThat(problems(regression, "  - {algorithm: xgboost, params: {class_weight: balanced}}\n"))
        .contains("candidates[0].params.class_weight: class weights apply to classification only");
  }
}
