package dev.flywheel.core.spec;

import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Task;

/**
 * How the winning candidate is chosen and gated.
 *
 * @param metric the selection metric, or null for the task's default (resolved once the number of
 *     classes is known)
 * @param min an absolute floor for metrics where higher is better, or null
 * @param max an absolute ceiling for error metrics, or null
 * @param vsProduction the non-inferiority test against the production version
 * @param threshold how a binary classifier's decision threshold is chosen, or null when the spec
 *     does not say (then {@link ThresholdSpec#DEFAULT}); an explicit one is an error for a target
 *     with more than two classes
 */
public record SelectionSpec(
    Metric metric, Double min, Double max, VsProduction vsProduction, ThresholdSpec threshold) {

  public static final SelectionSpec DEFAULT =
      new SelectionSpec(null, null, null, VsProduction.DEFAULT, null);

  /** A selection without a threshold section. */
  public SelectionSpec(Metric metric, Double min, Double max, VsProduction vsProduction) {
    this(metric, min, max, vsProduction, null);
  }

  /** The threshold method to use: the spec's, or the default (maximise accuracy). */
  public ThresholdSpec thresholdOrDefault() {
    return threshold != null ? threshold : ThresholdSpec.DEFAULT;
  }

  /** The metric to select on, given the task and the number of classes. */
  public Metric metricFor(Task task, int classes) {
    return metric != null ? metric : Metric.defaultFor(task, classes);
  }

  /**
   * The paired-bootstrap non-inferiority test. A challenger passes when the lower bound of the
   * {@code confidence} interval for its improvement over production is at least {@code -tolerance}.
   */
  public record VsProduction(double tolerance, double confidence, int resamples, long seed) {
    public static final VsProduction DEFAULT = new VsProduction(0.005, 0.95, 1000, 42);
  }
}
