package dev.flywheel.data.validate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The validation report of one data set against a spec's schema and quality gate, in the shape of
 * {@code flywheel data validate --json} and of {@code validation} in {@code flywheel run --json}.
 *
 * @param passed false when an anomaly of a kind in {@code quality.fail_on} was found
 * @param rows the rows validated (as collected, before cleaning)
 * @param columns every column with its inferred and declared type
 * @param anomalies every anomaly, gating or not
 * @param failOn the gating kinds
 * @param previousVersion the dataset version compared against for row count and distribution
 *     changes, or null when there was none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationReport(
    boolean passed,
    long rows,
    List<ColumnSummary> columns,
    List<Anomaly> anomalies,
    List<String> failOn,
    Integer previousVersion) {

  public ValidationReport {
    columns = List.copyOf(columns);
    anomalies = List.copyOf(anomalies);
    failOn = List.copyOf(failOn);
  }

  /**
   * One column of the data.
   *
   * @param name the column
   * @param type its inferred logical type
   * @param declared the type declared in {@code schema.columns}, or null
   * @param nulls its missing values
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ColumnSummary(String name, String type, String declared, long nulls) {}

  /** The anomalies that stop a run. */
  public List<Anomaly> failures() {
    return anomalies.stream().filter(Anomaly::failsGate).toList();
  }
}
