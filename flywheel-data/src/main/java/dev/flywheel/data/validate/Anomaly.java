package dev.flywheel.data.validate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One finding of a validation report (docs/spec.md, "Validation").
 *
 * @param column the column, or null for findings about whole rows or the whole data set
 * @param kind the anomaly kind's spec name ({@code dev.flywheel.core.schema.AnomalyKind})
 * @param count how many values, rows or columns are affected (for {@code distribution_change}: the
 *     rows compared)
 * @param examples up to {@link #MAX_EXAMPLES} examples
 * @param message what is wrong and how to fix it, for people
 * @param statistic the measured figure where there is one: the null rate, the relative row change,
 *     the PSI; else null
 * @param failsGate whether {@code quality.fail_on} names this kind, so that it stops a run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Anomaly(
    String column,
    String kind,
    long count,
    List<Example> examples,
    String message,
    Double statistic,
    boolean failsGate) {

  /** Examples kept per anomaly. */
  public static final int MAX_EXAMPLES = 5;

  public Anomaly {
    examples = List.copyOf(examples);
  }

  /**
   * An example: a 1-based row of the collected data (the Nth record read; for a CSV with a header
   * row, file line N + 1) and the value there, either of which may be null.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Example(Long row, String value) {}
}
