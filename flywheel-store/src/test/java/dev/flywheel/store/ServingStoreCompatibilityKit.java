package dev.flywheel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.FeedbackResult;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.core.serving.PredictionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of a workdir's prediction log and feedback store, run against each backend: a
 * subclass opens workdirs on fresh storage per test. Two workdirs on one storage stand for two
 * processes (a server and the CLI).
 */
public abstract class ServingStoreCompatibilityKit {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00.000000001Z");

  private Path dir;
  protected Workdir workdir;

  /** Makes fresh, empty storage for one test. */
  protected abstract void createStorage() throws Exception;

  /** Opens a workdir in {@code dir} on this test's storage; several may be open at once. */
  protected abstract Workdir open(Path dir);

  /** Removes this test's storage. */
  protected abstract void dropStorage() throws Exception;

  @BeforeEach
  void openWorkdir() throws Exception {
    createStorage();
    dir = Files.createTempDirectory("fw-serving-kit");
    workdir = open(dir);
  }

  @AfterEach
  void closeWorkdir() throws Exception {
    try {
      workdir.close();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      dropStorage();
    }
  }

  private static PredictionRecord record(String model, int version, long n) {
    return new PredictionRecord(
        String.format("01JDX%021d", n),
        T0.plusNanos(n * 1_000_001L),
        model,
        version,
        "{\"tenure\": " + n + "}",
        "{\"label\": \"" + (n % 2) + "\"}");
  }

  private static List<FeedbackItem> labels(long... ns) {
    return Stream.of(ns)
        .flatMapToLong(java.util.Arrays::stream)
        .mapToObj(n -> new FeedbackItem(String.format("01JDX%021d", n), "y" + n))
        .toList();
  }

  @Test
  void loggedPredictionsReadBackNewestFirstToTheNanosecond() {
    PredictionLog log = workdir.predictionLog();
    for (long n = 1; n <= 5; n++) {
      assertThat(log.offer(record("churn", 1, n))).isTrue();
    }
    log.offer(record("other", 1, 6));
    log.flush();

    assertThat(log.pending()).isZero();
    assertThat(log.recent("churn", 3))
        .containsExactly(record("churn", 1, 5), record("churn", 1, 4), record("churn", 1, 3));
    assertThat(log.recent("churn", 0)).isEmpty();
    assertThat(log.recent("nobody", 10)).isEmpty();
    assertThat(log.recent("other", 10)).containsExactly(record("other", 1, 6));
  }

  @Test
  void readsOneVersionFromSinceOnAndItsFirstPrediction() {
    PredictionLog log = workdir.predictionLog();
    for (long n = 1; n <= 6; n++) {
      log.offer(record("churn", n <= 3 ? 1 : 2, n));
    }
    log.flush();

    assertThat(log.recent("churn", 2, 10)).extracting(PredictionRecord::id).hasSize(3);
    assertThat(log.recent("churn", 1, record("churn", 1, 2).time(), 10))
        .containsExactly(record("churn", 1, 3), record("churn", 1, 2));
    assertThat(log.first("churn", 2)).contains(record("churn", 2, 4).time());
    assertThat(log.first("churn", 3)).isEmpty();
  }

  @Test
  void aDurableOfferIsReadableFromAnotherWorkdirOnceItCompletes() throws Exception {
    try (Workdir other = open(Files.createDirectories(dir.resolve("other")))) {
      workdir.predictionLog().offerDurable(record("churn", 1, 1)).get(30, TimeUnit.SECONDS);

      assertThat(other.predictionLog().recent("churn", 10)).containsExactly(record("churn", 1, 1));
    }
  }

  @Test
  void aRepeatedIdKeepsTheFirstRecord() {
    PredictionLog log = workdir.predictionLog();
    log.offer(record("churn", 1, 1));
    log.flush();
    PredictionRecord again =
        new PredictionRecord(record("churn", 1, 1).id(), T0, "churn", 9, "{}", "{}");
    log.offer(again);
    log.flush();

    assertThat(log.recent("churn", 10)).containsExactly(record("churn", 1, 1));
  }

  @Test
  void theFirstLabelWinsAndUnknownIdsAreListedOnceInOrder() {
    PredictionLog log = workdir.predictionLog();
    log.offer(record("churn", 1, 1));
    log.offer(record("churn", 1, 2));
    log.offer(record("other", 1, 3));
    log.flush();

    FeedbackResult first =
        workdir.feedback().record("churn", labels(1, 9, 1, 3, 9), T0.plusSeconds(5));
    FeedbackResult second = workdir.feedback().record("churn", labels(1, 2), T0.plusSeconds(6));

    assertThat(first.accepted()).isEqualTo(1);
    assertThat(first.duplicates()).isEqualTo(1);
    assertThat(first.unknown())
        .containsExactly(labels(9).get(0).predictionId(), labels(3).get(0).predictionId());
    assertThat(second.accepted()).isEqualTo(1);
    assertThat(second.duplicates()).isEqualTo(1);
    assertThat(second.unknown()).isEmpty();
    assertThat(workdir.feedback().labelled("churn", 10))
        .extracting(LabelledPrediction::label)
        .containsExactly("y2", "y1");
  }

  @Test
  void labelledJoinsPredictionsNewestFirstAndByVersion() {
    PredictionLog log = workdir.predictionLog();
    for (long n = 1; n <= 6; n++) {
      log.offer(record("churn", n <= 3 ? 1 : 2, n));
    }
    log.flush();
    workdir.feedback().record("churn", labels(1, 2, 4, 6), T0.plusSeconds(9));

    List<LabelledPrediction> all = workdir.feedback().labelled("churn", 3);
    assertThat(all)
        .extracting(l -> l.prediction())
        .containsExactly(record("churn", 2, 6), record("churn", 2, 4), record("churn", 1, 2));
    assertThat(all.get(0).receivedAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(workdir.feedback().labelled("churn", 1, null, 10))
        .extracting(LabelledPrediction::label)
        .containsExactly("y2", "y1");
    assertThat(workdir.feedback().labelled("churn", 2, record("churn", 2, 5).time(), 10))
        .extracting(LabelledPrediction::label)
        .containsExactly("y6");
  }

  @Test
  void recordingFeedbackFlushesThisWorkdirsPredictionLogFirst() {
    workdir.predictionLog().offer(record("churn", 1, 1));

    FeedbackResult r = workdir.feedback().record("churn", labels(1), T0.plusSeconds(1));

    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.unknown()).isEmpty();
  }

  @Test
  void anItemWithoutItsLabelIsBadInputAndNothingIsStored() {
    workdir.predictionLog().offer(record("churn", 1, 1));
    workdir.predictionLog().flush();
    List<FeedbackItem> items =
        List.of(labels(1).get(0), new FeedbackItem(labels(1).get(0).predictionId(), null));

    assertThatThrownBy(() -> workdir.feedback().record("churn", items, T0))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("feedback item 1 lacks its label");
    assertThat(workdir.feedback().labelled("churn", 10)).isEmpty();
  }
}
