package dev.flywheel.cli;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.pipeline.TrainingRunner;
import dev.flywheel.store.Workdir;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flywheel run}: the training half of the loop. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Train, evaluate, gate and register a model from a spec.",
      "",
      "Collects, curates and splits the spec's data, trains every candidate, selects the best on"
          + " validation, gates it on test (beat the baseline, meet selection.min/max, be"
          + " non-inferior to production), registers it, and promotes it to production if the"
          + " gate passes.",
      "",
      "Exit codes: 0 promoted, 1 bad input, 3 the gate refused promotion, 4 infrastructure."
    })
final class RunCommand extends BaseCommand {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SPEC",
      description = "The spec file (default: ./flywheel.yaml).")
  Path specFile = Path.of("flywheel.yaml");

  @Option(names = "--json", description = "Print the run as one JSON document on stdout.")
  boolean json;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Most threads a trainer may use (default: the number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  int execute() {
    if (threads < 1) {
      throw new BadInputException("--threads: " + threads + " must be at least 1.");
    }
    PipelineSpec spec = SpecParser.parse(specFile);
    try (Workdir workdir = global.openWorkdir()) {
      RunResult result =
          new TrainingRunner(
                  workdir.metadata(), workdir.artifacts(), Clock.systemUTC(), progress(), threads)
              .run(spec);
      if (json) {
        out().println(result.toJson());
      } else {
        out().print(RunReport.text(result));
      }
      out().flush();
      return result.promoted() ? ExitCodes.OK : ExitCodes.GATE_REFUSED;
    }
  }
}
