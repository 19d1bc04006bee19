package dev.flywheel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.FeedbackResult;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.store.sqlite.SqlitePredictionLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkdirServingTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path dir;

  private static PredictionRecord prediction(int n) {
    return new PredictionRecord(
        "p-" + n, T0.plusMillis(n), "churn", 1, "{\"tenure\": " + n + "}", "{\"label\": \"1\"}");
  }

  @Test
  void aSecondWorkdirOnTheSameFolderSeesLoggedPredictionsAfterFlush() {
    try (Workdir server = Workdir.open(dir);
        Workdir cli = Workdir.open(dir)) {
      PredictionLog log = server.predictionLog();
      for (int i = 0; i < 100; i++) {
        log.offer(prediction(i));
      }
      log.flush();

      assertThat(cli.predictionLog().recent("churn", 1_000)).hasSize(100);
      assertThat(cli.feedback().record("churn", List.of(new FeedbackItem("p-7", "1")), T0))
          .isEqualTo(new FeedbackResult(1, 0, List.of()));
      assertThat(server.feedback().labelled("churn", 10)).hasSize(1);
    }
  }

  @Test
  void closingTheWorkdirWritesEverythingOffered() {
    try (Workdir workdir = Workdir.open(dir)) {
      for (int i = 0; i < 5_000; i++) {
        workdir.predictionLog().offer(prediction(i));
      }
    }
    try (Workdir again = Workdir.open(dir)) {
      assertThat(again.predictionLog().recent("churn", 10_000)).hasSize(5_000);
    }
  }

  @Test
  void feedbackFlushesTheWorkdirsLogSoAPredictionJustMadeIsKnown() {
    try (Workdir workdir = Workdir.open(dir)) {
      workdir.predictionLog().offer(prediction(1));

      assertThat(workdir.feedback().record("churn", List.of(new FeedbackItem("p-1", "0")), T0))
          .isEqualTo(new FeedbackResult(1, 0, List.of()));
    }
  }

  @Test
  void thePredictionLogOpensOnceWithTheSettingsAsked() {
    SqlitePredictionLog.Settings small = SqlitePredictionLog.Settings.defaults().withCapacity(50);
    try (Workdir workdir = Workdir.open(dir)) {
      PredictionLog log = workdir.predictionLog(small);

      assertThat(log.capacity()).isEqualTo(50);
      assertThat(workdir.predictionLog()).isSameAs(log);
      assertThatThrownBy(() -> workdir.predictionLog(small.withCapacity(60)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is open already with");
    }
  }
}
