package dev.flywheel.pipeline.monitor;

import java.time.Instant;
import java.util.List;

/**
 * How one served model version is doing: feature drift over its latest predictions, performance on
 * the labels fed back for them, and the state of retraining. Written with {@code Json.mapper()} it
 * is exactly the {@code GET /v1/models/{name}/monitoring} document of INTERFACES.md, and reads back
 * from it. {@link Monitor} computes reports; docs/monitoring.md says how each field is defined.
 *
 * @param model the model's name
 * @param modelVersion the version the report is about: the production one
 * @param window the predictions drift was measured on
 * @param drift PSI per input feature against the training data's reference profile
 * @param performance the monitoring metric on fed-back labels
 * @param retraining what the retraining controller reports; {@link RetrainingStatus#NONE} without
 *     one
 */
public record MonitoringReport(
    String model,
    int modelVersion,
    Window window,
    Drift drift,
    Performance performance,
    RetrainingStatus retraining) {

  /** This report with another retraining part. */
  public MonitoringReport withRetraining(RetrainingStatus status) {
    return new MonitoringReport(model, modelVersion, window, drift, performance, status);
  }

  /**
   * The predictions drift was measured on: the newest {@code monitoring.drift.window} predictions
   * of the version, or all of them when it has made fewer.
   *
   * @param predictions how many
   * @param from when the oldest of them was made, or null when there are none
   * @param to when the newest was made, or null when there are none
   */
  public record Window(int predictions, Instant from, Instant to) {}

  /**
   * Feature drift. A feature drifts when its PSI is at least {@code threshold}; the window drifts
   * when the share of drifted features is greater than the spec's {@code share}. Neither is flagged
   * while the window holds fewer than {@link Monitor#minimumPredictions(int)} predictions.
   *
   * @param method {@code psi}
   * @param threshold the PSI at which a feature drifts
   * @param drifted whether the window drifted
   * @param features one entry per input feature, in signature order
   */
  public record Drift(
      String method, double threshold, boolean drifted, List<FeatureDrift> features) {
    public Drift {
      features = List.copyOf(features);
    }

    /** The features that drifted. */
    public List<String> driftedFeatures() {
      return features.stream().filter(FeatureDrift::drifted).map(FeatureDrift::name).toList();
    }
  }

  /**
   * One feature's drift.
   *
   * @param name the input feature
   * @param psi its PSI over the window, or null when the window is empty
   * @param drifted whether it drifted
   */
  public record FeatureDrift(String name, Double psi, boolean drifted) {}

  /**
   * Live performance on fed-back labels.
   *
   * @param metric the metric's name (docs/metrics.md)
   * @param value its value on the labelled predictions, or null when there are none or the metric
   *     is undefined on them (AUC with one class present)
   * @param labels how many labelled predictions it was computed on
   * @param min the floor from the spec (a ceiling for error metrics such as rmse), or null
   * @param degraded whether there are at least {@code min_labels} labels and the value is worse
   *     than {@code min}
   */
  public record Performance(
      String metric, Double value, int labels, Double min, boolean degraded) {}
}
