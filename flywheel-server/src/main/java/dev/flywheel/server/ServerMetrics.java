package dev.flywheel.server;

import dev.flywheel.pipeline.monitor.MonitoringReport;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics (names in INTERFACES.md), with classic histograms: the Prometheus
 * Java client costs 30–120 ns per observation here.
 */
final class ServerMetrics {

  static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  final Counter predictions =
      Counter.builder()
          .name("flywheel_predictions_total")
          .help("Predictions answered, by model and version.")
          .labelNames("model", "version")
          .register(registry);

  final Histogram latency =
      Histogram.builder()
          .name("flywheel_prediction_latency_seconds")
          .help("Time from request parsed to response ready, per predict or infer request.")
          .classicOnly()
          .classicUpperBounds(
              0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
          .labelNames("model")
          .register(registry);

  final Counter feedback =
      Counter.builder()
          .name("flywheel_feedback_total")
          .help("Feedback labels received, by model and outcome (accepted, duplicate, unknown).")
          .labelNames("model", "outcome")
          .register(registry);

  final Gauge modelVersion =
      Gauge.builder()
          .name("flywheel_model_version")
          .help("The version being served, by model.")
          .labelNames("model")
          .register(registry);

  final Gauge driftPsi =
      Gauge.builder()
          .name("flywheel_drift_psi")
          .help(
              "PSI of each input feature over the production version's latest predictions,"
                  + " against its training data (docs/monitoring.md).")
          .labelNames("model", "feature")
          .register(registry);

  /** The features each model has drift data points for. */
  private final Map<String, Set<String>> driftFeatures = new HashMap<>(); // guarded by this

  final Counter errors =
      Counter.builder()
          .name("flywheel_http_errors_total")
          .help("Error responses, by status code.")
          .labelNames("status")
          .register(registry);

  ServerMetrics(IntSupplier logPending) {
    GaugeWithCallback.builder()
        .name("flywheel_prediction_log_pending")
        .help("Predictions queued for the log but not yet written.")
        .callback(cb -> cb.call(logPending.getAsInt()))
        .register(registry);
  }

  /** The data points one served version updates on every request. */
  ServedModel.Meters meters(String model, int version) {
    return new ServedModel.Meters(
        predictions.labelValues(model, Integer.toString(version)), latency.labelValues(model));
  }

  /**
   * Sets {@code flywheel_drift_psi} for every feature of a report. A feature without PSI (an empty
   * window) or no longer an input of the served version loses its data point, rather than showing a
   * stale value.
   */
  synchronized void drift(MonitoringReport report) {
    Set<String> before = driftFeatures.getOrDefault(report.model(), Set.of());
    Set<String> now = new HashSet<>();
    for (MonitoringReport.FeatureDrift f : report.drift().features()) {
      if (f.psi() != null) {
        driftPsi.labelValues(report.model(), f.name()).set(f.psi());
        now.add(f.name());
      }
    }
    for (String gone : before) {
      if (!now.contains(gone)) {
        driftPsi.remove(report.model(), gone);
      }
    }
    driftFeatures.put(report.model(), now);
  }

  /** Removes a model's drift data points: it is not served any more. */
  synchronized void forgetDrift(String model) {
    for (String feature : driftFeatures.getOrDefault(model, Set.of())) {
      driftPsi.remove(model, feature);
    }
    driftFeatures.remove(model);
  }

  String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
