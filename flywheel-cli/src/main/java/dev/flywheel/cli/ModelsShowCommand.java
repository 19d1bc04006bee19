package dev.flywheel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Json;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.FeatureImportance;
import dev.flywheel.core.bundle.InputField;
import dev.flywheel.core.bundle.Manifest;
import dev.flywheel.core.model.DecisionRule;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.ml.Trainers;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.store.Workdir;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flywheel models show NAME}: one model version as its bundle describes it (algorithm,
 * parameters, metrics, decision threshold, input signature, feature importances) with its registry
 * facts (run, aliases, creation time). The bundle is read and verified, so what is shown is what
 * the server would load.
 */
@Command(
    name = "show",
    description = {
      "Show one model version: run, aliases, algorithm, parameters, metrics, decision threshold,"
          + " input signature, feature importances, lineage (run, data hash, training rows,"
          + " feedback_until) and the gate of the run that made it, with its statistical evidence.",
      "",
      "Without --version, the production version, or the newest version when none is in"
          + " production."
    })
final class ModelsShowCommand extends BaseCommand {

  /** Per-feature rows shown in the table; --json has them all. */
  static final int FEATURE_ROWS = 20;

  // No mixinStandardHelpOptions: its -V/--version (print Flywheel's version) would clash with
  // --version V, the model version; the top-level command prints Flywheel's.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "NAME", description = "The model's name.")
  String name;

  @Option(
      names = "--version",
      paramLabel = "V",
      description = "The version number (default: production, else the newest).")
  Integer version;

  @Option(names = "--json", description = "Print one JSON document on stdout.")
  boolean json;

  @Override
  int execute() throws Exception {
    try (Workdir workdir = global.openWorkdir()) {
      MetadataStore metadata = workdir.metadata();
      List<ModelVersion> versions = metadata.versions(name);
      if (versions.isEmpty()) {
        TreeSet<String> models = new TreeSet<>();
        metadata.versions(null).forEach(v -> models.add(v.model()));
        throw new BadInputException(
            "NAME: there is no model '"
                + name
                + "' in "
                + workdir.dir()
                + (models.isEmpty()
                    ? "; it has no models yet. Train one with: flywheel run flywheel.yaml"
                    : "; models there: " + String.join(", ", models)));
      }
      ModelVersion v;
      if (version != null) {
        v =
            versions.stream()
                .filter(x -> x.version() == version)
                .findFirst()
                .orElseThrow(
                    () ->
                        new BadInputException(
                            "--version: model '"
                                + name
                                + "' has no version "
                                + version
                                + "; its versions: "
                                + versions.stream()
                                    .map(x -> String.valueOf(x.version()))
                                    .collect(Collectors.joining(", "))));
      } else {
        v =
            metadata
                .alias(name, MetadataStore.PRODUCTION)
                .orElse(versions.get(versions.size() - 1));
      }
      String where = workdir.artifacts().describe(v.bundleKey());
      Manifest m =
          BundleIO.read(workdir.artifacts().get(v.bundleKey()), where, Trainers.LOADER).manifest();
      RunResult.Gate gate = gate(metadata, v.runId());
      if (json) {
        ObjectNode doc = document(v, m, where);
        doc.set("lineage", Json.mapper().valueToTree(m.lineage()));
        // The run that made this version: its gate checks and statistical evidence.
        doc.set("gate", gate == null ? null : Json.mapper().valueToTree(gate));
        out().println(Json.mapper().writeValueAsString(doc));
      } else {
        out().print(table(v, m));
        out().print(lineageAndGate(m, gate));
      }
      out().flush();
      return ExitCodes.OK;
    }
  }

  /** The gate of the run that registered the version, or null when its result lacks one. */
  private static RunResult.Gate gate(MetadataStore metadata, String runId) {
    return metadata
        .run(runId)
        .map(RunRecord::resultJson)
        .filter(j -> j != null && j.contains("\"gate\""))
        .map(j -> RunResult.fromJson(j).gate())
        .orElse(null);
  }

  static String lineageAndGate(Manifest m, RunResult.Gate gate) {
    StringBuilder sb = new StringBuilder();
    var l = m.lineage();
    sb.append(
        String.format(
            Locale.ROOT,
            "%nlineage:    run %s, data %s, %d training rows, split %s seed %d%s%n",
            l.runId(),
            l.dataHash(),
            l.trainRows(),
            l.split() == null ? "-" : l.split().method(),
            l.split() == null ? 0 : l.split().seed(),
            l.feedbackUntil() == null
                ? ""
                : ", production rows predicted up to " + l.feedbackUntil()));
    if (gate != null) {
      sb.append(
          String.format(Locale.ROOT, "gate:       %s%n", gate.passed() ? "passed" : "refused"));
      for (RunResult.Check c : gate.checks()) {
        sb.append(
            String.format(
                Locale.ROOT, "  [%s] %s: %s%n", c.passed() ? "ok" : "no", c.name(), c.detail()));
      }
    }
    return sb.toString();
  }

  /** The threshold a binary classifier serves with (0.5 for bundles that record none), or null. */
  private static Double threshold(Manifest m) {
    DecisionRule rule = m.decisionRule();
    return rule.binary() ? rule.threshold() : null;
  }

