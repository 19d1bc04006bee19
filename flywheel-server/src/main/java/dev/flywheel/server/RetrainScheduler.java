package dev.flywheel.server;

import dev.flywheel.core.serving.FeedbackStore;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.RetrainingSpec;
import dev.flywheel.pipeline.monitor.MonitoringReport;
import dev.flywheel.pipeline.retrain.RetrainingController;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns monitoring reports into retraining runs: the server's own triggers. It listens to every
 * report and, for a model whose spec has a {@code retraining} section, submits a retrain to the
 * {@link RetrainingController} (one low-priority worker, one trigger thread, one at a time, with a
 * cooldown) when a trigger in {@code retraining.on} fires:
 *
 * <ul>
 *   <li>{@code performance}: the report says performance is degraded (enough labels, below {@code
 *       min});
 *   <li>{@code drift}: the inputs drifted, and enough labels have arrived for predictions made
 *       since the drift was first seen. Drifted inputs without their labels cannot teach a model
 *       the new relation, and the controller holds out the newest labelled rows to gate the
 *       challenger: so the trigger waits for {@code min_labels / holdout} labels of drifted
 *       traffic, enough for a holdout of {@code min_labels} and as many again to train on.
 * </ul>
 *
 * <p>Reports arrive on the monitor thread; this class only decides and submits, so it never trains
 * there.
 */
final class RetrainScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(RetrainScheduler.class);

  private final RetrainingController controller;
  private final FeedbackStore feedback;
  private final Clock clock;
  private final Map<String, Instant> driftSince = new ConcurrentHashMap<>();

  RetrainScheduler(RetrainingController controller, FeedbackStore feedback, Clock clock) {
    this.controller = controller;
    this.feedback = feedback;
    this.clock = clock;
  }

  void onReport(MonitoringReport report) {
    String model = report.model();
    String key = model + "@" + report.modelVersion();
    if (!report.drift().drifted()) {
      driftSince.remove(key);
    }
    if (report.retraining() != null && report.retraining().inProgress()) {
      return;
    }
    PipelineSpec spec;
    try {
      spec = controller.championSpec(model);
    } catch (RuntimeException e) {
      return; // no production version, or a spec without a file: nothing to retrain from
    }
    RetrainingSpec retraining = spec.retraining();
    if (retraining == null) {
      return;
    }
    if (retraining.on().contains("performance") && report.performance().degraded()) {
      submit(model, "performance");
      return;
    }
    if (retraining.on().contains("drift") && report.drift().drifted()) {
      Instant since = driftSince.computeIfAbsent(key, k -> clock.instant());
      int needed =
          (int)
              Math.ceil(
                  spec.monitoring().performance().minLabels()
                      / Math.max(0.01, retraining.holdout()));
      int labels = feedback.labelled(model, report.modelVersion(), since, needed).size();
      if (labels >= needed) {
        submit(model, "drift");
      } else {
        LOG.debug(
            "{}: drift seen; {} of {} labels of drifted traffic so far", model, labels, needed);
      }
    }
  }

  private void submit(String model, String trigger) {
    if (controller.submit(model, trigger)) {
      LOG.info("{}: retraining started by the {} trigger", model, trigger);
    }
  }
}
