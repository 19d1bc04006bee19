package dev.flywheel.server;

import dev.flywheel.core.serving.FeedbackStore;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.RetrainingSpec;
import dev.flywheel.pipeline.monitor.MonitoringReport;
import dev.flywheel.pipeline.retrain.RetrainingController;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns monitoring reports into retraining runs: the server's own triggers. It listens to every
 * report and, for a model whose spec has a {@code retraining} section, submits a retrain to the
 * {@link RetrainingController} (one low-priority worker, one at a time, with a cooldown) when a
 * trigger in {@code retraining.on} fires:
 *
 * <ul>
 *   <li>{@code drift} arms when the report says the inputs drifted;
 *   <li>{@code performance} arms when it says performance is degraded (enough labels, worse than
 *       {@code min}).
 * </ul>
 *
 * An armed trigger fires once {@code min_labels / holdout} labels have arrived for predictions made
 * since it armed. Retraining the moment a problem shows would train on data from before it: the
 * labels of the changed traffic are what teach a model the new relation, and the controller holds
 * out the newest labelled rows to gate the challenger. Waiting for that many gives a holdout of at
 * least {@code min_labels} changed rows and as many again to train on. A trigger disarms when its
 * condition clears or the version changes.
 *
 * <p>Reports arrive on the monitor thread; this class only decides and submits, so it never trains
 * there.
 */
final class RetrainScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(RetrainScheduler.class);

  private final RetrainingController controller;
  private final FeedbackStore feedback;
  private final Clock clock;

  /** When each trigger armed, by {@code model@version/trigger}. */
  private final Map<String, Instant> armed = new ConcurrentHashMap<>();

  RetrainScheduler(RetrainingController controller, FeedbackStore feedback, Clock clock) {
    this.controller = controller;
    this.feedback = feedback;
    this.clock = clock;
  }

  void onReport(MonitoringReport report) {
    String model = report.model();
    String version = model + "@" + report.modelVersion();
    armed.keySet().removeIf(k -> k.startsWith(model + "@") && !k.startsWith(version + "/"));
    boolean drifted = report.drift().drifted();
    boolean degraded = report.performance().degraded();
    if (!drifted) {
      armed.remove(version + "/drift");
    }
    if (!degraded) {
      armed.remove(version + "/performance");
    }
    if ((!drifted && !degraded)
        || (report.retraining() != null && report.retraining().inProgress())) {
      return;
    }
    PipelineSpec spec;
    try {
      spec = controller.championSpec(model);
    } catch (RuntimeException e) {
      // No production version, a spec without a file, or a store hiccup: nothing to retrain
      // from now; the next report tries again.
      LOG.debug("{}: no retraining: {}", model, e.getMessage());
      return;
    }
    RetrainingSpec retraining = spec.retraining();
    if (retraining == null) {
      return;
    }
    int needed =
        (int)
            Math.ceil(
                spec.monitoring().performance().minLabels() / Math.max(0.01, retraining.holdout()));
    for (String trigger : List.of("performance", "drift")) {
      boolean firing = trigger.equals("drift") ? drifted : degraded;
      if (!firing || !retraining.on().contains(trigger)) {
        continue;
      }
      Instant since = armed.computeIfAbsent(version + "/" + trigger, k -> clock.instant());
      int labels = feedback.labelled(model, report.modelVersion(), since, needed).size();
      if (labels >= needed) {
        submit(model, trigger);
        return;
      }
      LOG.debug("{}: {} trigger armed; {} of {} labels since then", model, trigger, labels, needed);
    }
  }

  private void submit(String model, String trigger) {
    if (controller.submit(model, trigger)) {
      LOG.info("{}: retraining started by the {} trigger", model, trigger);
    }
  }
}
