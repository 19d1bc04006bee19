package dev.flywheel.cli;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Json;
import dev.flywheel.core.spec.MonitoringSpec;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.pipeline.monitor.Monitor;
import dev.flywheel.pipeline.monitor.MonitoringReport;
import dev.flywheel.pipeline.monitor.RetrainingStatus;
import dev.flywheel.store.Workdir;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flywheel monitor}: the monitoring reports of the production models, computed from the
 * workdir alone, exactly as a server's {@code GET /v1/models/{name}/monitoring} computes them.
 */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Report drift and live performance of the production models.",
      "",
      "Drift is PSI per input feature over the production version's latest predictions (the"
          + " spec's monitoring.drift.window), against its training data. Performance is the"
          + " spec's monitoring.performance.metric on the labels fed back for them. No server is"
          + " needed: the reports are computed from the workdir (docs/monitoring.md).",
      "",
      "Exit codes: 0 done (also when no model is in production yet), 1 --model names no model"
          + " in the registry, 4 infrastructure."
    })
final class MonitorCommand extends BaseCommand {

  @Option(names = "--model", paramLabel = "NAME", description = "Only this model.")
  String model;

  @Option(
      names = "--json",
      description =
          "Print one JSON document on stdout: an array of reports, or one report with --model.")
  boolean json;

  @Override
  int execute() throws Exception {
    try (Workdir workdir = global.openWorkdir()) {
      Monitor monitor =
          new Monitor(
              workdir.metadata(), workdir.artifacts(), workdir.predictionLog(), workdir.feedback());
      List<String> names;
      if (model != null) {
        if (workdir.metadata().versions(model).isEmpty()) {
          throw new BadInputException(
              "--model: there is no model '"
                  + model
                  + "' in the registry of "
                  + workdir.dir()
                  + "; "
                  + known(workdir)
                  + ".");
        }
        names = List.of(model);
      } else {
        names = monitor.productionModels();
      }
      List<MonitoringReport> reports = new ArrayList<>();
      for (String name : names) {
        Optional<MonitoringReport> report = monitor.report(name, RetrainingStatus.NONE);
        if (report.isEmpty()) {
          err()
              .println(
                  "flywheel: model '"
                      + name
                      + "' has no production version yet, so there is nothing to monitor."
                      + " A run promotes a version when its gate passes: flywheel run.");
        } else {
          reports.add(report.get());
        }
      }
      if (model == null && reports.isEmpty()) {
        err()
            .println(
                "flywheel: no model is in production in "
                    + workdir.dir()
                    + " yet, so there is nothing to monitor. Train and promote one with: flywheel"
                    + " run flywheel.yaml");
      }
      if (json) {
        if (model == null) {
          out().println(Json.mapper().writeValueAsString(reports));
        } else if (!reports.isEmpty()) {
          out().println(Json.mapper().writeValueAsString(reports.getFirst()));
        }
      } else {
        for (int i = 0; i < reports.size(); i++) {
          if (i > 0) {
            out().println();
          }
          MonitoringReport r = reports.get(i);
          int minimum =
              monitor
                  .settings(r.model(), r.modelVersion())
                  .map(MonitoringSpec::drift)
                  .map(d -> Monitor.minimumPredictions(d.window()))
                  .orElse(Monitor.MIN_PREDICTIONS);
          print(out(), r, minimum);
        }
      }
      out().flush();
      err().flush();
      return ExitCodes.OK;
    }
  }

  private static String known(Workdir workdir) {
    TreeSet<String> names = new TreeSet<>();
    for (ModelVersion v : workdir.metadata().versions(null)) {
      names.add(v.model());
    }
    return names.isEmpty()
        ? "the registry is empty: train a model with flywheel run, or pass the right --workdir"
        : "models: " + String.join(", ", names);
  }

  /** The readable form of one report. */
  static void print(PrintWriter out, MonitoringReport r, int minimumPredictions) {
    MonitoringReport.Drift d = r.drift();
    MonitoringReport.Performance p = r.performance();
    out.printf(
        Locale.ROOT,
        "%s v%d: %s, %s%n",
        r.model(),
        r.modelVersion(),
        d.drifted() ? "DRIFTED" : "no drift",
        p.degraded() ? "performance DEGRADED" : "performance ok");
    MonitoringReport.Window w = r.window();
    if (w.predictions() == 0) {
      out.println("  window       no predictions of this version yet");
    } else {
      out.printf(
          Locale.ROOT,
          "  window       %d predictions, %s to %s%n",
          w.predictions(),
          w.from(),
          w.to());
    }
    String verdict;
    if (w.predictions() == 0) {
      verdict = "nothing to compare yet";
    } else if (w.predictions() < minimumPredictions) {
      verdict =
          "not flagged below "
              + minimumPredictions
              + " predictions (PSI of small samples is noisy)";
    } else {
      verdict =
          d.driftedFeatures().size()
              + " of "
              + d.features().size()
              + " features drifted"
              + (d.drifted() ? ": DRIFTED" : "");
    }
    out.printf(
        Locale.ROOT,
        "  drift        %s, threshold %s: %s%n",
        d.method(),
        number(d.threshold()),
        verdict);
    if (w.predictions() > 0) {
      int width = 7;
      for (MonitoringReport.FeatureDrift f : d.features()) {
        width = Math.max(width, f.name().length());
      }
      out.printf(Locale.ROOT, "    %-" + width + "s %9s%n", "FEATURE", "PSI");
      for (MonitoringReport.FeatureDrift f : d.features()) {
        out.printf(
            Locale.ROOT,
            "    %-" + width + "s %9s%s%n",
            f.name(),
            f.psi() == null ? "-" : String.format(Locale.ROOT, "%.4f", f.psi()),
            f.drifted() ? "  drifted" : "");
      }
    }
    String performance;
    if (p.labels() == 0) {
      performance = p.metric() + ": no labels fed back for this version yet";
    } else {
      performance =
          p.metric()
              + " "
              + (p.value() == null ? "undefined" : String.format(Locale.ROOT, "%.4f", p.value()))
              + " on "
              + p.labels()
              + " labels"
              + (p.min() == null ? "" : ", min " + number(p.min()))
              + (p.degraded() ? ": DEGRADED" : "");
    }
    out.printf(Locale.ROOT, "  performance  %s%n", performance);
    RetrainingStatus t = r.retraining();
    if (t.inProgress() || t.last() != null) {
      out.printf(
          Locale.ROOT,
          "  retraining   %s%s%n",
          t.inProgress() ? "running" : "not running",
          t.last() == null
              ? ""
              : "; last "
                  + t.last().runId()
                  + " ("
                  + t.last().trigger()
                  + "), "
                  + (t.last().promoted() ? "promoted" : "not promoted"));
    }
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? String.format(Locale.ROOT, "%.1f", v)
        : String.valueOf(v);
  }
}