  static ObjectNode document(ModelVersion v, Manifest m, String bundle) {
    var json = Json.mapper();
    ObjectNode o = json.createObjectNode();
    o.put("model", v.model());
    o.put("version", v.version());
    o.set("aliases", json.valueToTree(v.aliases()));
    o.put("run_id", v.runId());
    o.put("created_at", v.createdAt().toString());
    o.put("task", m.task().specName());
    o.put("target", m.target());
    o.put("algorithm", m.algorithm().specName());
    o.put("candidate", m.candidate());
    o.set("params", json.valueToTree(m.params()));
    o.set("classes", json.valueToTree(m.classes()));
    if (m.positive() != null) {
      o.put("positive", m.positive());
    }
    Double threshold = threshold(m);
    if (threshold != null) {
      o.put("threshold", threshold);
    }
    o.set("metrics", json.valueToTree(m.metrics()));
    o.set("inputs", json.valueToTree(m.inputs()));
    o.set("importance", m.importance() == null ? null : json.valueToTree(m.importance()));
    o.put("data_hash", v.dataHash());
    o.put("bundle", bundle);
    return o;
  }

  static String table(ModelVersion v, Manifest m) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "model:      %s version %d%s%n",
            v.model(),
            v.version(),
            v.aliases().isEmpty() ? "" : " (" + String.join(", ", v.aliases()) + ")"));
    sb.append(
        String.format(
            Locale.ROOT,
            "run:        %s, registered %s%n",
            v.runId(),
            v.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    sb.append(
        String.format(
            Locale.ROOT,
            "task:       %s of %s%s%n",
            m.task().specName(),
            m.target(),
            m.classes().isEmpty()
                ? ""
                : ", classes "
                    + String.join(", ", m.classes())
                    + (m.positive() == null ? "" : " (positive " + m.positive() + ")")));
    Map<String, Number> nonDefault = ParameterTable.nonDefault(m.algorithm(), m.params());
    sb.append(
        String.format(
            Locale.ROOT,
            "algorithm:  %s (candidate %s)%s%n",
            m.algorithm().specName(),
            m.candidate(),
            nonDefault.isEmpty() ? "" : " " + nonDefault));
    sb.append(String.format(Locale.ROOT, "params:     %s%n", m.params()));
    Double threshold = threshold(m);
    if (threshold != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "threshold:  %s: label %s when P(%s) ≥ it%s%n",
              num(threshold),
              m.positive(),
              m.positive(),
              m.threshold() == null ? " (the bundle records none: 0.5)" : ""));
    }
    for (var e : m.metrics().entrySet()) {
      sb.append(String.format(Locale.ROOT, "%-11s ", e.getKey() + ":"));
      sb.append(
          e.getValue().entrySet().stream()
              .map(x -> x.getKey() + " " + num(x.getValue()))
              .collect(Collectors.joining("  ")));
      sb.append('\n');
    }
    sb.append(String.format(Locale.ROOT, "%ninputs (%d):%n", m.inputs().size()));
    for (InputField f : m.inputs()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-24s %-12s %s%n",
              f.name(),
              f.type(),
              f.categories().isEmpty() ? "" : String.join("|", f.categories())));
    }
    importance(sb, m.importance());
    return sb.toString();
  }

  private static void importance(StringBuilder sb, FeatureImportance imp) {
    if (imp == null) {
      sb.append(String.format(Locale.ROOT, "%nimportance: not recorded in this bundle%n"));
      return;
    }
    FeatureImportance.Permutation p = imp.permutation();
    FeatureImportance.ModelBased mb = imp.model();
    Map<String, Double> own = new HashMap<>();
    if (mb != null) {
      mb.columns().forEach(c -> own.put(c.name(), c.value()));
    }
    sb.append('\n');
    if (p != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "importance per input column: drop of %s on validation when the column is shuffled"
                  + " (%d repeats, %d rows, seed %d)%s%n",
              p.metric(),
              p.repeats(),
              p.rows(),
              p.seed(),
              mb == null ? "" : "; " + mb.method() + " summed over the column's features"));
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-24s %10s %10s%s%n",
              "COLUMN",
              "DROP",
              "±STD",
              mb == null
                  ? ""
                  : String.format(Locale.ROOT, " %12s", mb.method().toUpperCase(Locale.ROOT))));
      for (FeatureImportance.Drop d : p.columns()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-24s %10s %10s%s%n",
                d.name(),
                num(d.mean()),
                num(d.std()),
                mb == null ? "" : String.format(Locale.ROOT, " %12s", num(own.get(d.name())))));
      }
    }
    if (mb != null) {
      String what =
          mb.method().equals("coefficient")
              ? "coefficient per model input, on the standardised scale (per standard deviation)"
              : mb.method() + " per model input";
      sb.append(String.format(Locale.ROOT, "%n%s:%n", what));
      List<FeatureImportance.Feature> sorted =
          mb.features().stream()
              .sorted(
                  java.util.Comparator.comparingDouble(
                          (FeatureImportance.Feature f) -> Math.abs(f.value()))
                      .reversed())
              .toList();
      for (FeatureImportance.Feature f : sorted.subList(0, Math.min(FEATURE_ROWS, sorted.size()))) {
        sb.append(String.format(Locale.ROOT, "  %-36s %12s%n", f.name(), num(f.value())));
      }
      if (sorted.size() > FEATURE_ROWS) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  … and %d more (all of them with --json)%n",
                sorted.size() - FEATURE_ROWS));
      }
    }
  }

  private static String num(Double v) {
    if (v == null) {
      return "-";
    }
    double a = Math.abs(v);
    return a != 0 && (a >= 1e6 || a < 1e-3)
        ? String.format(Locale.ROOT, "%.3e", v)
        : String.format(Locale.ROOT, "%.4f", v);
  }
}
