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

/**
 * Tracking through the CLI: tags, the leaderboard's size and latency, {@code runs compare}, and the
 * gate evidence that {@code runs show} and {@code models show} return.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrackingCommandsTest {

  private Path workdir;
  private Path dir;
  private JsonNode first;
  private JsonNode second;

  private static final String BASE =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      selection: {vs_production: {test: mcnemar, tolerance: 0.05}}
      """;

  @BeforeAll
  void train(@TempDir Path dir) throws IOException {
    this.dir = dir;
    workdir = dir.resolve("work");
    LoanData.writeCsv(dir.resolve("loans.csv"), 1500, 3, 0);
    Path linear =
        Files.writeString(
            dir.resolve("linear.yaml"), BASE + "candidates:\n  - {algorithm: linear}\n");
    Path gbt =
        Files.writeString(
            dir.resolve("gbt.yaml"),
            BASE
                + "candidates:\n  - {name: gbt, algorithm: xgboost, params: {rounds: 30,"
                + " max_depth: 3}}\n");
    CliRunner.Result a =
        CliRunner.run(
            "run",
            linear.toString(),
            "--workdir",
            workdir.toString(),
            "--json",
            "--tag",
            "owner=ana",
            "--tag",
            "ticket=ML-1");
    assertThat(a.exitCode()).as(a.err()).isZero();
    first = a.json();
    CliRunner.Result b =
        CliRunner.run(
            "run", gbt.toString(), "--workdir", workdir.toString(), "--json", "--tag", "owner=bo");
    assertThat(b.exitCode()).as(b.err()).isIn(0, 3);
    second = b.json();
  }

  @Test
  void runJsonHasTagsAndTheLeaderboardFootprint() {
    assertThat(first.at("/tags/owner").asText()).isEqualTo("ana");
    assertThat(first.at("/tags/ticket").asText()).isEqualTo("ML-1");
    for (JsonNode e : first.get("leaderboard")) {
      assertThat(e.get("model_bytes").asLong()).isPositive();
      assertThat(e.get("predict_us").asDouble()).isPositive();
    }
  }

  @Test
  void runsShowJsonReturnsTheGateEvidence() {
    String id = second.get("run_id").asText();
    CliRunner.Result r =
        CliRunner.run("runs", "show", id, "--workdir", workdir.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode e = r.json().at("/gate/evidence");
    assertThat(e.get("test").asText()).isEqualTo("mcnemar");
    assertThat(e.get("metric").asText()).isEqualTo("accuracy");
    assertThat(e.get("production_version").asInt()).isEqualTo(1);
    assertThat(e.get("rows").asInt()).isEqualTo(second.at("/dataset/splits/test").asInt());
    assertThat(e.get("tolerance").asDouble()).isEqualTo(0.05);
    assertThat(e.get("verdict").asText()).isIn("pass", "fail");
    assertThat(e.has("challenger") && e.has("production") && e.has("interval")).isTrue();
  }

  @Test
  void runsShowTableHasTheLeaderboardAndEvidence() {
    String id = second.get("run_id").asText();
    CliRunner.Result r = CliRunner.run("runs", "show", id, "--workdir", workdir.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("tags: owner=bo")
        .contains("SECONDS", "SIZE", "PREDICT_US")
        .contains("evidence: mcnemar on ")
        .contains("vs production v1");
  }

  @Test
  void compareShowsRunsSideBySide() {
    String a = first.get("run_id").asText();
    String b = second.get("run_id").asText();

    CliRunner.Result j =
        CliRunner.run("runs", "compare", a, b, "--workdir", workdir.toString(), "--json");
    assertThat(j.exitCode()).as(j.err()).isZero();
    JsonNode runs = j.json().get("runs");
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).get("run_id").asText()).isEqualTo(a);
    assertThat(runs.get(1).get("run_id").asText()).isEqualTo(b);
    assertThat(runs.get(0).at("/dataset/hash")).isEqualTo(runs.get(1).at("/dataset/hash"));
    assertThat(runs.get(0).at("/selected/algorithm").asText()).isEqualTo("linear");
    assertThat(runs.get(1).at("/selected/algorithm").asText()).isEqualTo("xgboost");
    assertThat(runs.get(1).at("/selected/test")).isEqualTo(second.at("/selected/test"));
    assertThat(runs.get(0).at("/gate/verdict").asText()).isEqualTo("passed");
    assertThat(runs.get(1).at("/gate/evidence/test").asText()).isEqualTo("mcnemar");
    assertThat(runs.get(0).at("/tags/owner").asText()).isEqualTo("ana");

    CliRunner.Result t = CliRunner.run("runs", "compare", a, b, "--workdir", workdir.toString());
    assertThat(t.exitCode()).as(t.err()).isZero();
    assertThat(t.out().lines().findFirst().orElseThrow()).contains("FIELD", a, b);
    assertThat(t.out())
        .containsPattern("selected\\.algorithm +linear +xgboost")
        .containsPattern("selected\\.params\\.rounds +- +30")
        .containsPattern("tags\\.ticket +ML-1 +-")
        .contains("gate.evidence.p_value", "dataset.hash", "selected.test.auc");
  }

  @Test
  void compareNeedsTwoKnownRuns() {
    String a = first.get("run_id").asText();
    assertThat(CliRunner.run("runs", "compare", a, "--workdir", workdir.toString()).exitCode())
        .isEqualTo(2);
    CliRunner.Result r =
        CliRunner.run("runs", "compare", a, "r-999999", "--workdir", workdir.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("there is no run 'r-999999'");
  }

  @Test
  void modelsShowHasLineageAndTheGateEvidenceOfItsRun() {
    CliRunner.Result r =
        CliRunner.run(
            "models", "show", "loans", "--version", "2", "--workdir", workdir.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.at("/lineage/run_id").asText()).isEqualTo(second.get("run_id").asText());
    assertThat(j.at("/lineage/data_hash").asText()).isEqualTo(second.at("/dataset/hash").asText());
    assertThat(j.at("/lineage/train_rows").asInt())
        .isEqualTo(second.at("/dataset/splits/train").asInt());
    assertThat(j.at("/gate/evidence/test").asText()).isEqualTo("mcnemar");
    assertThat(j.get("aliases").isArray()).isTrue();

    CliRunner.Result t =
        CliRunner.run("models", "show", "loans", "--version", "2", "--workdir", workdir.toString());
    assertThat(t.out()).contains("lineage:    run " + second.get("run_id").asText());
    assertThat(t.out()).contains("non_inferior_to_production");
  }

  @Test
  void badTagIsABadInputNamingTheRule() {
    CliRunner.Result r =
        CliRunner.run(
            "run",
            dir.resolve("linear.yaml").toString(),
            "--workdir",
            workdir.toString(),
            "--tag",
            "no equals");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--tag: 'no equals' is not KEY=VALUE");
  }
}
