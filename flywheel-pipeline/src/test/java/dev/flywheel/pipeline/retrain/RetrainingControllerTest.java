package dev.flywheel.pipeline.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Json;
import dev.flywheel.core.Progress;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.Lineage;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.ml.Trainers;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.pipeline.TrainingRunner;
import dev.flywheel.pipeline.monitor.RetrainingStatus;
import dev.flywheel.pipeline.train.PreparedData;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retraining controller against a real workdir: a champion trained by {@link TrainingRunner},
 * predictions logged and labelled through the real SQLite stores, then retrains.
 */
class RetrainingControllerTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private static final String SPEC =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      candidates:
        - {algorithm: linear}
        - {algorithm: xgboost, params: {rounds: 40, max_depth: 3}}
      monitoring: {performance: {min_labels: 100}}
      retraining: {holdout: 0.2, cooldown: 1h}
      """;

  @TempDir Path dir;

  private Workdir workdir;
  private final TestClock clock = new TestClock(T0);
  private RetrainingController controller;
  private final List<HoldoutPlan> plans = new CopyOnWriteArrayList<>();
  private final List<PreparedData> prepared = new CopyOnWriteArrayList<>();
  private Instant nextPrediction = T0.plusSeconds(60);

  /** A clock tests move by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void open() {
    workdir = Workdir.open(dir.resolve("work"));
    controller = new RetrainingController(workdir, clock, Progress.NONE, 1);
    controller.inspector(
        (plan, data) -> {
          plans.add(plan);
          prepared.add(data);
        });
  }

  @AfterEach
  void close() {
    controller.close();
    workdir.close();
  }

  private RunResult trainChampion(int rows) throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), rows, 1, 0);
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), SPEC);
    RunResult r =
        new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
            .run(SpecParser.parse(spec));
    assertThat(r.promoted()).isTrue();
    return r;
  }

  /** One logged, labelled prediction. */
  record Logged(String id, Instant time, String[] row) {}

  /**
   * Logs predictions of {@code rows} one second apart, after every earlier one, and feeds back a
   * label for each: {@code label(i)} maps the true label (0/1) of row i to the one fed back.
   */
  private List<Logged> traffic(List<String[]> rows, IntUnaryOperator label) {
    int version = production().version();
    List<Logged> out = new ArrayList<>();
    List<FeedbackItem> items = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] row = rows.get(i);
      String id = String.format("P%06d-%s", out.size(), nextPrediction.toEpochMilli());
      ObjectNode in = Json.mapper().createObjectNode();
      if (row[0].isEmpty()) {
        in.putNull("income");
      } else {
        in.put("income", Double.parseDouble(row[0]));
      }
      in.put("debt_ratio", Double.parseDouble(row[1]));
      in.put("age", Integer.parseInt(row[2]));
      if (row[3].isEmpty()) {
        in.putNull("plan");
      } else {
        in.put("plan", row[3]);
      }
      in.put("region", row[4]);
      in.put("ignored_extra", "x");
      assertThat(
              workdir
                  .predictionLog()
                  .offer(
                      new PredictionRecord(
                          id, nextPrediction, "loans", version, in.toString(), "{}")))
          .isTrue();
      items.add(new FeedbackItem(id, Integer.toString(label.applyAsInt(Integer.parseInt(row[5])))));
      out.add(new Logged(id, nextPrediction, row));
      nextPrediction = nextPrediction.plusSeconds(1);
    }
    workdir.predictionLog().flush();
    assertThat(workdir.feedback().record("loans", items, clock.instant()).accepted())
        .isEqualTo(rows.size());
    return out;
  }

  private ModelVersion production() {
    return workdir.metadata().alias("loans", MetadataStore.PRODUCTION).orElseThrow();
  }

  private Lineage lineage(ModelVersion v) {
    return BundleIO.read(workdir.artifacts().get(v.bundleKey()), "test", Trainers.LOADER)
        .manifest()
        .lineage();
  }

  private static Set<String> canonicalRows(Frame... frames) {
    Set<String> out = new HashSet<>();
    for (Frame f : frames) {
      for (int i = 0; i < f.rowCount(); i++) {
        out.add(f.canonicalRow(i));
      }
    }
    return out;
  }

  private static Set<String> ids(List<LabelledPrediction> rows) {
    Set<String> out = new HashSet<>();
    rows.forEach(r -> out.add(r.prediction().id()));
    return out;
  }

  @Test
  void holdoutIsTheNewestShareAndTheChallengerNeverTrainedOnIt() throws IOException {
    trainChampion(1000);
    List<Logged> logged = traffic(LoanData.rows(1000, 2, 0), y -> y);

    RunResult r = controller.retrain("loans", "manual");

    RunResult.Retraining rt = r.retraining();
    assertThat(rt.trigger()).isEqualTo("manual");
    assertThat(rt.championVersion()).isEqualTo(1);
    assertThat(rt.championFeedbackUntil()).isNull();
    assertThat(rt.data().sourceRows()).isEqualTo(1000);
    assertThat(rt.data().labelledRows()).isEqualTo(1000);
    assertThat(rt.data().feedbackRows()).isEqualTo(800);
    assertThat(rt.data().unusableRows()).isZero();
    assertThat(rt.holdout().rows()).isEqualTo(200);
    assertThat(rt.holdout().needed()).isEqualTo(200);
    assertThat(rt.holdout().from()).isEqualTo(logged.get(800).time());
    assertThat(rt.holdout().to()).isEqualTo(logged.get(999).time());
    assertThat(rt.feedbackUntil()).isEqualTo(logged.get(799).time());

    HoldoutPlan plan = plans.get(0);
    Set<String> newest = new HashSet<>();
    logged.subList(800, 1000).forEach(l -> newest.add(l.id()));
    assertThat(ids(plan.holdout())).isEqualTo(newest);
    assertThat(ids(plan.training())).hasSize(800).doesNotContainAnyElementsOf(newest);
    // The challenger saw none of the holdout rows' content: not in train, nor in validation/test.
    PreparedData data = prepared.get(0);
    Set<String> seen = canonicalRows(data.train(), data.validation(), data.test());
    assertThat(canonicalRows(plan.holdoutFrame())).hasSize(200).doesNotContainAnyElementsOf(seen);
    // ...while the training rows did come through, with their logged values and labels.
    assertThat(seen).containsAll(canonicalRows(plan.trainingFrame()));
    assertThat(r.dataset().rows()).isEqualTo(1800);

    RunResult.Evidence e = r.gate().evidence();
    assertThat(e.computedOn()).isEqualTo("holdout");
    assertThat(e.rows()).isEqualTo(200);
    assertThat(e.productionVersion()).isEqualTo(1);
    assertThat(rt.comparison().challenger()).isEqualTo(e.challenger());
    assertThat(rt.comparison().champion()).isEqualTo(e.production());
    assertThat(rt.comparison().interval()).isEqualTo(e.interval());
    assertThat(r.gate().checks())
        .anySatisfy(
            c -> {
              assertThat(c.name()).isEqualTo("non_inferior_to_production");
              assertThat(c.detail()).contains("on 200 holdout rows", "neither trained on");
            });

    ModelVersion challenger = workdir.metadata().version("loans", 2).orElseThrow();
    assertThat(lineage(challenger).feedbackUntil()).isEqualTo(logged.get(799).time());

    RunRecord stored = workdir.metadata().run(r.runId()).orElseThrow();
    assertThat(stored.status()).isEqualTo("succeeded");
    JsonNode json = Json.mapper().readTree(stored.resultJson());
    assertThat(json.at("/retraining/trigger").asText()).isEqualTo("manual");
    assertThat(json.at("/retraining/holdout/from").asText())
        .isEqualTo(logged.get(800).time().toString());
    assertThat(json.at("/gate/evidence/computed_on").asText()).isEqualTo("holdout");
    assertThat(RunResult.fromJson(stored.resultJson()).toJson()).isEqualTo(stored.resultJson());
  }

  @Test
  void noPromotionWhenTheChallengerIsWorseOnTheHoldout() throws IOException {
    trainChampion(800);
    // The older 1200 labels are flipped, so the challenger learns the relation backwards; the
    // newest 300, the holdout, carry the true labels.
    List<String[]> rows = LoanData.rows(1500, 3, 0);
    traffic(rows.subList(0, 1200), y -> 1 - y);
    traffic(rows.subList(1200, 1500), y -> y);

    RunResult r = controller.retrain("loans", "performance");

    assertThat(r.promoted()).isFalse();
    assertThat(r.status()).isEqualTo("succeeded");
    assertThat(production().version()).isEqualTo(1);
    assertThat(r.modelVersion()).isEqualTo(2);
    RunResult.Evidence e = r.gate().evidence();
    assertThat(e.verdict()).isEqualTo("fail");
    assertThat(e.computedOn()).isEqualTo("holdout");
    assertThat(e.rows()).isEqualTo(300);
    assertThat(e.challenger()).isLessThan(e.production() - 0.1);
    assertThat(r.retraining().outcome()).isEqualTo("not_promoted");
    assertThat(r.retraining().comparison().verdict()).isEqualTo("fail");
    assertThat(r.retraining().reason()).contains("non_inferior_to_production");
    assertThat(controller.status("loans"))
        .isEqualTo(
            new RetrainingStatus(
                false, new RetrainingStatus.Last(r.runId(), "performance", false)));
  }

  @Test
  void challengerTrainedOnDriftedTrafficIsPromotedAndBeatsTheChampionOnTheHoldout()
      throws IOException {
    trainChampion(600);
    List<Logged> logged = traffic(LoanData.rows(3000, 4, 1), y -> y);

    RunResult r = controller.retrain("loans", "drift");

    assertThat(r.promoted()).as(r.retraining().reason()).isTrue();
    assertThat(r.retraining().outcome()).isEqualTo("promoted");
    assertThat(r.retraining().reason()).isNull();
    RunResult.Comparison c = r.retraining().comparison();
    assertThat(c.verdict()).isEqualTo("pass");
    assertThat(c.challenger()).isGreaterThan(c.champion());
    assertThat(c.interval().get(0)).isGreaterThan(0.0);
    assertThat(production().version()).isEqualTo(2);
    assertThat(lineage(production()).feedbackUntil()).isEqualTo(logged.get(2399).time());
  }

  @Test
  void submitRunsOnOneLowPriorityWorkerThenTheCooldownRefusesAndFeedbackUntilMovesForward()
      throws Exception {
    trainChampion(600);
    traffic(LoanData.rows(3000, 5, 1), y -> y);
    List<RetrainingEvent> events = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    controller.addListener(
        ev -> {
          events.add(ev);
          threads.add(
              Thread.currentThread().getName() + "/" + Thread.currentThread().getPriority());
        });

    assertThat(controller.submit("loans", "drift")).isTrue();
    assertThat(controller.submit("loans", "drift")).as("one at a time").isFalse();
    assertThat(controller.awaitIdle(Duration.ofMinutes(2))).isTrue();

    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isInstanceOf(RetrainingEvent.Started.class);
    RunResult first = ((RetrainingEvent.Finished) events.get(1)).result();
    assertThat(first.promoted()).as(String.valueOf(first.retraining())).isTrue();
    assertThat(threads).containsOnly("flywheel-retrain/" + Thread.MIN_PRIORITY);
    assertThat(controller.status("loans"))
        .isEqualTo(
            new RetrainingStatus(false, new RetrainingStatus.Last(first.runId(), "drift", true)));
    Instant v2Until = lineage(production()).feedbackUntil();
    assertThat(v2Until).isEqualTo(first.retraining().feedbackUntil()).isNotNull();

    // Right away: the spec's 1h cooldown refuses, and nothing is recorded.
    int runs = workdir.metadata().runs("loans").size();
    assertThat(controller.submit("loans", "drift")).isFalse();
    assertThat(controller.cooldownUntil("loans"))
        .isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(workdir.metadata().runs("loans")).hasSize(runs);

    // After the cooldown, with 200 new rows: the holdout needs ceil(0.2 × 3200) = 640 rows, so it
    // takes the 200 new ones and 440 of the last holdout, and none that v2 trained on.
    clock.advance(Duration.ofHours(2));
    List<Logged> fresh = traffic(LoanData.rows(200, 6, 1), y -> y);
    assertThat(controller.submit("loans", "drift")).isTrue();
    assertThat(controller.awaitIdle(Duration.ofMinutes(2))).isTrue();

    RunResult second = ((RetrainingEvent.Finished) events.get(3)).result();
    assertThat(second.retraining().championVersion()).isEqualTo(2);
    assertThat(second.retraining().championFeedbackUntil()).isEqualTo(v2Until);
    assertThat(second.retraining().holdout().rows()).isEqualTo(640);
    assertThat(second.retraining().holdout().from()).isAfter(v2Until);
    assertThat(second.retraining().holdout().to()).isEqualTo(fresh.get(199).time());
    HoldoutPlan plan = plans.get(1);
    assertThat(plan.holdout()).allSatisfy(h -> assertThat(h.prediction().time()).isAfter(v2Until));
    Set<String> freshIds = new HashSet<>();
    fresh.forEach(l -> freshIds.add(l.id()));
    assertThat(ids(plan.holdout())).containsAll(freshIds);
    assertThat(second.retraining().feedbackUntil()).isAfter(v2Until);
  }

  @Test
  void tooFewHoldoutRowsSkipTheRunWithItsReasonAndTrainNothing() throws IOException {
    trainChampion(600);
    traffic(LoanData.rows(60, 7, 0), y -> y);

    RunResult r = controller.retrain("loans", "manual");

    assertThat(r.status()).isEqualTo("skipped");
    assertThat(r.promoted()).isFalse();
    assertThat(r.modelVersion()).isNull();
    assertThat(r.retraining().outcome()).isEqualTo("skipped");
    assertThat(r.retraining().holdout().needed()).isEqualTo(100);
    assertThat(r.retraining().holdout().eligible()).isEqualTo(60);
    assertThat(r.retraining().reason())
        .contains("needs 100 labelled rows", "only 60 qualify", "min_labels");
    assertThat(prepared).isEmpty();
    assertThat(workdir.metadata().versions("loans")).hasSize(1);
    RunRecord stored = workdir.metadata().run(r.runId()).orElseThrow();
    assertThat(stored.status()).isEqualTo("skipped");
    assertThat(Json.mapper().readTree(stored.resultJson()).at("/retraining/reason").asText())
        .contains("only 60 qualify");
  }

  @Test
  void aModelWithoutProductionVersionIsBadInputAndRecordsNothing() {
    assertThatThrownBy(() -> controller.retrain("nope", "manual"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'nope' has no production version")
        .hasMessageContaining("flywheel run");
    assertThat(workdir.metadata().runs(null)).isEmpty();
    assertThat(controller.status("nope")).isEqualTo(new RetrainingStatus(false, null));
  }

  @Test
  void aFreshControllerReadsTheLastRetrainFromTheStore() throws IOException {
    trainChampion(600);
    traffic(LoanData.rows(60, 8, 0), y -> y);
    RunResult r = controller.retrain("loans", "manual");

    try (RetrainingController fresh = new RetrainingController(workdir, clock, Progress.NONE, 1)) {
      assertThat(fresh.status("loans"))
          .isEqualTo(
              new RetrainingStatus(false, new RetrainingStatus.Last(r.runId(), "manual", false)));
    }
  }
}
