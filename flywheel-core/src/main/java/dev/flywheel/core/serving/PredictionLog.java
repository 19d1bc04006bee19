package dev.flywheel.core.serving;

import java.util.List;

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

  /** Blocks until every record offered before this call is durably written. */
  void flush();

  /** Records queued but not yet written. */
  int pending();

  /** The queue's capacity. */
  int capacity();

  /** A model's most recent logged predictions, newest first, at most {@code limit}. */
  List<PredictionRecord> recent(String model, int limit);

  /** Flushes, then stops the writer. Further offers return false. */
  @Override
  void close();
}
