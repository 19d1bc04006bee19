package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Json;
import dev.flywheel.core.store.DatasetVersion;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.store.Workdir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flywheel runs}: recorded training and retraining runs. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Inspect recorded runs: training runs and retraining runs, with their evidence.",
    subcommands = {RunsCommand.ListCommand.class, RunsCommand.ShowCommand.class})
final class RunsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing subcommand: try 'flywheel runs list' or 'flywheel runs show'.");
  }

  /** {@code flywheel runs list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "List runs, newest first: id, model, status, start time, trigger and outcome.",
        "",
        "Status is running, succeeded (promoted or not), skipped (a retrain with too few holdout"
            + " rows), rejected (the data quality gate refused the data) or failed. The trigger is set for retraining runs (manual, drift,"
            + " performance)."
      })
  static final class ListCommand extends BaseCommand {

    @Option(names = "--json", description = "Print one JSON array on stdout.")
    boolean json;

    @Option(names = "--model", paramLabel = "NAME", description = "Only this model's runs.")
    String model;

    @Override
    int execute() throws Exception {
      try (Workdir workdir = global.openWorkdir()) {
        List<RunRecord> runs = workdir.metadata().runs(model);
        if (json) {
          ArrayNode array = Json.mapper().createArrayNode();
          for (RunRecord run : runs) {
            JsonNode result = result(run);
            ObjectNode o = array.addObject();
            o.put("run_id", run.runId());
            o.put("model", run.model());
            o.put("status", run.status());
            o.put("started_at", run.startedAt().toString());
            o.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().toString());
            o.put("trigger", text(result.at("/retraining/trigger")));
            JsonNode version = result.get("model_version");
            if (version != null && version.isInt()) {
              o.put("model_version", version.asInt());
            } else {
              o.putNull("model_version");
            }
            o.put("promoted", result.path("promoted").asBoolean(false));
          }
          out().println(Json.mapper().writeValueAsString(array));
        } else if (runs.isEmpty()) {
          err()
              .println(
                  "No runs yet"
                      + (model == null ? "" : " of model '" + model + "'")
                      + ". Train with: flywheel run flywheel.yaml");
        } else {
          String format = "%-9s %-16s %-9s %-20s %-11s %s%n";
          out()
              .printf(
                  Locale.ROOT, format, "RUN", "MODEL", "STATUS", "STARTED", "TRIGGER", "RESULT");
          for (RunRecord run : runs) {
            JsonNode result = result(run);
            String trigger = text(result.at("/retraining/trigger"));
            out()
                .printf(
                    Locale.ROOT,
                    format,
                    run.runId(),
                    run.model(),
                    run.status(),
                    run.startedAt().truncatedTo(ChronoUnit.SECONDS),
                    trigger == null ? "-" : trigger,
                    outcome(result));
          }
        }
        out().flush();
        return ExitCodes.OK;
      }
    }

    private static String outcome(JsonNode result) {
      JsonNode version = result.get("model_version");
      if (version == null || !version.isInt()) {
        return "-";
      }
      return "v"
          + version.asInt()
          + (result.path("promoted").asBoolean(false) ? " promoted" : " not promoted");
    }
  }

  /** {@code flywheel runs show RUN}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Show one run's recorded result: the data validation, the dataset versions the run"
            + " used, the leaderboard, the gate checks and, for retraining runs, the trigger, the"
            + " data, the holdout, both scores, the interval and the verdict.",
        "",
        "With --json, the stored result document exactly as 'flywheel run --json' or 'flywheel"
            + " retrain --json' printed it."
      })
  static final class ShowCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id, such as r-000042.")
    String runId;

    @Option(names = "--json", description = "Print the result as one JSON document on stdout.")
    boolean json;

    @Override
    int execute() throws Exception {
      try (Workdir workdir = global.openWorkdir()) {
        RunRecord run =
            workdir
                .metadata()
                .run(runId)
                .orElseThrow(
                    () ->
                        new BadInputException(
                            "RUN: there is no run '"
                                + runId
                                + "' in "
                                + workdir.dir()
                                + ". List the runs with: flywheel runs list"));
        if (json) {
          out().println(run.resultJson() != null ? run.resultJson() : placeholder(run));
        } else {
          out().printf(Locale.ROOT, "%s", header(run));
          out().print(body(run));
          out().print(datasets(workdir.metadata().datasetVersions(run.runId())));
        }
        out().flush();
        return ExitCodes.OK;
      }
    }

    /** The dataset versions the run recorded, from the store. */
    private static String datasets(List<DatasetVersion> versions) {
      if (versions.isEmpty()) {
        return "";
      }
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%ndataset versions:%n"));
      String format = "  %-16s %7s %10s %8s  %-20s %-9s %s%n";
      sb.append(
          String.format(
              Locale.ROOT, format, "MODEL", "VERSION", "ROWS", "COLUMNS", "CREATED", "BY", "HASH"));
      for (DatasetVersion v : versions) {
        sb.append(
            String.format(
                Locale.ROOT,
                format,
                v.model(),
                v.version(),
                v.rows(),
                v.columns(),
                v.createdAt().truncatedTo(ChronoUnit.SECONDS),
                v.runId(),
                v.hash()));
      }
      return sb.toString();
    }

    /** A run still going has no result yet: say what is known. */
    private static String placeholder(RunRecord run) throws IOException {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("run_id", run.runId());
      o.put("model", run.model());
      o.put("status", run.status());
      o.put("started_at", run.startedAt().toString());
      return Json.mapper().writeValueAsString(o);
    }

    private static String header(RunRecord run) {
      return String.format(
          Locale.ROOT,
          "status %s  started %s%s  spec %s%n",
          run.status(),
          run.startedAt().truncatedTo(ChronoUnit.SECONDS),
          run.finishedAt() == null
              ? ""
              : ", finished " + run.finishedAt().truncatedTo(ChronoUnit.SECONDS),
          run.specPath() == null ? "(no file)" : run.specPath());
    }

    private static String body(RunRecord run) {
      if (run.resultJson() == null) {
        return "run " + run.runId() + " of model " + run.model() + " has no result yet\n";
      }
      JsonNode node = parse(run.resultJson());
      if ("failed".equals(run.status()) || node.has("error")) {
        return "run "
            + run.runId()
            + " of model "
            + run.model()
            + " failed: "
            + node.path("error").asText("(no message)")
            + "\n";
      }
      return RunReport.text(RunResult.fromJson(run.resultJson()));
    }
  }

  private static JsonNode result(RunRecord run) {
    return run.resultJson() == null ? Json.mapper().createObjectNode() : parse(run.resultJson());
  }

  private static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
