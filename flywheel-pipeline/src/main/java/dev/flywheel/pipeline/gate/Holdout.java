package dev.flywheel.pipeline.gate;

import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.store.ModelVersion;
import java.util.Objects;

/**
 * Rows set aside for the production gate of a retraining run: labelled production rows that neither
 * the champion nor the challenger trained on. When a run has one, the gate's non-inferiority check
 * compares the challenger with {@code champion} on these rows instead of on the test split.
 *
 * @param rows the rows, with the same columns and types as the training data (target included)
 * @param champion the production version to compare with
 * @param description where the rows came from, for the check's detail (such as "labelled production
 *     rows predicted 2026-11-26T10:00Z to 10:05Z")
 */
public record Holdout(Frame rows, ModelVersion champion, String description) {

  public Holdout {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(champion, "champion");
    Objects.requireNonNull(description, "description");
  }
}
