package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.store.Workdir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality goals of the default search on real data (issue "Models 1/2"), with the default
 * split: the selected model's test metrics. Each run takes about 30–60 s on 2 cores; both skip when
 * {@code ../shared/datasets} is absent. {@code benchmarks/quality/run.sh} measures the same runs
 * through the CLI, with their wall time.
 */
class DefaultSearchQualityTest {

  @TempDir Path dir;

  private RunResult run(String yaml) throws IOException {
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    try (Workdir w = Workdir.open(dir.resolve("work"))) {
      return new TrainingRunner(
              w.metadata(),
              w.artifacts(),
              clock,
              Progress.NONE,
              Runtime.getRuntime().availableProcessors())
          .run(SpecParser.parse(spec));
    }
  }

  @Test
  void adultReachesAccuracy0865AndAuc092() throws IOException {
    Path adult = dataset("adult.csv");
    RunResult r =
        run("name: adult\ntask: classification\ntarget: income\nsource: {csv: '" + adult + "'}\n");
    assertThat(r.selected().test().get("accuracy")).isGreaterThanOrEqualTo(0.865);
    assertThat(r.selected().test().get("auc")).isGreaterThanOrEqualTo(0.92);
  }

  @Test
  void housingReachesRmse48000() throws IOException {
    Path housing = dataset("housing.csv");
    RunResult r =
        run(
            "name: housing\ntask: regression\ntarget: median_house_value\nsource: {csv: '"
                + housing
                + "'}\n");
    assertThat(r.selected().test().get("rmse")).isLessThanOrEqualTo(48_000);
  }

  /** The shared data sets live next to the repository; tests run in the module folder. */
  private static Path dataset(String name) {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared/datasets/" + name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    Assumptions.abort("../shared/datasets/" + name + " is absent: skipping its quality goal");
    return null;
  }
}
