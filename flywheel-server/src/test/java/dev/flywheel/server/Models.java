package dev.flywheel.server;

import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.pipeline.TrainingRunner;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.HouseData;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Trains small real models into a workdir, as {@code flywheel run} would. */
final class Models {

  static final String LOANS =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      candidates: [{algorithm: xgboost, params: {rounds: 30, max_depth: 3}}]
      """;

  static final String HOUSES =
      """
      name: houses
      task: regression
      target: price
      source: {csv: houses.csv}
      candidates: [{algorithm: linear}]
      """;

  private Models() {}

  static RunResult train(Workdir workdir, Path dir, String yaml) {
    try {
      if (!Files.exists(dir.resolve("loans.csv"))) {
        LoanData.writeCsv(dir.resolve("loans.csv"), 1200, 21, 0);
        HouseData.writeCsv(dir.resolve("houses.csv"), 800, 22);
      }
      Path spec = Files.writeString(dir.resolve("spec-" + yaml.hashCode() + ".yaml"), yaml);
      return new TrainingRunner(
              workdir.metadata(), workdir.artifacts(), Clock.systemUTC(), Progress.NONE, 1)
          .run(SpecParser.parse(spec));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
