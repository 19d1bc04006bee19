package dev.flywheel.core.serving;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The log of every prediction a server makes. Writes are queued and batched off the request path;
 * the queue is bounded, and a full queue makes {@link #offer} return false so the server can answer
 * 503 instead of growing without limit. What a crash can lose is stated in docs/serving.md.
 *
 * <p>Implementations are thread-safe. The SQLite implementation lives in {@code flywheel-store}.
 */
public interface PredictionLog extends AutoCloseable {

  /** Queues a record without blocking; returns false when the queue is full. */
  boolean offer(PredictionRecord record);

  /**
   * Queues a record like {@link #offer} and returns a future that completes once the record is
   * durably written: the "durable predictions" mode, where a server answers only after its log
   * record is safe. When the queue is full or the log is closed, the future is already completed
   * exceptionally with a {@link RejectedExecutionException}, so a caller can check {@link
   * CompletableFuture#isCompletedExceptionally()} at once and answer 503.
   *
   * <p>This default waits for a {@link #flush} on the common pool; implementations override it with
   * group commit, completing every waiting future of a batch after its one commit.
   */
  default CompletableFuture<Void> offerDurable(PredictionRecord record) {
    if (!offer(record)) {
      return CompletableFuture.failedFuture(
          new RejectedExecutionException("the prediction log is full or closed"));
    }
    return CompletableFuture.runAsync(this::flush);
  }

  /** Blocks until every record offered before this call is durably written. */
  void flush();

  /** Records queued but not yet written. */
  int pending();

  /** The queue's capacity. */
  int capacity();

  /** A model's most recent logged predictions, newest first, at most {@code limit}. */
  List<PredictionRecord> recent(String model, int limit);

  /**
   * One model version's most recent logged predictions made at or after {@code since}, newest
   * first, at most {@code limit}: the window that drift is measured on, which must hold the
   * production version's predictions alone.
   *
   * <p>{@code since} bounds the scan: an implementation may read every prediction of the model from
   * the newest back to {@code since} (or to the oldest, when null) to find the version's rows, so a
   * caller that knows when the version started serving should say so.
   *
   * @param since the oldest prediction time to consider, or null for any
   */
  List<PredictionRecord> recent(String model, int version, Instant since, int limit);

  /** A model version's most recent logged predictions, newest first, at most {@code limit}. */
  default List<PredictionRecord> recent(String model, int version, int limit) {
    return recent(model, version, null, limit);
  }

  /**
   * When a model version's first logged prediction was made, or empty when it has logged none: the
   * {@code since} that bounds later reads of that version. An implementation may read every older
   * prediction of the model to find it, so callers ask once per version and keep the answer.
   */
  Optional<Instant> first(String model, int version);

  /** Flushes, then stops the writer. Further offers return false. */
  @Override
  void close();
}
