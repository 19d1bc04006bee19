package dev.flywheel.pipeline.retrain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Json;
import dev.flywheel.core.Progress;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.serving.FeedbackStore;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.RetrainingSpec;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.data.collect.Snapshots;
import dev.flywheel.ml.Trainers;
import dev.flywheel.pipeline.RunOptions;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.pipeline.TrainingRunner;
import dev.flywheel.pipeline.gate.Holdout;
import dev.flywheel.pipeline.monitor.RetrainingStatus;
import dev.flywheel.pipeline.train.DataPreparer;
import dev.flywheel.pipeline.train.PreparedData;
import dev.flywheel.pipeline.validate.DataValidation;
import dev.flywheel.store.Workdir;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrains a served model on its source data plus its labelled production rows, and promotes the
 * challenger only if it passes the usual gate <em>and</em> is non-inferior to the champion (the
 * production version) on a holdout of the newest labelled rows that neither of them trained on.
 * docs/retraining.md describes the holdout, the training data, the gate and the evidence.
 *
 * <p>Two ways in:
 *
 * <ul>
 *   <li>{@link #retrain} runs one retrain on the calling thread (the CLI's {@code flywheel
 *       retrain}); trainers may use the {@code threads} given to the constructor. It ignores the
 *       cooldown.
 *   <li>{@link #submit} queues one on the controller's single worker thread (minimum priority,
 *       daemon) and returns at once; trainers there use <b>one</b> thread, so a server keeps its
 *       other cores for serving. It refuses while any retrain of this controller is in progress,
 *       and while the model is inside its {@code retraining.cooldown} since its last retrain
 *       finished (successful, refused, skipped or failed).
 * </ul>
 *
 * <p>Every attempt that gets as far as finding the champion's spec is recorded as a run: {@code
 * succeeded} (promoted or not), {@code skipped} (too few holdout rows: the result's {@code
 * retraining.reason} says why) or {@code failed}. Failures before that (no production version, a
 * spec without a file) throw {@link BadInputException} and record nothing.
 *
 * <p>Thread-safe. The clock is injected: run times, cooldowns and events all read it.
 */
public final class RetrainingController implements AutoCloseable {

  /** Used when the champion's spec has no {@code retraining} section (docs/spec.md defaults). */
  public static final RetrainingSpec DEFAULTS =
      new RetrainingSpec(List.of("drift", "performance"), true, 0.2, Duration.ofSeconds(30));

  private static final Logger LOG = LoggerFactory.getLogger(RetrainingController.class);

  private final MetadataStore metadata;
  private final ArtifactStore artifacts;
  private final FeedbackStore feedback;
  private final Clock clock;
  private final Progress progress;
  private final int threads;
  private final List<Consumer<RetrainingEvent>> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService worker;

  private final Object lock = new Object();
  private String running; // guarded by lock: the model being retrained, or null
  private int active; // guarded by lock: retrains claimed whose events are not all delivered yet
  private boolean closed; // guarded by lock
  private final Map<String, Instant> cooldownUntil = new HashMap<>(); // guarded by lock
  private final Map<String, Optional<RetrainingStatus.Last>> last =
      new HashMap<>(); // guarded by lock

  /** For tests: sees each plan and the prepared data of the run that uses it. */
  interface Inspector {
    void inspect(HoldoutPlan plan, PreparedData data);
  }

  private volatile Inspector inspector;

