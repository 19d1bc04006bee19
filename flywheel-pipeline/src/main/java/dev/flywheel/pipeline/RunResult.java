package dev.flywheel.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flywheel.core.Json;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a training run: the {@code flywheel run --json} document of INTERFACES.md. Field
 * names are written in snake case.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(
    String runId,
    String model,
    String task,
    String status,
    Dataset dataset,
    String selectionMetric,
    List<LeaderboardEntry> leaderboard,
    Selected selected,
    Gate gate,
    Integer modelVersion,
    boolean promoted) {

  /** The data the run used. */
  public record Dataset(
      int rows, String hash, Map<String, Integer> splits, int missingTarget, int duplicates) {}

  /** One trained candidate and parameter set, scored on validation. */
  public record LeaderboardEntry(
      String candidate,
      String algorithm,
      Map<String, Number> params,
      Map<String, Double> validation,
      double trainSeconds) {}

  /** The winner on validation, with its test scores. */
  public record Selected(
      String candidate,
      String algorithm,
      Map<String, Number> params,
      Map<String, Double> validation,
      Map<String, Double> test) {}

  /** The promotion gate: every check, and the statistical evidence against production. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Gate(boolean passed, List<Check> checks, Evidence evidence) {}

  /** One gate check. */
  public record Check(String name, boolean passed, String detail) {}

  /**
   * The paired-bootstrap comparison with production.
   *
   * @param test always {@code paired_bootstrap} for now
   * @param metric the metric compared
   * @param challenger the challenger's score on the gate rows
   * @param production production's score on the gate rows
   * @param productionVersion the version compared against
   * @param improvement challenger minus production, oriented so positive is better
   * @param interval the lower and upper bounds of the interval for the improvement
   * @param confidence the interval's confidence
   * @param resamples the bootstrap resamples
   * @param rows the rows both were scored on
   * @param tolerance how much worse the challenger may be
   * @param verdict {@code pass} or {@code fail}
   */
  public record Evidence(
      String test,
      String metric,
      double challenger,
      double production,
      int productionVersion,
      double improvement,
      List<Double> interval,
      double confidence,
      int resamples,
      int rows,
      double tolerance,
      String verdict) {}

  public String toJson() {
    try {
      return Json.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
