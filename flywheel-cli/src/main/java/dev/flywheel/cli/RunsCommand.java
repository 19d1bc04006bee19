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
    subcommands = {
      RunsCommand.ListCommand.class,
      RunsCommand.ShowCommand.class,
      RunsCommand.CompareCommand.class
    })
final class RunsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing subcommand: try 'flywheel runs list', 'flywheel runs show RUN' or 'flywheel runs"
            + " compare RUN RUN'.");
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
            if (result.has("tags")) {
              o.set("tags", result.get("tags"));
            }
          }
          out().println(Json.mapper().writeValueAsString(array));
        } else if (runs.isEmpty()) {
          err()
              .println(
                  "No runs yet"
                      + (model == null ? "" : " of model '" + model + "'")
                      + ". Train with: flywheel run flywheel.yaml");
        } else {
          String format = "%-9s %-16s %-9s %-20s %-11s %-16s %s%n";
          out()
              .printf(
                  Locale.ROOT,
                  format,
                  "RUN",
                  "MODEL",
                  "STATUS",
                  "STARTED",
                  "TRIGGER",
                  "RESULT",
                  "TAGS");
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
                    outcome(result),
                    tags(result));
          }
        }
        out().flush();
        return ExitCodes.OK;
      }
    }

    private static String tags(JsonNode result) {
      JsonNode tags = result.get("tags");
      if (tags == null || !tags.isObject() || tags.isEmpty()) {
        return "-";
      }
      List<String> parts = new java.util.ArrayList<>();
      tags.properties().forEach(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
      return String.join(" ", parts);
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

  /** {@code flywheel runs compare RUN RUN...}. */
  @Command(
      name = "compare",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Compare runs side by side: status, timing, tags, the data (hash and rows), the selected"
            + " model's candidate, parameters, validation and test metrics, the gate's verdict and"
            + " evidence, and the version registered.",
        "",
        "The table has one column per run and one row per field; a field a run lacks shows '-'."
            + " With --json, {\"runs\": [...]}, one object per run in the order given."
      })
  static final class CompareCommand extends BaseCommand {

    @Parameters(
        index = "0..*",
        arity = "2..*",
        paramLabel = "RUN",
        description = "Two or more run ids, such as r-000041 r-000042.")
    List<String> runIds;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    int execute() throws Exception {
      try (Workdir workdir = Workdir.open(global.workdir)) {
        List<ObjectNode> docs = new java.util.ArrayList<>();
        for (String id : runIds) {
          RunRecord run =
              workdir
                  .metadata()
                  .run(id)
                  .orElseThrow(
                      () ->
                          new BadInputException(
                              "RUN: there is no run '"
                                  + id
                                  + "' in "
                                  + workdir.dir()
                                  + ". List the runs with: flywheel runs list"));
          docs.add(summary(run));
        }
        if (json) {
          ObjectNode o = Json.mapper().createObjectNode();
          o.putArray("runs").addAll(docs);
          out().println(Json.mapper().writeValueAsString(o));
        } else {
          out().print(table(docs));
        }
        out().flush();
        return ExitCodes.OK;
      }
    }

    /** The fields compared, from the run record and its stored result. */
    static ObjectNode summary(RunRecord run) {
      JsonNode r = result(run);
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("run_id", run.runId());
      o.put("model", run.model());
      o.put("status", run.status());
      o.put("started_at", run.startedAt().toString());
      o.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().toString());
      if (run.finishedAt() != null) {
        o.put(
            "seconds",
            java.time.Duration.between(run.startedAt(), run.finishedAt()).toMillis() / 1000.0);
      }
      copy(r, "tags", o);
      copy(r, "error", o);
      JsonNode d = r.get("dataset");
      if (d != null) {
        ObjectNode ds = o.putObject("dataset");
        copy(d, "hash", ds);
        copy(d, "rows", ds);
        copy(d, "splits", ds);
      }
      copy(r, "selection_metric", o);
      JsonNode s = r.get("selected");
      if (s != null) {
        ObjectNode sel = o.putObject("selected");
        for (String k : List.of("candidate", "algorithm", "params", "validation", "test")) {
          copy(s, k, sel);
        }
        copy(s, "threshold", sel);
      }
      JsonNode g = r.get("gate");
      if (g != null) {
        ObjectNode gate = o.putObject("gate");
        gate.put("verdict", g.path("passed").asBoolean(false) ? "passed" : "refused");
        copy(g, "evidence", gate);
      }
      copy(r, "model_version", o);
      copy(r, "artifacts", o);
      if (r.has("promoted")) {
        copy(r, "promoted", o);
      }
      return o;
    }

    private static void copy(JsonNode from, String key, ObjectNode to) {
      JsonNode v = from.get(key);
      if (v != null && !v.isNull()) {
        to.set(key, v);
      }
    }

    /** One row per dotted field path, in first-seen order; one column per run. */
    static String table(List<ObjectNode> docs) {
      // A field only some runs have goes right after the field before it in the first run that has
      // it, so that, say, each algorithm's parameters stay together under selected.params.
      java.util.Map<String, String[]> values = new java.util.HashMap<>();
      List<String> order = new java.util.ArrayList<>();
      for (int i = 0; i < docs.size(); i++) {
        int col = i;
        String[] previous = {null};
        flatten(
            "",
            docs.get(i),
            (path, value) -> {
              if (!values.containsKey(path)) {
                int at = previous[0] == null ? 0 : order.indexOf(previous[0]) + 1;
                order.add(at, path);
              }
              values.computeIfAbsent(path, k -> new String[docs.size()])[col] = value;
              previous[0] = path;
            });
      }
      java.util.LinkedHashMap<String, String[]> rows = new java.util.LinkedHashMap<>();
      order.forEach(k -> rows.put(k, values.get(k)));
      int keyWidth = "FIELD".length();
      for (String k : rows.keySet()) {
        keyWidth = Math.max(keyWidth, k.length());
      }
      int[] widths = new int[docs.size()];
      for (int c = 0; c < widths.length; c++) {
        widths[c] = docs.get(c).path("run_id").asText().length();
        for (String[] v : rows.values()) {
          widths[c] = Math.max(widths[c], v[c] == null ? 1 : v[c].length());
        }
      }
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "%-" + keyWidth + "s", "FIELD"));
      for (int c = 0; c < widths.length; c++) {
        sb.append(
            String.format(
                Locale.ROOT, "  %-" + widths[c] + "s", docs.get(c).path("run_id").asText()));
      }
      sb.append('\n');
      for (var e : rows.entrySet()) {
        if (e.getKey().equals("run_id")) {
          continue;
        }
        sb.append(String.format(Locale.ROOT, "%-" + keyWidth + "s", e.getKey()));
        for (int c = 0; c < widths.length; c++) {
          String v = e.getValue()[c];
          sb.append(String.format(Locale.ROOT, "  %-" + widths[c] + "s", v == null ? "-" : v));
        }
        sb.append('\n');
      }
      return sb.toString();
    }

    private static void flatten(
        String prefix, JsonNode node, java.util.function.BiConsumer<String, String> out) {
      if (node.isObject()) {
        for (var f : node.properties()) {
          flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
        }
      } else if (node.isArray()) {
        List<String> parts = new java.util.ArrayList<>();
        node.forEach(n -> parts.add(scalar(n)));
        out.accept(prefix, "[" + String.join(", ", parts) + "]");
      } else if (!node.isNull()) {
        out.accept(prefix, scalar(node));
      }
    }

    private static String scalar(JsonNode n) {
      if (n.isFloatingPointNumber()) {
        double d = n.asDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e15
            ? String.valueOf((long) d)
            : String.format(Locale.ROOT, "%.4f", d);
      }
      return n.isContainerNode() ? n.toString() : n.asText();
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