  /**
   * @param metadata runs, versions and aliases
   * @param artifacts bundles
   * @param feedback the labelled production rows
   * @param clock the clock for run times, cooldowns and events
   * @param progress where {@link #retrain} reports progress ({@link Progress#NONE} in a server)
   * @param threads the most threads a trainer may use in {@link #retrain}; {@link #submit} always
   *     uses 1
   */
  public RetrainingController(
      MetadataStore metadata,
      ArtifactStore artifacts,
      FeedbackStore feedback,
      Clock clock,
      Progress progress,
      int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.feedback = Objects.requireNonNull(feedback, "feedback");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.threads = threads;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "flywheel-retrain");
              t.setDaemon(true);
              // A hint only (Linux ignores Java priorities by default); the real protection for
              // serving is that retrains use one thread, one at a time.
              t.setPriority(Thread.MIN_PRIORITY);
              return t;
            });
  }

  /** A controller over a workdir's stores. */
  public RetrainingController(Workdir workdir, Clock clock, Progress progress, int threads) {
    this(workdir.metadata(), workdir.artifacts(), workdir.feedback(), clock, progress, threads);
  }

  /** Adds a listener for started, finished and failed events. */
  public void addListener(Consumer<RetrainingEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  void inspector(Inspector inspector) {
    this.inspector = inspector;
  }

  /**
   * Runs one retrain of {@code model} now, on this thread, and returns its recorded result: {@code
   * promoted} says whether the challenger went to production; {@code status} is {@code skipped}
   * when there were too few holdout rows.
   *
   * @param trigger what asked for it, such as {@code manual}, {@code drift} or {@code performance}
   * @throws BadInputException when the model has no production version or its spec cannot be read
   *     again, or the data is bad (then a {@code failed} run is recorded)
   * @throws IllegalStateException when a retrain is in progress in this controller
   */
  public RunResult retrain(String model, String trigger) {
    checkArguments(model, trigger);
    synchronized (lock) {
      if (running != null) {
        throw new IllegalStateException(
            "a retrain of '" + running + "' is in progress; wait for it to finish");
      }
      running = model;
      active++;
    }
    return runClaimed(model, trigger, threads, progress);
  }

  /**
   * Queues a retrain of {@code model} on the worker thread with one trainer thread, unless one is
   * in progress or the model is inside its cooldown.
   *
   * @return true when it was queued; false when refused (in progress, cooldown, closed)
   */
  public boolean submit(String model, String trigger) {
    checkArguments(model, trigger);
    synchronized (lock) {
      if (closed || running != null) {
        return false;
      }
      Instant until = cooldownUntil.get(model);
      if (until != null && clock.instant().isBefore(until)) {
        return false;
      }
      running = model;
      active++;
    }
    try {
      worker.execute(
          () -> {
            try {
              runClaimed(model, trigger, 1, Progress.NONE);
            } catch (RuntimeException e) {
              // Reported to listeners and recorded in status already.
              LOG.warn("retraining '{}' ({}) failed: {}", model, trigger, e.getMessage());
              LOG.debug("retraining failure", e);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      synchronized (lock) {
        running = null;
        active--;
        lock.notifyAll();
      }
      return false;
    }
  }

  /** Whether {@code model} is being retrained here now, and its last retraining run. */
  public RetrainingStatus status(String model) {
    Objects.requireNonNull(model, "model");
    boolean known;
    synchronized (lock) {
      known = last.containsKey(model);
    }
    // Read the store outside the lock, so a slow read never holds up submit.
    Optional<RetrainingStatus.Last> stored = known ? Optional.empty() : lastFromStore(model);
    synchronized (lock) {
      return new RetrainingStatus(
          model.equals(running), last.computeIfAbsent(model, m -> stored).orElse(null));
    }
  }

  /** When {@code model} may next be submitted, or null when it may be now. */
  public Instant cooldownUntil(String model) {
    synchronized (lock) {
      Instant until = cooldownUntil.get(model);
      return until != null && clock.instant().isBefore(until) ? until : null;
    }
  }

  /**
   * The spec the production version of {@code model} was trained with, read again from its run
   * (relative paths resolve against the spec file's folder, as then). A server reads {@code
   * retraining.on} from it to decide which triggers apply.
   *
   * @throws BadInputException when there is no production version or its spec has no file
   */
  public PipelineSpec championSpec(String model) {
    return champion(model).spec();
  }

  /**
   * Waits until no retrain is in progress and listeners have been told about the last one.
   *
   * @return false when the timeout passed first
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (active > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /**
   * Refuses further submits and waits for a retrain in progress to finish (training cannot be
   * interrupted halfway without leaving a half-recorded run), then stops the worker thread.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    worker.shutdown();
    try {
      while (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.info("waiting for a retrain in progress to finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- one retrain ----

  private record Champion(ModelVersion version, RunRecord run, PipelineSpec spec) {}

  private RunResult runClaimed(String model, String trigger, int trainThreads, Progress progress) {
    try {
      Duration cooldown = DEFAULTS.cooldown();
      String[] runId = {null};
      RunResult result = null;
      RuntimeException failure = null;
      emit(new RetrainingEvent.Started(model, trigger, clock.instant()));
      try {
        Champion champion = champion(model);
        cooldown = retraining(champion.spec()).cooldown();
        result = retrain(champion, trigger, trainThreads, progress, runId);
      } catch (RuntimeException e) {
        failure = e;
      } finally {
        // State first, events after: a listener that asks for the status sees the retrain
        // finished.
        synchronized (lock) {
          running = null;
          cooldownUntil.put(model, clock.instant().plus(cooldown));
          if (runId[0] != null) {
            last.put(
                model,
                Optional.of(
                    new RetrainingStatus.Last(
                        runId[0], trigger, result != null && result.promoted())));
          }
        }
      }
      if (failure != null) {
        emit(
            new RetrainingEvent.Failed(
                model,
                trigger,
                clock.instant(),
                runId[0],
                failure.getMessage() == null
                    ? failure.getClass().getName()
                    : failure.getMessage()));
        throw failure;
      }
      emit(new RetrainingEvent.Finished(model, trigger, clock.instant(), result));
      return result;
    } finally {
      synchronized (lock) {
        active--;
        lock.notifyAll();
      }
    }
  }

  private RunResult retrain(
      Champion champion, String trigger, int trainThreads, Progress progress, String[] runIdOut) {
    PipelineSpec spec = champion.spec();
    String model = spec.name();
    RetrainingSpec settings = retraining(spec);
    String runId = metadata.createRun(model, spec.text(), spec.file().toString(), clock.instant());
    runIdOut[0] = runId;
    TrainingRunner runner = new TrainingRunner(metadata, artifacts, clock, progress, trainThreads);
    progress.stage(
        "retrain",
        runId
            + " for model '"
            + model
            + "' (trigger "
            + trigger
            + "; champion v"
            + champion.version().version()
            + ")");
    try {
      ModelBundle championBundle =
          BundleIO.read(
              artifacts.get(champion.version().bundleKey()),
              artifacts.describe(champion.version().bundleKey()),
              Trainers.LOADER);
      Instant championUntil = championBundle.manifest().lineage().feedbackUntil();
      Frame source =
          DataPreparer.collect(
              spec, progress, new Snapshots(model, runId, metadata, artifacts, clock));
      List<LabelledPrediction> labelled = feedback.labelled(model, Integer.MAX_VALUE);
      FeedbackRows.Converted rows =
          FeedbackRows.convert(source, spec.target(), spec.task(), labelled);
      HoldoutPlan plan =
          HoldoutPlan.make(
              source,
              rows,
              championUntil,
              settings.holdout(),
              spec.monitoring().performance().minLabels(),
              settings.includeFeedback());
      RunResult.RetrainingData data =
          new RunResult.RetrainingData(
              source.rowCount(),
              plan.labelled(),
              plan.unusable(),
              settings.includeFeedback(),
              plan.training().size(),
              plan.excludedAsHoldoutCopies(),
              plan.missingValues());
      RunResult.HoldoutRows holdoutRows =
          new RunResult.HoldoutRows(
              plan.holdout().size(),
              plan.needed(),
              plan.eligible(),
              settings.holdout(),
              spec.monitoring().performance().minLabels(),
              plan.from(),
              plan.to());

      if (plan.refusal() != null) {
        progress.stage("holdout", "skipped: " + plan.refusal());
        RunResult skipped =
            new RunResult(
                    runId,
                    model,
                    spec.task().specName(),
                    "skipped",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    false)
                .withRetraining(
                    new RunResult.Retraining(
                        trigger,
                        "skipped",
                        plan.refusal(),
                        champion.version().version(),
                        championUntil,
                        data,
                        holdoutRows,
                        null,
                        null));
        metadata.finishRun(runId, "skipped", clock.instant(), skipped.toJson());
        return skipped;
      }
      progress.stage(
          "holdout",
          plan.holdout().size()
              + " newest labelled rows predicted "
              + plan.from()
              + " to "
              + plan.to()
              + "; "
              + plan.training().size()
              + " labelled rows join "
              + source.rowCount()
              + " source rows");

      Inspector seen = inspector;
      RunOptions options =
          new RunOptions(
              source,
              plan.trainingFrame(),
              new Holdout(
                  plan.holdoutFrame(),
                  champion.version(),
                  "labelled production rows predicted " + plan.from() + " to " + plan.to()),
              plan.feedbackUntil(),
              seen == null ? null : prepared -> seen.inspect(plan, prepared));
      RunResult trained = runner.execute(runId, spec, options);
      if (TrainingRunner.REJECTED.equals(trained.status())) {
        // The data failed the quality gate: nothing was trained, so there is nothing to compare.
        RunResult rejected =
            trained.withRetraining(
                new RunResult.Retraining(
                    trigger,
                    TrainingRunner.REJECTED,
                    "the data quality gate refused: "
                        + DataValidation.failures(trained.validation()),
                    champion.version().version(),
                    championUntil,
                    data,
                    holdoutRows,
                    null,
                    null));
        metadata.finishRun(runId, rejected.status(), clock.instant(), rejected.toJson());
        return rejected;
      }
      RunResult.Evidence e = trained.gate().evidence();
      RunResult.Comparison comparison =
          e == null
              ? null
              : new RunResult.Comparison(
                  e.metric(),
                  e.challenger(),
                  e.production(),
                  e.improvement(),
                  e.interval(),
                  e.tolerance(),
                  e.verdict());
      String reason =
          trained.promoted()
              ? null
              : "the gate refused: "
                  + trained.gate().checks().stream()
                      .filter(c -> !c.passed())
                      .map(c -> c.name() + ": " + c.detail())
                      .collect(Collectors.joining("; "));
      RunResult result =
          trained.withRetraining(
              new RunResult.Retraining(
                  trigger,
                  trained.promoted() ? "promoted" : "not_promoted",
                  reason,
                  champion.version().version(),
                  championUntil,
                  data,
                  holdoutRows,
                  comparison,
                  plan.feedbackUntil()));
      metadata.finishRun(runId, result.status(), clock.instant(), result.toJson());
      return result;
    } catch (RuntimeException e) {
      runner.recordFailure(runId, e);
      throw e;
    }
  }

  private Champion champion(String model) {
    ModelVersion version =
        metadata
            .alias(model, MetadataStore.PRODUCTION)
            .orElseThrow(
                () -> {
                  List<String> served =
                      metadata.aliased(MetadataStore.PRODUCTION).stream()
                          .map(ModelVersion::model)
                          .toList();
                  return new BadInputException(
                      "model '"
                          + model
                          + "' has no production version to retrain"
                          + (served.isEmpty()
                              ? "; no model has one yet"
                              : "; the models in production are " + String.join(", ", served))
                          + ". Train and promote one with: flywheel run SPEC");
                });
    RunRecord run =
        metadata
            .run(version.runId())
            .orElseThrow(
                () ->
                    new InfrastructureException(
                        "the metadata store lists "
                            + model
                            + " v"
                            + version.version()
                            + " as trained by run "
                            + version.runId()
                            + ", which it does not hold",
                        null));
    if (run.specPath() == null) {
      throw new BadInputException(
          model
              + " v"
              + version.version()
              + " was trained by run "
              + version.runId()
              + " from a spec without a file, so its sources cannot be found again. Retrain it"
              + " with: flywheel run SPEC");
    }
    PipelineSpec spec = SpecParser.parseStored(run.specText(), Path.of(run.specPath()));
    return new Champion(version, run, spec);
  }

  private static RetrainingSpec retraining(PipelineSpec spec) {
    return spec.retraining() != null ? spec.retraining() : DEFAULTS;
  }

  /** The newest retraining run of a model recorded in the store, for a fresh controller. */
  private Optional<RetrainingStatus.Last> lastFromStore(String model) {
    for (RunRecord run : metadata.runs(model)) {
      if (run.resultJson() == null) {
        continue;
      }
      try {
        JsonNode node = Json.mapper().readTree(run.resultJson());
        JsonNode r = node.get("retraining");
        if (r != null && r.isObject()) {
          return Optional.of(
              new RetrainingStatus.Last(
                  run.runId(), r.path("trigger").asText(null), node.path("promoted").asBoolean()));
        }
      } catch (IOException e) {
        LOG.debug("run {} has an unreadable result", run.runId(), e);
      }
    }
    return Optional.empty();
  }

  private void emit(RetrainingEvent event) {
    for (Consumer<RetrainingEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("a retraining listener failed on {}: {}", event, e.toString());
      }
    }
  }

  private static void checkArguments(String model, String trigger) {
    Objects.requireNonNull(model, "model");
    if (trigger == null || trigger.isBlank()) {
      throw new IllegalArgumentException("a retrain needs a trigger, such as manual or drift");
    }
  }
}
