package dev.flywheel.server;

import dev.flywheel.pipeline.monitor.Monitor;
import dev.flywheel.pipeline.monitor.MonitoringReport;
import dev.flywheel.pipeline.monitor.RetrainingStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's monitoring: one background thread ({@code flywheel-monitor}) that refreshes the
 * {@link MonitoringReport} of every served model at a fixed interval, keeps the latest per model,
 * sets the {@code flywheel_drift_psi} gauges, and hands each report to the listeners, such as the
 * retraining scheduler.
 *
 * <p>It never touches the request path: predictions only queue rows for the log, and the reports
 * read the stores on this thread (or on a worker thread for {@code GET …/monitoring}). A failing
 * store costs one tick: the error is logged, the last good report stays, and the next tick tries
 * again.
 */
public final class MonitoringService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MonitoringService.class);

  /** The background thread's name, as thread dumps show it. */
  public static final String THREAD_NAME = "flywheel-monitor";

  private final Monitor monitor;
  private final LiveModels live;
  private final ServerMetrics metrics;
  private final ScheduledExecutorService executor;
  private final Map<String, MonitoringReport> latest = new ConcurrentHashMap<>();
  private final List<Consumer<MonitoringReport>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, String> lastError = new HashMap<>(); // the monitor thread's alone
  private volatile Function<String, RetrainingStatus> retraining = model -> RetrainingStatus.NONE;

  MonitoringService(Monitor monitor, LiveModels live, ServerMetrics metrics) {
    this.monitor = monitor;
    this.live = live;
    this.metrics = metrics;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, THREAD_NAME);
              t.setDaemon(true);
              t.setPriority(Thread.MIN_PRIORITY); // serving comes first on a small machine
              return t;
            });
  }

  /** Refreshes now, then every {@code interval}, on the monitoring thread. */
  void start(Duration interval) {
    executor.scheduleWithFixedDelay(
        this::tickSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Adds a listener for the reports of the background refresh: one call per served model per
   * interval, on the monitoring thread, in order. Keep it short: hand long work, such as a
   * retraining run, to a thread of its own. An exception it throws is logged and the others still
   * run. Reports computed for {@code GET …/monitoring} are not passed to listeners.
   *
   * @return closing it removes the listener
   */
  public AutoCloseable subscribe(Consumer<MonitoringReport> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Sets where the {@code retraining} part of every report comes from: the retraining controller's
   * state per model name. Until it is set, every report says {@link RetrainingStatus#NONE}.
   */
  public void retrainingStatus(Function<String, RetrainingStatus> source) {
    this.retraining = Objects.requireNonNull(source, "source");
  }

  /** The latest report on a served model, if one was computed yet. */
  public Optional<MonitoringReport> latest(String model) {
    return Optional.ofNullable(latest.get(model));
  }

  /** The latest report of every served model, by name. */
  public Map<String, MonitoringReport> latest() {
    return Map.copyOf(latest);
  }

  /**
   * Computes a served model's report now, on the caller's thread, keeps it as the latest and sets
   * its gauges. Blocking: for worker threads, never an event loop.
   */
  MonitoringReport refresh(ServedModel model) {
    RetrainingStatus status = retraining.apply(model.name());
    MonitoringReport report =
        monitor.report(
            model.version(), model.bundle(), status == null ? RetrainingStatus.NONE : status);
    // A promotion may have swapped the model while this ran: keep only reports on what is served.
    ServedModel now = live.get(model.name());
    if (now != null && now.number() == report.modelVersion()) {
      latest.put(model.name(), report);
      metrics.drift(report);
    }
    return report;
  }

  /** One pass over the served models; models no longer served lose their report and gauges. */
  void tick() {
    Map<String, ServedModel> served = new HashMap<>();
    for (ServedModel m : live.all()) {
      served.put(m.name(), m);
    }
    for (String name : List.copyOf(latest.keySet())) {
      if (!served.containsKey(name)) {
        latest.remove(name);
        metrics.forgetDrift(name);
      }
    }
    for (ServedModel model : served.values()) {
      MonitoringReport report;
      try {
        report = refresh(model);
        if (lastError.remove(model.name()) != null) {
          LOG.info("monitoring {} works again", model.name());
        }
      } catch (RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (!message.equals(lastError.put(model.name(), message))) {
          LOG.warn(
              "monitoring {} v{} failed; the last report stays and the next tick retries: {}",
              model.name(),
              model.number(),
              message);
        } else {
          LOG.debug("monitoring {} failed again: {}", model.name(), message);
        }
        continue;
      }
      for (Consumer<MonitoringReport> listener : listeners) {
        try {
          listener.accept(report);
        } catch (RuntimeException e) {
          LOG.error("a monitoring listener failed on the report of {}", model.name(), e);
        }
      }
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException | LinkageError | AssertionError e) {
      // An exception out of a scheduled task would cancel every later tick.
      LOG.error("a monitoring pass failed; the next one runs as planned", e);
    }
  }

  /**
   * Stops refreshing, waiting a little for a pass in progress so it does not outlive the stores.
   */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the monitoring thread did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
