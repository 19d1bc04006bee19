package dev.flywheel.pipeline.retrain;

import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.serving.LabelledPrediction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How one retraining run divides a model's labelled production rows between the holdout and the
 * training data (docs/retraining.md):
 *
 * <ol>
 *   <li>A row is <em>eligible</em> for the holdout when the champion cannot have trained on it: it
 *       was predicted after the champion's {@code feedback_until}, and its content (features and
 *       label) is neither a source row nor a labelled row from up to {@code feedback_until}.
 *   <li>The holdout needs the larger of {@code ceil(share × labelled rows)} and {@code min_labels}
 *       rows. It takes the newest eligible rows, newest first. With fewer eligible rows the plan is
 *       a refusal: the run is skipped, never gated on too few rows.
 *   <li>Every other labelled row joins the training data (when {@code include_feedback}), except
 *       copies of a holdout row's content, so the challenger cannot train on a holdout row either.
 * </ol>
 *
 * <p>{@code feedbackUntil} is the newest prediction time among the training rows; it goes into the
 * challenger's lineage. Since the holdout is the newest eligible rows, it is normally older than
 * every holdout row.
 *
 * @param holdout the held-out labelled rows, newest first
 * @param holdoutFrame their frame rows, same order
 * @param training the labelled rows added to the training data, newest first
 * @param trainingFrame their frame rows, same order
 * @param labelled the usable labelled rows
 * @param unusable labelled rows that could not be read
 * @param missingValues feature values read as missing
 * @param excludedAsHoldoutCopies rows left out of training as copies of a holdout row
 * @param needed the rows the holdout needs
 * @param eligible the rows that could be held out
 * @param feedbackUntil the newest prediction time among {@code training}, or null
 * @param refusal why the run must not train, or null
 */
record HoldoutPlan(
    List<LabelledPrediction> holdout,
    Frame holdoutFrame,
    List<LabelledPrediction> training,
    Frame trainingFrame,
    int labelled,
    int unusable,
    int missingValues,
    int excludedAsHoldoutCopies,
    int needed,
    int eligible,
    Instant feedbackUntil,
    String refusal) {

  /** The oldest holdout row's prediction time, or null. */
  Instant from() {
    return holdout.isEmpty() ? null : holdout.get(holdout.size() - 1).prediction().time();
  }

  /** The newest holdout row's prediction time, or null. */
  Instant to() {
    return holdout.isEmpty() ? null : holdout.get(0).prediction().time();
  }

  /**
   * Plans the split.
   *
   * @param source the source rows (their content may be in the champion's training data)
   * @param rows the labelled rows converted to the source's columns, newest first
   * @param championFeedbackUntil the champion's lineage value, or null
   * @param share {@code retraining.holdout}
   * @param minLabels {@code monitoring.performance.min_labels}
   * @param includeFeedback {@code retraining.include_feedback}
   */
  static HoldoutPlan make(
      Frame source,
      FeedbackRows.Converted rows,
      Instant championFeedbackUntil,
      double share,
      int minLabels,
      boolean includeFeedback) {
    Frame frame = rows.frame();
    int n = frame.rowCount();
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = frame.canonicalRow(i);
    }
    Set<String> championMaySee = new HashSet<>();
    for (int i = 0; i < source.rowCount(); i++) {
      championMaySee.add(source.canonicalRow(i));
    }
    boolean[] eligible = new boolean[n];
    if (championFeedbackUntil != null) {
      for (int i = 0; i < n; i++) {
        if (!time(rows, i).isAfter(championFeedbackUntil)) {
          championMaySee.add(keys[i]);
        }
      }
    }
    int eligibleCount = 0;
    for (int i = 0; i < n; i++) {
      eligible[i] =
          (championFeedbackUntil == null || time(rows, i).isAfter(championFeedbackUntil))
              && !championMaySee.contains(keys[i]);
      if (eligible[i]) {
        eligibleCount++;
      }
    }
    int needed = Math.max((int) Math.ceil(share * n), minLabels);

    List<Integer> held = new ArrayList<>();
    for (int i = 0; i < n && held.size() < needed; i++) {
      if (eligible[i]) {
        held.add(i);
      }
    }
    if (held.size() < needed) {
      String refusal =
          String.format(
              java.util.Locale.ROOT,
              "the holdout needs %d labelled rows (the larger of holdout %s × %d labelled rows and"
                  + " min_labels %d) that the champion never trained on, but only %d qualify%s."
                  + " Send more feedback, or lower retraining.holdout or"
                  + " monitoring.performance.min_labels.",
              needed,
              share,
              n,
              minLabels,
              eligibleCount,
              championFeedbackUntil == null
                  ? ""
                  : " (predicted after the champion's feedback_until "
                      + championFeedbackUntil
                      + ")");
      return new HoldoutPlan(
          List.of(),
          frame.take(new int[0]),
          List.of(),
          frame.take(new int[0]),
          n,
          rows.unusable(),
          rows.missingValues(),
          0,
          needed,
          eligibleCount,
          null,
          refusal);
    }
    Set<Integer> heldSet = new HashSet<>(held);
    Set<String> heldKeys = new HashSet<>();
    held.forEach(i -> heldKeys.add(keys[i]));
    List<Integer> train = new ArrayList<>();
    int copies = 0;
    if (includeFeedback) {
      for (int i = 0; i < n; i++) {
        if (heldSet.contains(i)) {
          continue;
        }
        if (heldKeys.contains(keys[i])) {
          copies++;
        } else {
          train.add(i);
        }
      }
    }
    Instant until = null;
    for (int i : train) {
      Instant t = time(rows, i);
      if (until == null || t.isAfter(until)) {
        until = t;
      }
    }
    int[] heldIdx = held.stream().mapToInt(Integer::intValue).toArray();
    int[] trainIdx = train.stream().mapToInt(Integer::intValue).toArray();
    return new HoldoutPlan(
        held.stream().map(i -> rows.rows().get(i)).toList(),
        frame.take(heldIdx),
        train.stream().map(i -> rows.rows().get(i)).toList(),
        frame.take(trainIdx),
        n,
        rows.unusable(),
        rows.missingValues(),
        copies,
        needed,
        eligibleCount,
        until,
        null);
  }

  private static Instant time(FeedbackRows.Converted rows, int i) {
    return rows.rows().get(i).prediction().time();
  }
}
