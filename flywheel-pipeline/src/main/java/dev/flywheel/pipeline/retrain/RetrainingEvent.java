package dev.flywheel.pipeline.retrain;

import dev.flywheel.pipeline.RunResult;
import java.time.Instant;

/**
 * What a {@link RetrainingController} tells its listener: a retrain started, finished (promoted,
 * not promoted or skipped: see {@link RunResult#retraining()}) or failed. Listeners are called on
 * the thread that runs the retrain; they must be quick and must not throw (what they throw is
 * logged and ignored).
 */
public sealed interface RetrainingEvent {

  String model();

  String trigger();

  Instant at();

  /** A retrain began. */
  record Started(String model, String trigger, Instant at) implements RetrainingEvent {}

  /** A retrain ended with a recorded result; {@code result.promoted()} says what it decided. */
  record Finished(String model, String trigger, Instant at, RunResult result)
      implements RetrainingEvent {}

  /**
   * A retrain ended with an error (bad data, no production version…).
   *
   * @param runId the failed run, or null when none was recorded
   * @param error the error's message
   */
  record Failed(String model, String trigger, Instant at, String runId, String error)
      implements RetrainingEvent {}
}
