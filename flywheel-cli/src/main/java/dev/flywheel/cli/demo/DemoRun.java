package dev.flywheel.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.pipeline.TrainingRunner;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import dev.flywheel.store.Workdir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole loop on built-in data, as {@code flywheel demo} shows it: train on the world before a
 * change, serve over HTTP, send live traffic and delayed labels, let the drift begin at a known
 * point, and watch the server detect it, retrain by its own trigger, gate the challenger, promote
 * it and swap it in. Everything the summary claims about drift, retraining and promotion is read
 * back from the server's monitoring and the registry, not from the demo's own bookkeeping.
 */
public final class DemoRun {

  static final String MODEL = "loans";

  /** Requests before the drift starts; the drift starts at request {@value}. */
  static final int BEFORE_DRIFT = 1500;

  /** Labels arrive this many requests after their prediction... */
  static final int FEEDBACK_DELAY = 50;

  /** ...in batches of this many, as an application's nightly or hourly job would send them. */
  static final int FEEDBACK_BATCH = 25;

  /**
   * The traffic's pace. A steady rate keeps the story the same on fast and slow machines: the
   * server's monitor looks once a second.
   */
  static final int REQUESTS_PER_SECOND = 500;

  /** Fresh drifted requests scored after the swap. */
  static final int AFTER_RETRAIN = 1000;

  static final Duration RETRAIN_TIMEOUT = Duration.ofSeconds(90);

  static final String SPEC =
      """
      # Written by flywheel demo: a loan-default classifier that retrains itself.
      name: loans
      task: classification
      target: default
      positive: "1"
      source: {csv: loans.csv}
      candidates:
        - {name: gbt, algorithm: xgboost, params: {rounds: 150, max_depth: 4, eta: 0.1}}
      selection: {metric: accuracy}
      monitoring:
        drift: {method: psi, threshold: 0.2, window: 500}
        performance: {metric: accuracy, min: 0.65, min_labels: 150}
      retraining: {on: [drift, performance], include_feedback: true, holdout: 0.2, cooldown: 30s}
      """;

  private final Workdir workdir;
  private final PrintWriter events;
  private final Clock clock;
  private final long seed;
  private final long started;

  public DemoRun(Workdir workdir, PrintWriter events, Clock clock, long seed) {
    this.workdir = workdir;
    this.events = events;
    this.clock = clock;
    this.seed = seed;
    this.started = System.nanoTime();
  }

  private void event(String format, Object... args) {
    double t = (System.nanoTime() - started) / 1e9;
    events.printf(Locale.ROOT, "[%5.1fs] %s%n", t, String.format(Locale.ROOT, format, args));
    events.flush();
  }

  public DemoSummary run() {
    if (!workdir.metadata().versions(MODEL).isEmpty()) {
      throw new BadInputException(
          "the workdir "
              + workdir.dir()
              + " already holds a '"
              + MODEL
              + "' model. The demo needs a fresh one: pass --workdir with a new folder.");
    }
    Path dir = workdir.dir().resolve("demo");
    Path specFile = write(dir);
    event(
        "wrote %d loan applications from the world before the change to %s",
        3000, dir.resolve("loans.csv"));

    RunResult first =
        new TrainingRunner(
                workdir.metadata(),
                workdir.artifacts(),
                clock,
                Progress.NONE,
                Runtime.getRuntime().availableProcessors())
            .run(SpecParser.parse(specFile));
    event(
        "trained %s v%d (%s): test accuracy %.3f; the gate passed and it went to production",
        MODEL,
        first.modelVersion(),
        first.selected().candidate(),
        first.selected().test().get("accuracy"));

    ServerConfig config =
        ServerConfig.defaults().withPort(0).withPollInterval(Duration.ofMillis(250));
    try (FlywheelServer server = FlywheelServer.start(workdir, config)) {
      DemoClient client = new DemoClient(server.port(), MODEL);
      event(
          "server listening on %s, serving %s", client.base(), String.join(", ", server.served()));
      int initial = production().orElseThrow();
      Watcher watcher = new Watcher(client);
      Thread watching = Thread.ofPlatform().daemon().name("demo-monitor").start(watcher);
      try {
        return traffic(client, watcher, initial, server);
      } finally {
        watcher.stop.set(true);
        watching.interrupt();
      }
    }
  }

