package dev.flywheel.cli;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.pipeline.RunOptions;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.pipeline.TrainingRunner;
import dev.flywheel.store.Workdir;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
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

  @Option(
      names = "--tag",
      paramLabel = "KEY=VALUE",
      description =
          "Label the run, such as --tag owner=ana --tag ticket=ML-12; repeatable. Shown by"
              + " 'flywheel runs list|show|compare' and in --json as tags.")
  List<String> tagArgs = new ArrayList<>();

  /** A tag key: short, no spaces, so that KEY=VALUE reads back unambiguously. */
  private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  static Map<String, String> tags(List<String> args) {
    Map<String, String> tags = new TreeMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      String key = eq < 0 ? a : a.substring(0, eq);
      if (eq < 0 || !TAG_KEY.matcher(key).matches()) {
        throw new BadInputException(
            "--tag: '"
                + a
                + "' is not KEY=VALUE with a key of 1 to 64 letters, digits, '_', '.' or '-';"
                + " write it like --tag owner=ana");
      }
      String value = a.substring(eq + 1);
      String old = tags.put(key, value);
      if (old != null && !old.equals(value)) {
        throw new BadInputException(
            "--tag: key '"
                + key
                + "' is given twice ('"
                + old
                + "' and '"
                + value
                + "'); keep one");
      }
    }
    return tags;
  }

  @Override
  int execute() {
    if (threads < 1) {
      throw new BadInputException("--threads: " + threads + " must be at least 1.");
    }
    Map<String, String> tags = tags(tagArgs);
    PipelineSpec spec = SpecParser.parse(specFile);
    try (Workdir workdir = global.openWorkdir()) {
      RunResult result =
          new TrainingRunner(
                  workdir.metadata(), workdir.artifacts(), Clock.systemUTC(), progress(), threads)
              .run(spec, RunOptions.NONE, tags);
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
