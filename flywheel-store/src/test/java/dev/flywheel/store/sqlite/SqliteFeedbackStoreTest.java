package dev.flywheel.store.sqlite;

import static dev.flywheel.store.sqlite.Predictions.T0;
import static dev.flywheel.store.sqlite.Predictions.id;
import static dev.flywheel.store.sqlite.Predictions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.FeedbackResult;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.core.serving.PredictionRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteFeedbackStoreTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-26T12:00:00Z");

  @TempDir Path dir;

  private Path db;
  private SqliteFeedbackStore store;

  @BeforeEach
  void logSomePredictions() {
    db = dir.resolve("flywheel.db");
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db)) {
      for (int i = 1; i <= 5; i++) {
        log.offer(record("churn", i));
      }
      log.offer(record("fraud", 100));
    }
    store = SqliteFeedbackStore.open(db);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static FeedbackItem item(long n, String label) {
    return new FeedbackItem(id(n), label);
  }

  @Test
  void theFirstLabelWinsAndLaterOnesAreDuplicates() {
    FeedbackResult first = store.record("churn", List.of(item(1, "1")), RECEIVED);
    FeedbackResult second = store.record("churn", List.of(item(1, "0")), RECEIVED.plusSeconds(1));

    assertThat(first).isEqualTo(new FeedbackResult(1, 0, List.of()));
    assertThat(second).isEqualTo(new FeedbackResult(0, 1, List.of()));
    assertThat(store.labelled("churn", 10))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.label()).isEqualTo("1");
              assertThat(l.receivedAt()).isEqualTo(RECEIVED);
            });
  }

  @Test
  void aRepeatWithinOneRequestIsADuplicate() {
    FeedbackResult result =
        store.record("churn", List.of(item(1, "1"), item(2, "0"), item(1, "0")), RECEIVED);

    assertThat(result).isEqualTo(new FeedbackResult(2, 1, List.of()));
    assertThat(store.labelled("churn", 10))
        .extracting(LabelledPrediction::label)
        .containsExactly("0", "1"); // prediction 2 is newer than 1
  }

  @Test
  void unknownIdsAreListedOnceInRequestOrderAndTheRestIsAccepted() {
    FeedbackResult result =
        store.record(
            "churn",
            List.of(
                new FeedbackItem("nope-2", "1"),
                item(3, "1"),
                new FeedbackItem("nope-1", "0"),
                new FeedbackItem("nope-2", "0")),
            RECEIVED);

    assertThat(result).isEqualTo(new FeedbackResult(1, 0, List.of("nope-2", "nope-1")));
  }

  @Test
  void anIdLoggedForAnotherModelIsUnknown() {
    FeedbackResult asChurn = store.record("churn", List.of(item(100, "1")), RECEIVED);
    FeedbackResult asFraud = store.record("fraud", List.of(item(1, "1")), RECEIVED);

    assertThat(asChurn).isEqualTo(new FeedbackResult(0, 0, List.of(id(100))));
    assertThat(asFraud).isEqualTo(new FeedbackResult(0, 0, List.of(id(1))));
    assertThat(store.labelled("churn", 10)).isEmpty();
    assertThat(store.labelled("fraud", 10)).isEmpty();
  }

  @Test
  void feedbackIsVisibleToAnotherConnectionAsSoonAsRecordReturns() {
    try (SqliteFeedbackStore other = SqliteFeedbackStore.open(db)) {
      store.record("churn", List.of(item(2, "1")), RECEIVED);

      assertThat(other.labelled("churn", 10)).hasSize(1);
      assertThat(other.record("churn", List.of(item(2, "0")), RECEIVED))
          .isEqualTo(new FeedbackResult(0, 1, List.of()));
    }
  }

  @Test
  void labelledJoinsPredictionsToTheirLabelsNewestPredictionFirst() {
    // Labels arrive in another order than the predictions were made.
    store.record("churn", List.of(item(4, "1"), item(1, "0")), RECEIVED);
    store.record("churn", List.of(item(5, "0"), item(2, "1")), RECEIVED.plusSeconds(5));

    List<LabelledPrediction> all = store.labelled("churn", 10);

    assertThat(all)
        .extracting(l -> l.prediction().id())
        .containsExactly(id(5), id(4), id(2), id(1));
    assertThat(all.get(0))
        .isEqualTo(new LabelledPrediction(record("churn", 5), "0", RECEIVED.plusSeconds(5)));
    assertThat(store.labelled("churn", 2))
        .extracting(l -> l.prediction().id())
        .containsExactly(id(5), id(4));
  }

  @Test
  void labelledFindsTheNewestLabelsAmongManyUnlabelledPredictions() {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db)) {
      for (int i = 1_000; i < 21_000; i++) {
        log.offer(record("churn", i));
      }
    }
    List<FeedbackItem> everyHundredth = new ArrayList<>();
    for (int i = 1_000; i < 21_000; i += 100) {
      everyHundredth.add(item(i, "1"));
    }
    assertThat(store.record("churn", everyHundredth, RECEIVED).accepted()).isEqualTo(200);

    assertThat(store.labelled("churn", 3))
        .extracting(l -> l.prediction().id())
        .containsExactly(id(20_900), id(20_800), id(20_700));
  }

  @Test
  void labelledOfAVersionKeepsThatVersionsPredictionsFromSinceOn() {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db)) {
      for (int i = 10; i < 14; i++) {
        log.offer(SqlitePredictionLogTest.ofVersion(record("churn", i), 4));
      }
    }
    store.record(
        "churn", List.of(item(1, "0"), item(2, "1"), item(10, "1"), item(12, "0")), RECEIVED);

    assertThat(store.labelled("churn", 4, null, 10))
        .extracting(l -> l.prediction().id() + "=" + l.label())
        .containsExactly(id(12) + "=0", id(10) + "=1");
    assertThat(store.labelled("churn", 3, null, 10))
        .extracting(l -> l.prediction().id())
        .containsExactly(id(2), id(1));
    assertThat(store.labelled("churn", 4, T0.plusMillis(11), 10))
        .extracting(l -> l.prediction().id())
        .containsExactly(id(12));
    assertThat(store.labelled("churn", 4, null, 1))
        .extracting(l -> l.prediction().id())
        .containsExactly(id(12));
    assertThat(store.labelled("fraud", 4, null, 10)).isEmpty();
  }

  @Test
  void anItemWithoutItsLabelIsBadInputAndNothingIsStored() {
    List<FeedbackItem> items = List.of(item(1, "1"), new FeedbackItem(id(2), null));

    assertThatThrownBy(() -> store.record("churn", items, RECEIVED))
        .isInstanceOf(BadInputException.class)
        .hasMessage(
            "feedback item 1 lacks its label: each item needs {\"prediction_id\": \"…\","
                + " \"label\": \"…\"}");
    assertThat(store.labelled("churn", 10)).isEmpty();
  }

  @Test
  void anEmptyRequestAcceptsNothing() {
    assertThat(store.record("churn", List.of(), RECEIVED))
        .isEqualTo(new FeedbackResult(0, 0, List.of()));
  }

  @Test
  void recordFlushesTheGivenLogFirstSoAFreshPredictionIsKnown() throws Exception {
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db);
        SqliteFeedbackStore flushing = SqliteFeedbackStore.open(db, log)) {
      PredictionRecord fresh = record("churn", 50, T0.plusSeconds(50));
      Predictions.WriteLock lock = new Predictions.WriteLock(db);
      log.offer(fresh); // stuck behind the lock: not in the table yet
      Thread.ofPlatform()
          .start(
              () -> {
                try {
                  Thread.sleep(200);
                  lock.close();
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });

      FeedbackResult result =
          flushing.record("churn", List.of(new FeedbackItem(fresh.id(), "1")), RECEIVED);

      assertThat(result).isEqualTo(new FeedbackResult(1, 0, List.of()));
    }
  }
}
