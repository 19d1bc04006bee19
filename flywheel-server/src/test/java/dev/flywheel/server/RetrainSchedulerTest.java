package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.Progress;
import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.pipeline.monitor.MonitoringReport;
import dev.flywheel.pipeline.monitor.RetrainingStatus;
import dev.flywheel.pipeline.retrain.RetrainingController;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own triggers: a drift or performance trigger arms when the report shows it, and
 * fires only once {@code min_labels / holdout} labels of predictions made since then arrived.
 */
class RetrainSchedulerTest {

  @TempDir Path dir;

  /** min_labels 20 / holdout 0.2: the trigger needs 100 fresh labels. */
  private static final String SPEC =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      candidates: [{algorithm: linear}]
      monitoring: {performance: {min_labels: 20}}
      retraining: {on: [drift], holdout: 0.2, cooldown: 1s}
      """;

  private static final Instant ARMED = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void aDriftTriggerWaitsForLabelsOfTheDriftedTrafficThenRetrains() throws Exception {
    try (Workdir workdir = Workdir.open(dir.resolve("work"))) {
      Models.train(workdir, dir, SPEC);
      Clock clock = Clock.fixed(ARMED, ZoneOffset.UTC);
      try (RetrainingController controller =
          new RetrainingController(workdir, clock, Progress.NONE, 1)) {
        RetrainScheduler scheduler = new RetrainScheduler(controller, workdir.feedback(), clock);

        // Labels of predictions made before the trigger armed do not count.
        label(workdir, ARMED.minusSeconds(3600), 150, 1);
        scheduler.onReport(report(true, false));
        assertThat(controller.awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(retrainingRuns(workdir)).isEmpty();

        // 99 fresh labels: one short.
        label(workdir, ARMED.plusSeconds(1), 99, 2);
        scheduler.onReport(report(true, false));
        assertThat(controller.awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(retrainingRuns(workdir)).isEmpty();

        // The hundredth fires it.
        label(workdir, ARMED.plusSeconds(500), 1, 3);
        scheduler.onReport(report(true, false));
        assertThat(controller.awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(retrainingRuns(workdir))
            .singleElement()
            .satisfies(r -> assertThat(r.resultJson()).contains("\"trigger\" : \"drift\""));
      }
    }
  }

  @Test
  void aTriggerTheSpecDoesNotListNeverFires() throws Exception {
    try (Workdir workdir = Workdir.open(dir.resolve("work"))) {
      Models.train(workdir, dir, SPEC);
      Clock clock = Clock.fixed(ARMED, ZoneOffset.UTC);
      try (RetrainingController controller =
          new RetrainingController(workdir, clock, Progress.NONE, 1)) {
        RetrainScheduler scheduler = new RetrainScheduler(controller, workdir.feedback(), clock);
        scheduler.onReport(report(false, true));
        label(workdir, ARMED.plusSeconds(1), 200, 4);

        scheduler.onReport(report(false, true));

        assertThat(controller.awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(retrainingRuns(workdir)).isEmpty();
      }
    }
  }

  private static MonitoringReport report(boolean drifted, boolean degraded) {
    return new MonitoringReport(
        "loans",
        1,
        new MonitoringReport.Window(500, ARMED, ARMED),
        new MonitoringReport.Drift(
            "psi",
            0.2,
            drifted,
            List.of(new MonitoringReport.FeatureDrift("income", 0.5, drifted))),
        new MonitoringReport.Performance("accuracy", 0.5, 300, 0.7, degraded),
        RetrainingStatus.NONE);
  }

  /** Logs {@code n} predictions of v1 made from {@code at} on, and labels them all. */
  private static void label(Workdir workdir, Instant at, int n, long seed) {
    List<FeedbackItem> items = new ArrayList<>();
    List<String[]> rows = LoanData.rows(n, seed, 1.0);
    for (int i = 0; i < n; i++) {
      String[] row = rows.get(i);
      String id = String.format(Locale.ROOT, "S%d-%06d", seed, i);
      String inputs =
          String.format(
              Locale.ROOT,
              "{\"income\": %s, \"debt_ratio\": %s, \"age\": %s, \"plan\": %s, \"region\": \"%s\"}",
              row[0].isEmpty() ? "null" : row[0],
              row[1],
              row[2],
              row[3].isEmpty() ? "null" : "\"" + row[3] + "\"",
              row[4]);
      assertThat(
              workdir
                  .predictionLog()
                  .offer(new PredictionRecord(id, at.plusMillis(i), "loans", 1, inputs, "{}")))
          .isTrue();
      items.add(new FeedbackItem(id, row[5]));
    }
    workdir.predictionLog().flush();
    assertThat(workdir.feedback().record("loans", items, at).accepted()).isEqualTo(n);
  }

  private static List<RunRecord> retrainingRuns(Workdir workdir) {
    return workdir.metadata().runs("loans").stream()
        .filter(r -> r.resultJson() != null && r.resultJson().contains("\"retraining\""))
        .toList();
  }
}
