package dev.flywheel.cli;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.ml.metrics.ConfusionMatrix;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.pipeline.TrainingRunner;
import java.util.Locale;
import java.util.Map;

/** The human-readable form of a run, for stdout without {@code --json}. */
final class RunReport {

  private RunReport() {}

  static String text(RunResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "run %s  model %s  (%s)%s%n",
            r.runId(),
            r.model(),
            r.task(),
            r.retraining() == null ? "" : "  retraining, trigger " + r.retraining().trigger()));
    if (r.tags() != null) {
      sb.append("tags: ");
      sb.append(
          r.tags().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(java.util.stream.Collectors.joining(" ")));
      sb.append('\n');
    }
    if (TrainingRunner.REJECTED.equals(r.status())) {
      sb.append(
          String.format(
              Locale.ROOT,
              "data: %d rows after cleaning  hash %s%n%n",
              r.dataset().rows(),
              r.dataset().hash()));
      sb.append(ValidationText.anomalies(r.validation()));
      sb.append(ValidationText.verdict(r.validation()));
      if (r.retraining() != null) {
        retraining(sb, r);
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%nthe data quality gate refused the run: no model version and no dataset version"
                  + " was written%n"));
      return sb.toString();
    }
    if (r.dataset() == null) {
      // A skipped retrain trained nothing: only its reason and the rows it counted.
      retraining(sb, r);
      sb.append(String.format(Locale.ROOT, "%nno model was trained%n"));
      return sb.toString();
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "data: %d rows  train %d  validation %d  test %d%n",
            r.dataset().rows(),
            r.dataset().splits().get("train"),
            r.dataset().splits().get("validation"),
            r.dataset().splits().get("test")));
    if (r.datasetVersions() != null) {
      for (RunResult.DatasetVersionRef v : r.datasetVersions()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "dataset version %d of %s (%s, %d rows)%n",
                v.version(),
                v.model(),
                v.reused() ? "unchanged, reused" : "new",
                v.rows()));
      }
    }
    if (r.validation() != null && !r.validation().anomalies().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%ndata warnings:%n"));
      sb.append(ValidationText.anomalies(r.validation()));
    }
    sb.append(String.format(Locale.ROOT, "%n"));
    String metric = r.selectionMetric();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-12s %-9s %-36s %18s %8s %10s %10s %8s%n",
            "CANDIDATE",
            "ALGORITHM",
            "PARAMS",
            metric,
            "SECONDS",
            "SIZE",
            "PREDICT_US",
            "FEATURES"));
    for (RunResult.LeaderboardEntry e : r.leaderboard()) {
      Double sd = e.validationSd() == null ? null : e.validationSd().get(metric);
      sb.append(
          String.format(
              Locale.ROOT,
              "%-12s %-9s %-36s %18s %8.2f %10s %10s %8s%n",
              e.candidate(),
              e.algorithm(),
              params(e.algorithm(), e.params()),
              num(e.validation().get(metric)) + (sd == null ? "" : " ± " + num(sd)),
              e.trainSeconds(),
              e.modelBytes() == null ? "-" : bytes(e.modelBytes()),
              e.predictUs() == null ? "-" : String.format(Locale.ROOT, "%.1f", e.predictUs()),
              e.features() == null ? "-" : e.features()));
    }
    RunResult.Selected s = r.selected();
    sb.append(
        String.format(
            Locale.ROOT, "%nselected: %s %s%n", s.candidate(), params(s.algorithm(), s.params())));
    if (s.features() != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "features: %d selected: %s%n",
              s.features().size(),
              String.join(", ", s.features())));
    }
    if (s.threshold() != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "threshold: %s on P(positive), by %s on validation%n",
              num(s.threshold()),
              s.thresholdMethod()));
    }
    sb.append("test:    ");
    s.test().forEach((k, v) -> sb.append(' ').append(k).append(' ').append(num(v)));
    if (s.testDetails() != null) {
      confusionMatrix(sb, s.testDetails().confusionMatrix());
    }
    sb.append(
        String.format(Locale.ROOT, "%n%ngate: %s%n", r.gate().passed() ? "passed" : "REFUSED"));
    for (RunResult.Check c : r.gate().checks()) {
      sb.append(
          String.format(
              Locale.ROOT, "  [%s] %s: %s%n", c.passed() ? "ok" : "no", c.name(), c.detail()));
    }
    RunResult.Evidence ev = r.gate().evidence();
    if (ev != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  evidence: %s on %s %s rows: %s %s vs production v%d %s; %.0f%% interval [%s, %s]%s;"
                  + " tolerance %s: %s%n",
              ev.test(),
              ev.rows(),
              ev.computedOn(),
              ev.metric(),
              num(ev.challenger()),
              ev.productionVersion(),
              num(ev.production()),
              ev.confidence() * 100,
              num(ev.interval().get(0)),
              num(ev.interval().get(1)),
              ev.alpha() == null
                  ? ""
                  : ", p "
                      + (ev.pValue() == null ? "undefined" : num(ev.pValue()))
                      + " (needs ≤ "
                      + num(ev.alpha())
                      + ")",
              num(ev.tolerance()),
              ev.verdict()));
    }
    if (r.retraining() != null) {
      retraining(sb, r);
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%nmodel %s version %d %s%n",
            r.model(),
            r.modelVersion(),
            r.promoted() ? "is now in production" : "is registered but not promoted"));
    if (r.artifacts() != null) {
      r.artifacts()
          .forEach((role, k) -> sb.append(String.format(Locale.ROOT, "%s: %s%n", role, k)));
    }
    return sb.toString();
  }

  /** The retraining section: trigger, data, holdout, scores, interval, verdict and outcome. */
  private static void retraining(StringBuilder sb, RunResult r) {
    RunResult.Retraining t = r.retraining();
    sb.append(
        String.format(
            Locale.ROOT,
            "%nretraining: trigger %s, champion v%s (%s)%n",
            t.trigger(),
            t.championVersion(),
            t.championFeedbackUntil() == null
                ? "trained on no production rows"
                : "trained on production rows predicted up to " + t.championFeedbackUntil()));
    RunResult.RetrainingData d = t.data();
    if (d != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  data:     %d source rows + %d labelled production rows%s%n",
              d.sourceRows(),
              d.feedbackRows(),
              d.includeFeedback() ? "" : " (include_feedback is false)"));
      sb.append(
          String.format(
              Locale.ROOT,
              "            of %d labelled rows: %d unusable, %d left out as copies of holdout rows,"
                  + " %d values read as missing%n",
              d.labelledRows(),
              d.unusableRows(),
              d.feedbackExcludedAsHoldoutCopies(),
              d.missingValues()));
    }
    RunResult.HoldoutRows h = t.holdout();
    if (h != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  holdout:  %d rows%s (needs %d: the larger of %s%% of labelled rows and min_labels"
                  + " %d; %d eligible)%n",
              h.rows(),
              h.from() == null ? "" : " predicted " + h.from() + " to " + h.to(),
              h.needed(),
              new java.math.BigDecimal(h.share() * 100)
                  .setScale(2, java.math.RoundingMode.HALF_UP)
                  .stripTrailingZeros()
                  .toPlainString(),
              h.minLabels(),
              h.eligible()));
    }
    RunResult.Comparison c = t.comparison();
    if (c != null) {
      RunResult.Evidence e = r.gate() == null ? null : r.gate().evidence();
      sb.append(
          String.format(
              Locale.ROOT,
              "  scores:   %s on the holdout: challenger %s, champion %s; improvement %s%n",
              c.metric(),
              num(c.challenger()),
              num(c.champion()),
              num(c.improvement())));
      sb.append(
          String.format(
              Locale.ROOT,
              "  interval: %s[%s, %s]; needs lower bound ≥ -%s: verdict %s%n",
              e == null ? "" : String.format(Locale.ROOT, "%.0f%% ", e.confidence() * 100),
              num(c.interval().get(0)),
              num(c.interval().get(1)),
              num(c.tolerance()),
              c.verdict()));
    }
    if (t.feedbackUntil() != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  the challenger's data has production rows predicted up to %s%n",
              t.feedbackUntil()));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "  outcome:  %s%s%n",
            t.outcome().replace('_', ' '),
            t.reason() == null ? "" : ": " + t.reason()));
  }

  /** The test confusion matrix, truth by row; {@code --json} also has the calibration curve. */
  private static void confusionMatrix(StringBuilder sb, ConfusionMatrix cm) {
    int width = 9;
    for (String label : cm.labels()) {
      width = Math.max(width, label.length() + 1);
    }
    String cell = "%" + width + "s";
    sb.append(
        String.format(
            Locale.ROOT, "%n%nconfusion matrix on test (rows: truth, columns: predicted)%n"));
    sb.append(String.format(Locale.ROOT, cell, ""));
    for (String label : cm.labels()) {
      sb.append(String.format(Locale.ROOT, cell, label));
    }
    int[][] counts = cm.counts();
    for (int i = 0; i < counts.length; i++) {
      sb.append(String.format(Locale.ROOT, "%n" + cell, cm.labels().get(i)));
      for (int c : counts[i]) {
        sb.append(String.format(Locale.ROOT, cell, c));
      }
    }
  }

  /** Only what differs from the parameter table's defaults; {@code --json} has them all. */
  private static String params(String algorithm, Map<String, Number> params) {
    Map<String, Number> shown =
        ParameterTable.nonDefault(Algorithm.fromSpecName(algorithm).orElseThrow(), params);
    return shown.isEmpty() ? "(defaults)" : shown.toString().replace(" ", "");
  }

  /** Bytes in B, kB or MB (powers of 1000), three significant figures at most. */
  static String bytes(long n) {
    if (n < 1000) {
      return n + " B";
    }
    if (n < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f kB", n / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
  }

  private static String num(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }
}
