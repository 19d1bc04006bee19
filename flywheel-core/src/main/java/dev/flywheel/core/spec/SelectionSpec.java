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

  /** The threshold method to use: the spec's, or the default (maximise accuracy). */
  public ThresholdSpec thresholdOrDefault() {
    return threshold != null ? threshold : ThresholdSpec.DEFAULT;
  }

  /** The metric to select on, given the task and the number of classes. */
  public Metric metricFor(Task task, int classes) {
    return metric != null ? metric : Metric.defaultFor(task, classes);
  }

  /**
   * The non-inferiority test against production. A challenger passes when it is shown to be at most
   * {@code tolerance} worse than production at the given {@code confidence} (docs/spec.md, "The
   * production gate"). {@code resamples} and {@code seed} apply to the paired bootstrap only.
   *
   * @param test which statistical test decides
   */
  public record VsProduction(
      double tolerance, double confidence, int resamples, long seed, GateTest test) {
    public static final VsProduction DEFAULT =
        new VsProduction(0.005, 0.95, 1000, 42, GateTest.PAIRED_BOOTSTRAP);

    /** The paired bootstrap, the default test. */
    public VsProduction(double tolerance, double confidence, int resamples, long seed) {
      this(tolerance, confidence, resamples, seed, GateTest.PAIRED_BOOTSTRAP);
    }
  }

  /**
   * The statistical test of {@code selection.vs_production.test}.
   *
   * <ul>
   *   <li>{@link #PAIRED_BOOTSTRAP}: any metric; the percentile interval of the improvement.
   *   <li>{@link #MCNEMAR}: classification; compares accuracy through the rows where exactly one of
   *       the two models is right.
   *   <li>{@link #DELONG}: binary classification; compares ROC AUC with DeLong's paired variance.
   * </ul>
   */
  public enum GateTest {
    PAIRED_BOOTSTRAP("paired_bootstrap"),
    MCNEMAR("mcnemar"),
    DELONG("delong");

    private final String specName;

    GateTest(String specName) {
      this.specName = specName;
    }

    public String specName() {
      return specName;
    }
  }
}
