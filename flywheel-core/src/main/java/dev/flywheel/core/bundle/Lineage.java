package dev.flywheel.core.bundle;

import dev.flywheel.core.spec.SplitSpec;

/**
 * Where a bundle came from: the run, the data it saw and how that data was split. The split lets a
 * later gate find rows this model never trained on.
 *
 * @param runId the training run
 * @param dataHash the SHA-256 of the curated data set
 * @param specHash the SHA-256 of the spec text
 * @param split the split settings of the run
 * @param trainRows the number of rows the model trained on
 */
public record Lineage(
    String runId, String dataHash, String specHash, SplitSpec split, long trainRows) {}
