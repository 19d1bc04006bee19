package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate against production under each kind of split: a group split can be replayed row by row,
 * so production's training rows are left out; a random split cannot, so every test row is used and
 * the detail says why.
 */
class SplitMethodRunTest {

  @TempDir Path dir;

  private Workdir workdir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() {
    workdir = Workdir.open(dir.resolve("work"));
    LoanData.writeCsv(dir.resolve("loans.csv"), 1200, 21, 0);
  }

  @AfterEach
  void close() {
    workdir.close();
  }

  private RunResult run(String split) throws IOException {
    String yaml =
        """
        name: loans
        task: classification
        target: default
        source: {csv: loans.csv}
        candidates: [{algorithm: linear}]
        """
            + "split: "
            + split
            + "\n";
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    return new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
        .run(SpecParser.parse(spec));
  }

  private static String nonInferiority(RunResult r) {
    return r.gate().checks().stream()
        .filter(c -> c.name().equals("non_inferior_to_production"))
        .findFirst()
        .orElseThrow()
        .detail();
  }

  @Test
  void aGroupSplitIsReplayedSoTheGateUsesRowsProductionNeverTrainedOn() throws IOException {
    RunResult first = run("{method: group, column: age}");
    assertThat(first.promoted()).isTrue();
    RunResult second = run("{method: group, column: age}");
    // Same data, same groups: every test row was in production's test split too.
    assertThat(nonInferiority(second))
        .contains("on " + second.dataset().splits().get("test") + " rows neither trained on");
  }

  @Test
  void aRandomProductionSplitCannotBeReplayedSoEveryTestRowIsUsed() throws IOException {
    RunResult first = run("{method: random, seed: 5}");
    assertThat(first.promoted()).isTrue();
    RunResult second = run("{method: hash}");
    assertThat(nonInferiority(second))
        .contains(
            "on "
                + second.dataset().splits().get("test")
                + " rows (production's training rows unknown: its random split depends on the"
                + " whole data set)");
  }
}