  private DemoSummary traffic(
      DemoClient client, Watcher watcher, int initial, FlywheelServer server) {
    Traffic traffic = new Traffic(client);
    event(
        "sending %d requests from the world before the change, with labels %d requests late",
        BEFORE_DRIFT, FEEDBACK_DELAY);
    Score before =
        traffic.send(DemoData.applications(BEFORE_DRIFT, seed + 1, false), initial, true);
    event("v%d answered with accuracy %.3f before the drift", initial, before.accuracy());

    event(
        "the drift starts now (request %d): a new app channel, lower incomes, more debt, and a new relation to default",
        BEFORE_DRIFT + 1);
    Score oldModelOnDrift = new Score();
    long deadline = System.nanoTime() + RETRAIN_TIMEOUT.toNanos();
    int batch = 0;
    int promotedVersion = initial;
    while (System.nanoTime() < deadline) {
      Score s = traffic.send(DemoData.applications(100, seed + 100 + batch++, true), initial, true);
      oldModelOnDrift.add(s);
      watcher.report(this::event);
      if (traffic.lastVersion > initial) {
        promotedVersion = traffic.lastVersion;
        gateEvidence(promotedVersion);
        event("swap: the server now answers with v%d (no request failed)", promotedVersion);
        break;
      }
    }
    traffic.flushFeedback();
    event(
        "v%d answered drifted traffic with accuracy %.3f before any promotion",
        initial, oldModelOnDrift.accuracy());

    Double after = null;
    if (promotedVersion > initial) {
      Score s =
          traffic.send(
              DemoData.applications(AFTER_RETRAIN, seed + 7_777, true), promotedVersion, false);
      after = s.accuracy();
      event(
          "v%d answered %d fresh drifted requests (never trained on) with accuracy %.3f",
          promotedVersion, s.total, after);
    } else {
      event("no new version was promoted within %d s", RETRAIN_TIMEOUT.toSeconds());
    }
    watcher.report(this::event);

    JsonNode monitoring = client.monitoring();
    JsonNode last = monitoring.at("/retraining/last");
    int finalVersion = production().orElse(initial);
    return new DemoSummary(
        initial,
        finalVersion,
        watcher.driftSeen.get(),
        !last.isMissingNode() && !last.isNull() && last.hasNonNull("run_id"),
        finalVersion > initial,
        traffic.predictions,
        traffic.accepted,
        before.accuracy(),
        oldModelOnDrift.accuracy(),
        after,
        last.hasNonNull("run_id") ? last.get("run_id").asText() : null,
        last.hasNonNull("trigger") ? last.get("trigger").asText() : null,
        Math.round((System.nanoTime() - started) / 1e8) / 10.0,
        client.base());
  }

  /** Prints the gate's evidence for the promoted version, read back from the registry. */
  private void gateEvidence(int version) {
    workdir
        .metadata()
        .version(MODEL, version)
        .flatMap(v -> workdir.metadata().run(v.runId()))
        .map(RunRecord::resultJson)
        .ifPresent(
            json -> {
              try {
                JsonNode e = dev.flywheel.core.Json.mapper().readTree(json).at("/gate/evidence");
                if (!e.isMissingNode() && !e.isNull()) {
                  event(
                      "gate: challenger %s %.3f vs champion v%d %.3f on %d held-out rows neither"
                          + " trained on; %.0f%% interval for the gain [%+.3f, %+.3f]: %s",
                      e.path("metric").asText(),
                      e.path("challenger").asDouble(),
                      e.path("production_version").asInt(),
                      e.path("production").asDouble(),
                      e.path("rows").asInt(),
                      e.path("confidence").asDouble() * 100,
                      e.at("/interval/0").asDouble(),
                      e.at("/interval/1").asDouble(),
                      e.path("verdict").asText());
                }
              } catch (IOException ignored) {
                // The evidence is a nicety for the printout; the summary does not depend on it.
              }
            });
  }

  private Optional<Integer> production() {
    return workdir.metadata().alias(MODEL, MetadataStore.PRODUCTION).map(ModelVersion::version);
  }

