package dev.flywheel.cli;

import dev.flywheel.data.validate.Anomaly;
import dev.flywheel.data.validate.ValidationReport;
import java.util.Locale;
import java.util.stream.Collectors;

/** The human-readable form of a validation report, for stdout without {@code --json}. */
final class ValidationText {

  private ValidationText() {}

  /** The anomalies as a table, each followed by its message and examples. */
  static String anomalies(ValidationReport report) {
    StringBuilder sb = new StringBuilder();
    if (report.anomalies().isEmpty()) {
      return "no anomalies\n";
    }
    String format = "%-20s %-24s %10s  %s%n";
    sb.append(String.format(Locale.ROOT, format, "ANOMALY", "COLUMN", "COUNT", "GATE"));
    for (Anomaly a : report.anomalies()) {
      sb.append(
          String.format(
              Locale.ROOT,
              format,
              a.kind(),
              a.column() == null ? "-" : a.column(),
              a.count(),
              a.failsGate() ? "FAILS" : "warning"));
      sb.append("    ").append(a.message()).append('\n');
      if (!a.examples().isEmpty()) {
        sb.append("    e.g. ")
            .append(
                a.examples().stream()
                    .map(
                        e ->
                            (e.row() == null ? "" : "row " + e.row())
                                + (e.row() != null && e.value() != null ? ": " : "")
                                + (e.value() == null
                                    ? (e.row() == null ? "" : " (missing)")
                                    : e.value()))
                    .collect(Collectors.joining("; ")))
            .append('\n');
      }
    }
    return sb.toString();
  }

  /** The verdict line. */
  static String verdict(ValidationReport report) {
    long failing = report.failures().size();
    long warnings = report.anomalies().size() - failing;
    if (failing > 0) {
      return String.format(
          Locale.ROOT,
          "quality gate: REFUSED (%d anomal%s in quality.fail_on, %d warning%s)%n",
          failing,
          failing == 1 ? "y" : "ies",
          warnings,
          warnings == 1 ? "" : "s");
    }
    return String.format(
        Locale.ROOT, "quality gate: passed (%d warning%s)%n", warnings, warnings == 1 ? "" : "s");
  }
}
