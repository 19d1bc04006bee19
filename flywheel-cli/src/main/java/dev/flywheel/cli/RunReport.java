package dev.flywheel.cli;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.pipeline.RunResult;
import java.util.Locale;
import java.util.Map;

/** The human-readable form of a run, for stdout without {@code --json}. */
final class RunReport {

  private RunReport() {}

  static String text(RunResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(Locale.ROOT, "run %s  model %s  (%s)%n", r.runId(), r.model(), r.task()));
    sb.append(
        String.format(
            Locale.ROOT,
            "data: %d rows  train %d  validation %d  test %d%n%n",
            r.dataset().rows(),
            r.dataset().splits().get("train"),
            r.dataset().splits().get("validation"),
            r.dataset().splits().get("test")));
    String metric = r.selectionMetric();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-12s %-9s %-36s %10s %8s%n",
            "CANDIDATE",
            "ALGORITHM",
            "PARAMS",
            metric,
            "SECONDS"));
    for (RunResult.LeaderboardEntry e : r.leaderboard()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-12s %-9s %-36s %10s %8.2f%n",
              e.candidate(),
              e.algorithm(),
              params(e.algorithm(), e.params()),
              num(e.validation().get(metric)),
              e.trainSeconds()));
    }
    RunResult.Selected s = r.selected();
    sb.append(
        String.format(
            Locale.ROOT, "%nselected: %s %s%n", s.candidate(), params(s.algorithm(), s.params())));
    sb.append("test:    ");
    s.test().forEach((k, v) -> sb.append(' ').append(k).append(' ').append(num(v)));
    sb.append(
        String.format(Locale.ROOT, "%n%ngate: %s%n", r.gate().passed() ? "passed" : "REFUSED"));
    for (RunResult.Check c : r.gate().checks()) {
      sb.append(
          String.format(
              Locale.ROOT, "  [%s] %s: %s%n", c.passed() ? "ok" : "no", c.name(), c.detail()));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%nmodel %s version %d %s%n",
            r.model(),
            r.modelVersion(),
            r.promoted() ? "is now in production" : "is registered but not promoted"));
    return sb.toString();
  }

  /** Only what differs from the parameter table's defaults; {@code --json} has them all. */
  private static String params(String algorithm, Map<String, Number> params) {
    Map<String, Number> shown =
        ParameterTable.nonDefault(Algorithm.fromSpecName(algorithm).orElseThrow(), params);
    return shown.isEmpty() ? "(defaults)" : shown.toString().replace(" ", "");
  }

  private static String num(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }
}