  private Path write(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("loans.csv"),
          DemoData.csv(DemoData.applications(3000, seed, false)),
          StandardCharsets.UTF_8);
      return Files.writeString(dir.resolve("flywheel.yaml"), SPEC, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot write the demo's data and spec to "
              + dir
              + ": "
              + e
              + ". Check that the workdir is writable and has free space, or pass another"
              + " --workdir.",
          e);
    }
  }

  /** Accuracy of the answers that came from one version. */
  private static final class Score {
    int right;
    int total;

    void add(Score other) {
      right += other.right;
      total += other.total;
    }

    double accuracy() {
      return total == 0 ? Double.NaN : (double) right / total;
    }
  }

  /**
   * Sends requests one at a time and feeds each label back {@link #FEEDBACK_DELAY} requests later.
   */
  private static final class Traffic {
    private final DemoClient client;
    private final Deque<String[]> pending = new ArrayDeque<>();
    long predictions;
    long accepted;
    int lastVersion;

    Traffic(DemoClient client) {
      this.client = client;
    }

    private long nextAt = System.nanoTime();

    /** Scores the answers that came from {@code version}. */
    Score send(List<DemoData.Application> apps, int version, boolean feedback) {
      Score score = new Score();
      for (DemoData.Application app : apps) {
        pace();
        DemoClient.Answer a = client.predict(app.features());
        predictions++;
        lastVersion = a.version();
        if (a.version() == version) {
          score.total++;
          if (a.label().equals(app.label())) {
            score.right++;
          }
        }
        if (feedback) {
          pending.add(new String[] {a.predictionId(), app.label()});
          if (pending.size() >= FEEDBACK_DELAY + FEEDBACK_BATCH) {
            List<String[]> due = new ArrayList<>();
            while (due.size() < FEEDBACK_BATCH) {
              due.add(pending.poll());
            }
            accepted += client.feedback(due);
          }
        }
      }
      return score;
    }

    /** Waits until the next request is due, so traffic flows at {@link #REQUESTS_PER_SECOND}. */
    private void pace() {
      nextAt += 1_000_000_000L / REQUESTS_PER_SECOND;
      long wait = nextAt - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      } else if (wait < -1_000_000_000L) {
        nextAt = System.nanoTime(); // far behind (a slow machine): do not burst to catch up
      }
    }

    void flushFeedback() {
      if (!pending.isEmpty()) {
        accepted += client.feedback(new ArrayList<>(pending));
        pending.clear();
      }
    }
  }

  /** Polls the server's monitoring endpoint and turns changes into events. */
  private static final class Watcher implements Runnable {
    private final DemoClient client;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicBoolean driftSeen = new AtomicBoolean();
    private final AtomicReference<JsonNode> latest = new AtomicReference<>();
    private boolean driftReported;
    private boolean startReported;
    private String lastRunReported;

    Watcher(DemoClient client) {
      this.client = client;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        try {
          JsonNode m = client.monitoring();
          latest.set(m);
          if (m.at("/drift/drifted").asBoolean(false)) {
            driftSeen.set(true);
          }
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // The server may be swapping or shutting down: look again next time.
        }
      }
    }

    /** Prints what changed since the last call. */
    void report(EventSink sink) {
      JsonNode m = latest.get();
      if (m == null) {
        return;
      }
      if (m.at("/drift/drifted").asBoolean(false) && !driftReported) {
        driftReported = true;
        StringBuilder features = new StringBuilder();
        for (JsonNode f : m.at("/drift/features")) {
          if (f.path("drifted").asBoolean()) {
            features.append(
                String.format(
                    Locale.ROOT, " %s=%.2f", f.get("name").asText(), f.get("psi").asDouble()));
          }
        }
        sink.event(
            "the server's monitoring detected drift over its last %d predictions (PSI%s)",
            m.at("/window/predictions").asInt(), features);
      }
      if (m.at("/retraining/in_progress").asBoolean(false) && !startReported) {
        startReported = true;
        sink.event("the server started retraining by its own trigger");
      }
      JsonNode last = m.at("/retraining/last");
      if (last.hasNonNull("run_id") && !last.get("run_id").asText().equals(lastRunReported)) {
        lastRunReported = last.get("run_id").asText();
        sink.event(
            "retraining run %s (trigger: %s) finished: the gate %s",
            lastRunReported,
            last.path("trigger").asText("?"),
            last.path("promoted").asBoolean()
                ? "passed and the challenger was promoted"
                : "refused the challenger");
      }
    }
  }

  /** Where events go. */
  @FunctionalInterface
  interface EventSink {
    void event(String format, Object... args);
  }
}
