package dev.flywheel.pipeline.validate;

import dev.flywheel.core.Progress;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.data.validate.DatasetProfile;
import dev.flywheel.data.validate.ValidationReport;
import dev.flywheel.data.validate.Validator;
import java.util.stream.Collectors;

/**
 * Validates a spec's collected data for a training run or {@code flywheel data validate}: the
 * spec's schema and quality gate, and the model's last dataset version from the metadata store (if
 * any) for row count and distribution changes.
 */
public final class DataValidation {

  private DataValidation() {}

  /**
   * @param raw the rows as collected
   * @param curated the rows cleaning keeps (what a dataset version holds)
   * @param metadata the store holding the previous dataset version, or null to compare with none
   */
  public static ValidationReport validate(
      PipelineSpec spec, Frame raw, Frame curated, MetadataStore metadata, Progress progress) {
    DatasetProfile.Previous previous =
        metadata == null
            ? null
            : metadata
                .lastDatasetVersion(spec.name())
                .map(v -> DatasetProfile.previous(v.version(), v.rows(), v.profile()))
                .orElse(null);
    ValidationReport report =
        Validator.validate(
            raw, curated, spec.schema(), spec.quality(), spec.clean().dedupe(), previous);
    progress.stage("validate", summary(report));
    return report;
  }

  /** One line: passed or refused, and the anomalies by kind. */
  public static String summary(ValidationReport report) {
    if (report.anomalies().isEmpty()) {
      return "no anomalies";
    }
    String kinds =
        report.anomalies().stream()
            .map(a -> a.kind() + (a.column() == null ? "" : " " + a.column()))
            .collect(Collectors.joining(", "));
    long failing = report.failures().size();
    return (failing > 0 ? "REFUSED by quality.fail_on: " : "warnings: ") + kinds;
  }

  /** The gating anomalies' messages, for a refused run's error line. */
  public static String failures(ValidationReport report) {
    return report.failures().stream()
        .map(a -> a.kind() + ": " + a.message())
        .collect(Collectors.joining("; "));
  }
}
