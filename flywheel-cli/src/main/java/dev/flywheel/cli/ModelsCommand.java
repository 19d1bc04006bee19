package dev.flywheel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.store.Workdir;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flywheel models}: the model registry. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Inspect registered model versions and aliases.",
    subcommands = {ModelsCommand.ListCommand.class, ModelsShowCommand.class})
final class ModelsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing subcommand: try 'flywheel models list' or 'flywheel models show NAME'.");
  }

  /** {@code flywheel models list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "List every model version with its aliases and test metrics.")
  static final class ListCommand extends BaseCommand {

    @Option(names = "--json", description = "Print one JSON array on stdout.")
    boolean json;

    @Option(names = "--model", paramLabel = "NAME", description = "Only this model.")
    String model;

    @Override
    int execute() throws Exception {
      try (Workdir workdir = global.openWorkdir()) {
        List<ModelVersion> versions = workdir.metadata().versions(model);
        if (json) {
          ArrayNode array = Json.mapper().createArrayNode();
          for (ModelVersion v : versions) {
            ObjectNode o = array.addObject();
            o.put("model", v.model());
            o.put("version", v.version());
            o.set("aliases", Json.mapper().valueToTree(v.aliases()));
            o.put("algorithm", v.algorithm());
            o.put("candidate", v.candidate());
            o.put("run_id", v.runId());
            o.put("data_hash", v.dataHash());
            o.set("metrics", Json.mapper().valueToTree(v.metrics()));
            o.put("created_at", v.createdAt().toString());
            o.put("bundle", workdir.artifacts().describe(v.bundleKey()));
          }
          out().println(Json.mapper().writeValueAsString(array));
        } else if (versions.isEmpty()) {
          err().println("No model versions yet. Train one with: flywheel run flywheel.yaml");
        } else {
          out()
              .printf(
                  Locale.ROOT,
                  "%-16s %7s %-12s %-9s %-9s %-21s %s%n",
                  "MODEL",
                  "VERSION",
                  "ALIASES",
                  "ALGORITHM",
                  "RUN",
                  "CREATED",
                  "TEST METRICS");
          for (ModelVersion v : versions) {
            out()
                .printf(
                    Locale.ROOT,
                    "%-16s %7d %-12s %-9s %-9s %-21s %s%n",
                    v.model(),
                    v.version(),
                    v.aliases().isEmpty() ? "-" : String.join(",", v.aliases()),
                    v.algorithm(),
                    v.runId(),
                    v.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    v.metrics().entrySet().stream()
                        .map(
                            e ->
                                e.getKey() + "=" + String.format(Locale.ROOT, "%.4f", e.getValue()))
                        .collect(Collectors.joining(" ")));
          }
        }
        out().flush();
        return ExitCodes.OK;
      }
    }
  }
}
