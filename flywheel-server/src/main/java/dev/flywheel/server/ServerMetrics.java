package dev.flywheel.server;

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
