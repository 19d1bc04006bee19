package dev.flywheel.core.serving;

import java.time.Instant;
import java.util.List;

/**
 * Ground-truth labels joined to logged predictions. Unlike predictions, feedback is written
 * synchronously: once {@link #record} returns, the labels survive a crash.
 */
public interface FeedbackStore {

  /**
   * Records labels for predictions of one model. The first label for a prediction wins; later ones
   * count as duplicates. Ids the model never logged are listed as unknown, not failed. Callers
   * flush the prediction log first, so a prediction answered a moment ago is known.
   */
  FeedbackResult record(String model, List<FeedbackItem> items, Instant receivedAt);

  /**
   * A model's labelled predictions, newest prediction first, at most {@code limit}: the window that
   * live performance is computed on, and the rows a retraining run takes from production.
   */
  List<LabelledPrediction> labelled(String model, int limit);

  /**
   * One model version's labelled predictions made at or after {@code since}, newest prediction
   * first, at most {@code limit}: the window that a version's live performance is computed on.
   * {@code since} bounds the scan as in {@link PredictionLog#recent(String, int, Instant, int)}.
   *
   * @param since the oldest prediction time to consider, or null for any
   */
  List<LabelledPrediction> labelled(String model, int version, Instant since, int limit);
}
