package dev.flywheel.server;

import dev.flywheel.core.bundle.InputField;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.store.ModelVersion;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.List;

/**
 * One model version loaded and checked, ready to answer requests. Immutable: a promotion swaps in a
 * new instance, so a request that started on the old version finishes on it.
 */
record ServedModel(ModelVersion version, ModelBundle bundle, Meters meters) {

  /**
   * This version's metric data points, looked up once at load rather than per request.
   *
   * @param predictions {@code flywheel_predictions_total{model,version}}
   * @param latency {@code flywheel_prediction_latency_seconds{model}}
   */
  record Meters(CounterDataPoint predictions, DistributionDataPoint latency) {}

  String name() {
    return version.model();
  }

  int number() {
    return version.version();
  }

  List<InputField> inputs() {
    return bundle.manifest().inputs();
  }

  boolean classifier() {
    return !bundle.manifest().classes().isEmpty();
  }
}
