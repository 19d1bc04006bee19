package dev.flywheel.cli;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.pipeline.retrain.RetrainingController;
import dev.flywheel.store.Workdir;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flywheel retrain}: one retrain by hand, as the server's triggers would start it. */
@Command(
    name = "retrain",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Retrain a production model on its source data plus its labelled production rows.",
      "",
      "Re-reads the spec the production version (the champion) was trained with, holds out the"
          + " newest share of labelled production rows that the champion never trained on"
          + " (retraining.holdout, at least monitoring.performance.min_labels), trains a"
          + " challenger on the source rows and the other labelled rows, and promotes it only if"
          + " it passes the usual gate and is non-inferior to the champion on the holdout. The"
          + " run is recorded with trigger 'manual' (see docs/retraining.md).",
      "",
      "Exit codes: 0 promoted, 1 bad input (no production version, unreadable spec or data),"
          + " 3 not promoted (the gate refused, or the run was skipped for too few holdout rows),"
          + " 4 infrastructure."
    })
final class RetrainCommand extends BaseCommand {

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "The model to retrain (default: the only model with a production version).")
  String model;

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
    try (Workdir workdir = global.openWorkdir();
        RetrainingController controller =
            new RetrainingController(workdir, Clock.systemUTC(), progress(), threads)) {
      String name = model != null ? model : onlyProductionModel(workdir.metadata());
      RunResult result = controller.retrain(name, "manual");
      if (json) {
        out().println(result.toJson());
      } else {
        out().print(RunReport.text(result));
      }
      out().flush();
      return result.promoted() ? ExitCodes.OK : ExitCodes.GATE_REFUSED;
    }
  }

  private static String onlyProductionModel(MetadataStore metadata) {
    List<String> served =
        metadata.aliased(MetadataStore.PRODUCTION).stream().map(ModelVersion::model).toList();
    if (served.size() == 1) {
      return served.get(0);
    }
    throw new BadInputException(
        served.isEmpty()
            ? "no model has a production version to retrain. Train and promote one with: flywheel"
                + " run SPEC"
            : "--model: several models are in production ("
                + String.join(", ", served)
                + "); name one with --model NAME.");
  }
}
