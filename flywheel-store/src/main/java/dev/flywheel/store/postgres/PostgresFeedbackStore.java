package dev.flywheel.store.postgres;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.FeedbackResult;
import dev.flywheel.core.serving.FeedbackStore;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.store.log.BatchedPredictionLog;
import dev.flywheel.store.log.Timestamps;
import dev.flywheel.store.sql.FeedbackSql;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The feedback store in PostgreSQL: the {@code feedback} table beside the {@code predictions} it
 * labels, with the SQLite store's rules (first label wins, unknown ids listed once). Each {@link
 * #record} call is one transaction: when it returns, the labels are committed and visible to every
 * process using the database. Thread-safe; reads and writes use pooled connections.
 *
 * <p>Use {@code SqliteFeedbackStore} when the metadata is in the workdir's SQLite file.
 */
public final class PostgresFeedbackStore implements FeedbackStore {

  private static final String LABELLED =
      "SELECT p.id, p.ts, p.model, p.version, p.inputs, p.output, f.label, f.received_at"
          + " FROM feedback f JOIN predictions p ON p.id = f.prediction_id"
          + " WHERE f.model = ? ORDER BY f.predicted_at DESC, f.id DESC LIMIT ?";

  private static final String LABELLED_VERSION =
      "SELECT p.id, p.ts, p.model, p.version, p.inputs, p.output, f.label, f.received_at"
          + " FROM feedback f JOIN predictions p ON p.id = f.prediction_id"
          + " WHERE f.model = ? AND f.predicted_at >= ? AND p.version = ?"
          + " ORDER BY f.predicted_at DESC, f.id DESC LIMIT ?";

  private final PostgresStore store;
  private final Runnable beforeRecord;

  /**
   * A feedback store on {@code store}'s pool; {@link #record} runs {@code beforeRecord} first
   * (flushing this process's prediction log, so a prediction answered a moment ago is known).
   */
  public PostgresFeedbackStore(PostgresStore store, Runnable beforeRecord) {
    this.store = Objects.requireNonNull(store, "store");
    this.beforeRecord = Objects.requireNonNull(beforeRecord, "beforeRecord");
  }

  /**
   * {@inheritDoc}
   *
   * @throws BadInputException when an item lacks its prediction id or label
   */
  @Override
  public FeedbackResult record(String model, List<FeedbackItem> items, Instant receivedAt) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(receivedAt, "receivedAt");
    FeedbackSql.check(items);
    beforeRecord.run();
    String received = Timestamps.format(receivedAt);
    return PostgresMetadataStore.tx(
        store, "the feedback store", c -> FeedbackSql.record(c, model, items, received));
  }

  @Override
  public List<LabelledPrediction> labelled(String model, int limit) {
    Objects.requireNonNull(model, "model");
    BatchedPredictionLog.checkLimit(limit);
    return PostgresPredictionLog.read(
        store,
        LABELLED,
        ps -> {
          ps.setString(1, model);
          ps.setInt(2, limit);
          return FeedbackSql.readAll(ps, limit);
        },
        "reading feedback from");
  }

  @Override
  public List<LabelledPrediction> labelled(String model, int version, Instant since, int limit) {
    Objects.requireNonNull(model, "model");
    BatchedPredictionLog.checkLimit(limit);
    return PostgresPredictionLog.read(
        store,
        LABELLED_VERSION,
        ps -> {
          ps.setString(1, model);
          ps.setString(2, since == null ? "" : Timestamps.format(since));
          ps.setInt(3, version);
          ps.setInt(4, limit);
          return FeedbackSql.readAll(ps, limit);
        },
        "reading feedback from");
  }
}
