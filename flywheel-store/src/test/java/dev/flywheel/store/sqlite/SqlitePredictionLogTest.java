package dev.flywheel.store.sqlite;

import static dev.flywheel.store.sqlite.Predictions.T0;
import static dev.flywheel.store.sqlite.Predictions.count;
import static dev.flywheel.store.sqlite.Predictions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.serving.PredictionRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqlitePredictionLogTest {

  @TempDir Path dir;

  private Path db() {
    return dir.resolve("flywheel.db");
  }

  @Test
  void offeredRecordsReadBackExactlyAfterFlush() {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db())) {
      PredictionRecord a = record("churn", 1, at("2026-11-26T10:00:00Z"));
      PredictionRecord b = record("churn", 2, at("2026-11-26T10:00:00.123456789Z"));

      assertThat(log.offer(a)).isTrue();
      assertThat(log.offer(b)).isTrue();
      log.flush();

      assertThat(log.pending()).isZero();
      assertThat(log.recent("churn", 10)).containsExactly(b, a);
    }
  }

  @Test
  void recentListsTheModelsNewestPredictionsFirstUpToTheLimit() {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db())) {
      // Offered out of time order, with whole seconds beside fractions: text order of
      // Instant.toString() would put 10:00:01Z after 10:00:01.5Z.
      PredictionRecord at1 = record("churn", 1, at("2026-11-26T10:00:01Z"));
      PredictionRecord at1half = record("churn", 2, at("2026-11-26T10:00:01.500Z"));
      PredictionRecord at2 = record("churn", 3, at("2026-11-26T10:00:02Z"));
      PredictionRecord at0 = record("churn", 4, at("2026-11-26T10:00:00.999999Z"));
      PredictionRecord other = record("fraud", 5, at("2026-11-26T11:00:00Z"));
      for (PredictionRecord r : List.of(at1half, other, at2, at0, at1)) {
        log.offer(r);
      }
      log.flush();

      assertThat(log.recent("churn", 10)).containsExactly(at2, at1half, at1, at0);
      assertThat(log.recent("churn", 2)).containsExactly(at2, at1half);
      assertThat(log.recent("fraud", 10)).containsExactly(other);
      assertThat(log.recent("nobody", 10)).isEmpty();
    }
  }

  /** A copy of a record as another version of the model made it. */
  static PredictionRecord ofVersion(PredictionRecord r, int version) {
    return new PredictionRecord(r.id(), r.time(), r.model(), version, r.inputs(), r.output());
  }

  @Test
  void recentOfAVersionKeepsThatVersionsRowsNewestFirstFromSinceOn() {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db())) {
      // Version 1 served first, then version 2; version 1 came back for one request at the end.
      List<PredictionRecord> v1 = new ArrayList<>();
      List<PredictionRecord> v2 = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        if (i < 6 || i == 9) {
          v1.add(ofVersion(record("churn", i), 1));
        } else {
          v2.add(ofVersion(record("churn", i), 2));
        }
      }
      v1.forEach(log::offer);
      v2.forEach(log::offer);
      log.offer(ofVersion(record("fraud", 50), 2));
      log.flush();

      assertThat(log.recent("churn", 2, 10)).containsExactly(v2.get(2), v2.get(1), v2.get(0));
      assertThat(log.recent("churn", 1, 3)).containsExactly(v1.get(6), v1.get(5), v1.get(4));
      assertThat(log.recent("churn", 1, T0.plusMillis(4), 10))
          .as("since is inclusive")
          .containsExactly(v1.get(6), v1.get(5), v1.get(4));
      assertThat(log.recent("churn", 2, T0.plusMillis(8), 10)).containsExactly(v2.get(2));
      assertThat(log.recent("churn", 3, 10)).isEmpty();
      assertThat(log.recent("churn", 2, 0)).isEmpty();
      assertThat(log.first("churn", 1)).contains(T0);
      assertThat(log.first("churn", 2)).contains(T0.plusMillis(6));
      assertThat(log.first("churn", 3)).isEmpty();
      assertThat(log.first("fraud", 2)).contains(T0.plusMillis(50));
    }
  }

  @Test
  void recentAndLabelledAreIndexScansWithoutASort() throws Exception {
    SqlitePredictionLog.open(db()).close(); // creates the schema
    try (Connection c = Predictions.connect(db())) {
      String recent =
          plan(
              c,
              "SELECT * FROM predictions WHERE model = 'a' ORDER BY ts DESC, rowid DESC LIMIT 5");
      String labelled =
          plan(
              c,
              "SELECT p.id, f.label FROM feedback f CROSS JOIN predictions p ON p.id ="
                  + " f.prediction_id WHERE f.model = 'a' ORDER BY f.predicted_at DESC, f.rowid"
                  + " DESC LIMIT 5");

      String recentOfVersion =
          plan(
              c,
              "SELECT * FROM predictions WHERE model = 'a' AND ts >= '' AND version = 2"
                  + " ORDER BY ts DESC, rowid DESC LIMIT 5");
      String first =
          plan(
              c,
              "SELECT ts FROM predictions WHERE model = 'a' AND version = 2 ORDER BY ts, rowid"
                  + " LIMIT 1");
      String labelledOfVersion =
          plan(
              c,
              "SELECT p.id, f.label FROM feedback f CROSS JOIN predictions p ON p.id ="
                  + " f.prediction_id WHERE f.model = 'a' AND f.predicted_at >= '' AND p.version"
                  + " = 2 ORDER BY f.predicted_at DESC, f.rowid DESC LIMIT 5");

      assertThat(recent).contains("predictions_model_ts").doesNotContain("TEMP B-TREE");
      assertThat(recentOfVersion)
          .contains("predictions_model_ts (model=? AND ts>?)")
          .doesNotContain("TEMP B-TREE");
      assertThat(first).contains("predictions_model_ts (model=?)").doesNotContain("TEMP B-TREE");
      assertThat(labelledOfVersion)
          .contains("feedback_model_predicted (model=? AND predicted_at>?)")
          .contains("sqlite_autoindex_predictions_1")
          .doesNotContain("TEMP B-TREE");
      assertThat(labelled)
          .contains("feedback_model_predicted")
          .contains("sqlite_autoindex_predictions_1")
          .doesNotContain("TEMP B-TREE");
    }
  }

  private static String plan(Connection c, String sql) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (rs.next()) {
        out.append(rs.getString("detail")).append('\n');
      }
    }
    return out.toString();
  }

  @Test
  void offersBeyondCapacityAreRefusedWhileTheWriterIsStalledAndNoneAreLost() throws Exception {
    SqlitePredictionLog.Settings settings =
        SqlitePredictionLog.Settings.defaults().withCapacity(10);
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db(), settings);
        Predictions.WriteLock lock = new Predictions.WriteLock(db())) {
      int accepted = 0;
      for (int i = 0; i < 15; i++) {
        if (log.offer(record("churn", i))) {
          accepted++;
        }
      }
      CompletableFuture<Void> durable = log.offerDurable(record("churn", 99));

      // The bound counts the batch the writer holds, so it is exact.
      assertThat(accepted).isEqualTo(10);
      assertThat(log.pending()).isEqualTo(10);
      assertThat(durable).isCompletedExceptionally();
      assertThatThrownBy(durable::get)
          .hasCauseInstanceOf(RejectedExecutionException.class)
          .hasMessageContaining("is full (10 rows not yet written)");

      lock.release();
      log.flush();

      assertThat(log.pending()).isZero();
      assertThat(log.recent("churn", 100)).hasSize(10);
      assertThat(log.offer(record("churn", 100))).isTrue();
    }
  }

  @Test
  void flushWaitsForTheRowsOfferedBeforeIt() throws Exception {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db());
        Predictions.WriteLock lock = new Predictions.WriteLock(db())) {
      for (int i = 0; i < 5; i++) {
        log.offer(record("churn", i));
      }
      CountDownLatch flushed = new CountDownLatch(1);
      Thread flusher =
          Thread.ofPlatform()
              .start(
                  () -> {
                    log.flush();
                    flushed.countDown();
                  });

      assertThat(flushed.await(300, TimeUnit.MILLISECONDS)).isFalse();
      lock.release();
      assertThat(flushed.await(20, TimeUnit.SECONDS)).isTrue();
      flusher.join();

      assertThat(count(db(), "SELECT count(*) FROM predictions")).isEqualTo(5);
    }
  }

  @Test
  void flushThatTimesOutSaysWhatIsUnwrittenAndTheRowsAreStillWrittenLater() throws Exception {
    SqlitePredictionLog.Settings settings =
        SqlitePredictionLog.Settings.defaults().withFlushTimeout(Duration.ofMillis(300));
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db(), settings);
        Predictions.WriteLock lock = new Predictions.WriteLock(db())) {
      log.offer(record("churn", 1));
      log.offer(record("churn", 2));

      assertThatThrownBy(log::flush)
          .isInstanceOf(InfrastructureException.class)
          .hasMessageContaining("flushing the prediction log")
          .hasMessageContaining("timed out after 300 ms with 2 predictions still unwritten")
          .hasMessageContaining("no other process holds a write lock");

      lock.release();
      log.flush();
      assertThat(log.recent("churn", 10)).hasSize(2);
    }
  }

  @Test
  void aFailedWriteIsRetriedWithItsRowsKept() throws Exception {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db())) {
      log.offer(record("churn", 1));
      log.flush();
      // Moving the table away makes every insert fail (as a full disk would) until it is back.
      try (Connection c = Predictions.connect(db());
          Statement s = c.createStatement()) {
        s.execute("ALTER TABLE predictions RENAME TO predictions_away");
        log.offer(record("churn", 2));
        log.offer(record("churn", 3));
        Thread.sleep(400); // several failed attempts
        assertThat(log.pending()).isEqualTo(2);
        s.execute("ALTER TABLE predictions_away RENAME TO predictions");
      }
      log.flush();

      assertThat(log.recent("churn", 10))
          .extracting(PredictionRecord::id)
          .containsExactly(Predictions.id(3), Predictions.id(2), Predictions.id(1));
    }
  }

  @Test
  void closeWritesEverythingOfferedAndRefusesLaterOffers() throws Exception {
    SqlitePredictionLog log = SqlitePredictionLog.open(db());
    for (int i = 0; i < 1_000; i++) {
      assertThat(log.offer(record("churn", i))).isTrue();
    }
    log.close();

    assertThat(count(db(), "SELECT count(*) FROM predictions")).isEqualTo(1_000);
    assertThat(log.offer(record("churn", 1_000))).isFalse();
    assertThatThrownBy(() -> log.offerDurable(record("churn", 1_001)).get())
        .hasCauseInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("is closed");
    log.close(); // twice is harmless
  }

  @Test
  void fourThreadsOfferingAtOnceLandEveryRowExactlyOnce() throws Exception {
    int threads = 4;
    int each = 10_000;
    AtomicInteger refused = new AtomicInteger();
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db())) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * each;
        workers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        start.await();
                      } catch (InterruptedException e) {
                        throw new AssertionError(e);
                      }
                      for (int i = 0; i < each; i++) {
                        if (!log.offer(record("churn", base + i))) {
                          refused.incrementAndGet();
                        }
                      }
                    }));
      }
      start.countDown();
      for (Thread w : workers) {
        w.join();
      }
      log.flush();
    }

    assertThat(refused.get()).isZero();
    assertThat(count(db(), "SELECT count(*) FROM predictions")).isEqualTo(threads * each);
    assertThat(count(db(), "SELECT count(DISTINCT id) FROM predictions")).isEqualTo(threads * each);
    assertThat(count(db(), "SELECT min(id) = '" + Predictions.id(0) + "' FROM predictions"))
        .isEqualTo(1);
    assertThat(
            count(
                db(),
                "SELECT max(id) = '" + Predictions.id(threads * each - 1) + "' FROM predictions"))
        .isEqualTo(1);
  }

  @Test
  void offerDurableCompletesOnlyOnceItsRowIsCommitted() throws Exception {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db())) {
      CompletableFuture<Void> done;
      try (Predictions.WriteLock lock = new Predictions.WriteLock(db())) {
        done = log.offerDurable(record("churn", 7));
        Thread.sleep(200);
        assertThat(done).isNotDone();
      }
      done.get(20, TimeUnit.SECONDS);

      assertThat(
              count(
                  db(), "SELECT count(*) FROM predictions WHERE id = '" + Predictions.id(7) + "'"))
          .isEqualTo(1);
    }
  }

  @Test
  void aCallbackThatFlushesOnTheWriterThreadFailsInsteadOfWaitingForItself() throws Exception {
    SqlitePredictionLog.Settings oneRowBatches =
        SqlitePredictionLog.Settings.defaults().withMaxBatch(1);
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db(), oneRowBatches)) {
      CompletableFuture<Void> callback;
      try (Predictions.WriteLock lock = new Predictions.WriteLock(db())) {
        // Row 1's callback runs on the writer right after its commit, while row 2 still waits.
        callback = log.offerDurable(record("churn", 1)).thenRun(log::flush);
        log.offer(record("churn", 2));
      }

      assertThatThrownBy(() -> callback.get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("would wait for itself");
      log.flush();
      assertThat(log.recent("churn", 10)).hasSize(2);
    }
  }

  @Test
  void aRecordWithAMissingFieldIsRefusedOnTheCallersThreadAndTheLogKeepsWorking() {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db())) {
      PredictionRecord noInputs = new PredictionRecord("x", T0, "churn", 1, null, "{}");

      assertThatThrownBy(() -> log.offer(noInputs))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("the prediction record has no inputs");
      assertThat(log.offer(record("churn", 1))).isTrue();
      log.flush();
      assertThat(log.recent("churn", 5)).hasSize(1);
    }
  }

  @Test
  void aRepeatedIdKeepsTheFirstRecordAndDoesNotWedgeTheLog() {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db())) {
      PredictionRecord first = record("churn", 1);
      PredictionRecord again =
          new PredictionRecord(first.id(), T0.plusSeconds(9), "churn", 4, "{}", "{}");

      log.offer(first);
      log.offer(again);
      log.offer(record("churn", 2));
      log.flush();

      assertThat(log.recent("churn", 10)).containsExactly(record("churn", 2), first);
    }
  }

  @Test
  void theWriterIsOneDaemonThreadNamedFlywheelPredictionLog() throws Exception {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db())) {
      log.offer(record("churn", 1));
      log.flush();

      List<Thread> writers =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals(SqlitePredictionLog.THREAD_NAME))
              .toList();
      assertThat(writers).hasSize(1);
      assertThat(writers.get(0).isDaemon()).isTrue();
    }
    Thread.sleep(50);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals(SqlitePredictionLog.THREAD_NAME));
  }

  @Test
  void settingsReportEveryProblemAtOnce() {
    assertThatThrownBy(
            () ->
                new SqlitePredictionLog.Settings(
                    0, -1, SqlitePredictionLog.Synchronous.FULL, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "prediction log settings: capacity was 0 but it must be at least 1; maxBatch was -1"
                + " but it must be at least 1; flushTimeout was PT0S but it must be positive");
  }

  @Test
  void durableOffersCompleteOnceTheirBatchIsCommitted() {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db())) {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        all.add(log.offerDurable(record("churn", i)));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .orTimeout(20, TimeUnit.SECONDS)
          .join();
      assertThat(log.pending()).isZero();
      assertThat(log.recent("churn", 1000)).hasSize(100);
    }
  }

  private static Instant at(String text) {
    return Instant.parse(text);
  }
}
