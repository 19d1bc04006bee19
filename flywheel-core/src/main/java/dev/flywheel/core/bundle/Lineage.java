package dev.flywheel.core.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flywheel.core.spec.SplitSpec;
import java.time.Instant;

/**
 * Where a bundle came from: the run, the data it saw and how that data was split. The split lets a
 * later gate find source rows this model never trained on; {@code feedbackUntil} does the same for
 * labelled production rows.
 *
 * @param runId the training run; stored in the bundle's {@code run.json}, outside its content (see
 *     {@link BundleIO})
 * @param dataHash the SHA-256 of the curated data set
 * @param specHash the SHA-256 of the spec text
 * @param split the split settings of the run
 * @param trainRows the number of rows the model trained on
 * @param feedbackUntil the newest prediction time of the labelled production rows that went into
 *     its data, or null when none did (every plain {@code flywheel run}, and bundles written before
 *     this field existed). A retraining holdout takes only rows predicted after it.
 */
public record Lineage(
    String runId,
    String dataHash,
    String specHash,
    SplitSpec split,
    long trainRows,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant feedbackUntil) {

  /** A copy with another run id. */
  public Lineage withRunId(String id) {
    return new Lineage(id, dataHash, specHash, split, trainRows, feedbackUntil);
  }

  /** Lineage of a model trained on source rows alone. */
  public Lineage(String runId, String dataHash, String specHash, SplitSpec split, long trainRows) {
    this(runId, dataHash, specHash, split, trainRows, null);
  }
}
