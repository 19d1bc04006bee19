package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets exit 1 and a message naming the file and line, or the key, and what is allowed;
 * and a failed run harms nothing already stored.
 */
class BadInputTest {

  @TempDir Path dir;

  private Path workdir;
  private JsonNode versionsBefore;

  private static final String GOOD =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      candidates:
        - {algorithm: linear}
      """;

  /** Every test starts from a workdir that already holds a production model. */
  @BeforeEach
  void trainAGoodModel() throws IOException {
    workdir = dir.resolve("work");
    LoanData.writeCsv(dir.resolve("loans.csv"), 800, 9, 0);
    CliRunner.Result r =
        CliRunner.run(
            "run", write("good.yaml", GOOD).toString(), "--workdir", workdir.toString(), "-q");
    assertThat(r.exitCode()).as(r.err()).isZero();
    versionsBefore = versions();
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private JsonNode versions() {
    return CliRunner.run("models", "list", "--workdir", workdir.toString(), "--json").json();
  }

  private CliRunner.Result runSpec(String yaml) throws IOException {
    CliRunner.Result r =
        CliRunner.run("run", write("bad.yaml", yaml).toString(), "--workdir", workdir.toString());
    assertThat(versions())
        .as("stored versions and aliases are untouched")
        .isEqualTo(versionsBefore);
    // The production bundle still loads and predicts: a second good run gates against it.
    return r;
  }

  @Test
  void unknownSpecKeyNamesTheLineTheKeyAndASuggestion() throws IOException {
    CliRunner.Result r = runSpec(GOOD + "splitt: {test: 0.2}\n");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains("bad.yaml:7:", "unknown key 'splitt'", "did you mean 'split'?", "allowed keys:")
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void wrongTypeNamesTheKeyTheValueAndTheRule() throws IOException {
    CliRunner.Result r = runSpec(GOOD + "split:\n  validation: lots\n");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("bad.yaml:8:", "split.validation", "expected a number", "'lots'");
  }

  @Test
  void csvRowWithTheWrongNumberOfFieldsNamesFileAndLine() throws IOException {
    Files.writeString(
        dir.resolve("broken.csv"),
        "income,plan,default\n100,basic,1\n200,plus,0\n300,pro,1,extra\n");
    CliRunner.Result r = runSpec(GOOD.replace("loans.csv", "broken.csv"));

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("broken.csv:4:", "4 fields", "header has 3");
  }

  @Test
  void misspeltHyperparameterNamesItAndListsTheValidNames() throws IOException {
    CliRunner.Result r =
        runSpec(
            GOOD.replace("- {algorithm: linear}", "- {algorithm: xgboost, params: {max_dept: 4}}"));

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains(
            "candidates[0].params.max_dept",
            "unknown parameter 'max_dept' for xgboost",
            "did you mean 'max_depth'?",
            "valid names: rounds, max_depth, eta");
  }

  @Test
  void outOfRangeHyperparameterStatesTheRange() throws IOException {
    CliRunner.Result r =
        runSpec(
            GOOD.replace(
                "- {algorithm: linear}", "- {algorithm: xgboost, params: {eta: [0.1, 1.5]}}"));

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("candidates[0].params.eta", "1.5 is out of range", "(0, 1]");
  }

  @Test
  void targetThatIsNotAColumnListsTheColumns() throws IOException {
    CliRunner.Result r = runSpec(GOOD.replace("target: default", "target: defualt"));

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains("'defualt' is not a column", "income, debt_ratio, age, plan, region, default");
  }

  @Test
  void missingSpecFileSaysWhatToPass() {
    CliRunner.Result r =
        CliRunner.run("run", dir.resolve("nope.yaml").toString(), "--workdir", workdir.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("nope.yaml does not exist");
  }

  @Test
  void productionStillServesAfterAFailedRun() throws IOException {
    runSpec(GOOD + "splitt: 1\n");

    CliRunner.Result again =
        CliRunner.run(
            "run", dir.resolve("good.yaml").toString(), "--workdir", workdir.toString(), "--json");

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.json().at("/gate/evidence/production_version").asInt()).isEqualTo(1);
  }
}
