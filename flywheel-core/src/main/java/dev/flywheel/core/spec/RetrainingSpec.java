package dev.flywheel.core.spec;

import java.time.Duration;
import java.util.List;

/**
 * When and how the server retrains by itself. Absent from a spec means no automatic retraining.
 *
 * @param on the triggers: {@code drift} and/or {@code performance}
 * @param includeFeedback whether labelled production rows join the training data
 * @param holdout the newest share of labelled rows held out to gate challenger against champion
 * @param cooldown the least time between two automatic retrains
 */
public record RetrainingSpec(
    List<String> on, boolean includeFeedback, double holdout, Duration cooldown) {

  public RetrainingSpec {
    on = List.copyOf(on);
  }
}
