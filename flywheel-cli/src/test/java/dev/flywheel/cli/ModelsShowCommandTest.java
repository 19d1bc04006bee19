package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code flywheel models show}: one version's bundle facts, as a table or JSON, and its errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelsShowCommandTest {

  private Path workdir;
  private JsonNode run;

  @BeforeAll
  void train(@TempDir Path dir) throws IOException {
    workdir = dir.resolve("work");
    LoanData.writeCsv(dir.resolve("loans.csv"), 1500, 3, 0);
    Path spec =
        Files.writeString(
            dir.resolve("flywheel.yaml"),
            """
            name: loans
            task: classification
            target: default
            source: {csv: loans.csv}
            candidates:
              - {name: gbt, algorithm: xgboost, params: {rounds: 30, max_depth: 3}}
            """);
    CliRunner.Result r =
        CliRunner.run("run", spec.toString(), "--workdir", workdir.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    run = r.json();
  }

  @Test
  void jsonHasTheVersionItsThresholdSignatureAndImportances() {
    CliRunner.Result r =
        CliRunner.run("models", "show", "loans", "--workdir", workdir.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("model").asText()).isEqualTo("loans");
    assertThat(j.get("version").asInt()).isEqualTo(1);
    assertThat(j.get("aliases").toString()).isEqualTo("[\"production\"]");
    assertThat(j.get("run_id").asText()).isEqualTo(run.get("run_id").asText());
    assertThat(j.get("algorithm").asText()).isEqualTo("xgboost");
    assertThat(j.at("/params/rounds").asInt()).isEqualTo(30);
    assertThat(j.get("threshold").asDouble())
        .isEqualTo(run.at("/selected/threshold").asDouble())
        .isBetween(0.0, 1.0);
    assertThat(j.at("/metrics/test")).isEqualTo(run.at("/selected/test"));
    assertThat(j.get("inputs").findValuesAsText("name"))
        .containsExactly("income", "debt_ratio", "age", "plan", "region");
    assertThat(j.at("/importance/model/method").asText()).isEqualTo("gain");
    assertThat(j.at("/importance/model/features/0/name").asText()).isEqualTo("income");
    assertThat(j.at("/importance/permutation/columns")).hasSize(5);
    assertThat(j.at("/importance/permutation/metric").asText()).isEqualTo("auc");
  }

  @Test
  void tableShowsTheSameFactsForPeople() {
    CliRunner.Result r =
        CliRunner.run("models", "show", "loans", "--version", "1", "--workdir", workdir.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("model:      loans version 1 (production)")
        .contains("algorithm:  xgboost (candidate gbt)")
        .contains("threshold:  ")
        .contains("test:")
        .contains("inputs (5):")
        .contains("importance per input column: drop of auc on validation")
        .contains("COLUMN", "DROP", "GAIN")
        .contains("gain per model input:");
  }

  @Test
  void unknownModelOrVersionNamesWhatExists() {
    CliRunner.Result model =
        CliRunner.run("models", "show", "lones", "--workdir", workdir.toString());
    CliRunner.Result version =
        CliRunner.run("models", "show", "loans", "--version", "7", "--workdir", workdir.toString());

    assertThat(model.exitCode()).isEqualTo(1);
    assertThat(model.err()).contains("there is no model 'lones'", "models there: loans");
    assertThat(version.exitCode()).isEqualTo(1);
    assertThat(version.err()).contains("model 'loans' has no version 7; its versions: 1");
  }

  @Test
  void helpDescribesTheCommand() {
    CliRunner.Result r = CliRunner.run("models", "show", "--help");

    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("--version", "--json", "NAME", "decision threshold");
  }
}
