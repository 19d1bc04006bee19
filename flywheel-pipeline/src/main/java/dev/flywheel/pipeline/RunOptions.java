package dev.flywheel.pipeline;

import dev.flywheel.core.frame.Frame;
import dev.flywheel.pipeline.gate.Holdout;
import dev.flywheel.pipeline.train.PreparedData;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * What a run does beyond a plain {@code flywheel run}: the retraining controller's extra rows and
 * holdout. {@link #NONE} is a plain run.
 *
 * @param source the collected source rows, or null to collect them from the spec
 * @param extraRows rows appended to the source before curation (labelled production rows), with
 *     exactly the source's columns and types; or null
 * @param holdout rows that the non-inferiority check compares challenger and champion on, instead
 *     of the test split; or null
 * @param feedbackUntil recorded in the bundle's lineage: the newest prediction time among {@code
 *     extraRows}; null when there are none
 * @param inspect called with the prepared data before training (tests use it to look at the
 *     training split); or null
 */
public record RunOptions(
    Frame source,
    Frame extraRows,
    Holdout holdout,
    Instant feedbackUntil,
    Consumer<PreparedData> inspect) {

  /** A plain run. */
  public static final RunOptions NONE = new RunOptions(null, null, null, null, null);
}
