package dev.flywheel.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a model's curated training data: its content hash and its stored profile. A
 * version is written once per distinct hash and model; a run on unchanged data reuses it.
 *
 * @param model the model's name
 * @param version 1, 2, … per model
 * @param hash the content hash ({@code sha256:…}), the run's {@code dataset.hash}
 * @param rows the curated rows
 * @param columns the columns
 * @param profile the stored profile document (JSON; see {@code DatasetProfile} in flywheel-data)
 * @param runId the run that first wrote it
 * @param createdAt when it was first written
 */
public record DatasetVersion(
    String model,
    int version,
    String hash,
    long rows,
    int columns,
    String profile,
    String runId,
    Instant createdAt) {

  public DatasetVersion {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
