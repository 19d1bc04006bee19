package dev.flywheel.core.spec;

import dev.flywheel.core.metrics.Metric;

/** How a served model is watched: feature drift by PSI, and performance on fed-back labels. */
public record MonitoringSpec(Drift drift, Performance performance) {

  public static final MonitoringSpec DEFAULT =
      new MonitoringSpec(Drift.DEFAULT, Performance.DEFAULT);

  /** PSI drift over the last {@code window} predictions (see INTERFACES.md for the bins). */
  public record Drift(String method, double threshold, int window, double share) {
    public static final Drift DEFAULT = new Drift("psi", 0.2, 1000, 0.0);
  }

  /** Live performance once at least {@code minLabels} labels have arrived. */
  public record Performance(Metric metric, Double min, int minLabels) {
    public static final Performance DEFAULT = new Performance(Metric.ACCURACY, null, 200);
  }
}
