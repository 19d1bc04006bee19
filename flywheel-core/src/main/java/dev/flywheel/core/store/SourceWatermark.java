package dev.flywheel.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The committed state of one incremental source of one model: the largest watermark value its
 * snapshot holds, and where that snapshot is. A watermark and its snapshot move together, in one
 * {@link MetadataStore#advanceWatermark} call, and only after the snapshot is written; so the
 * snapshot a watermark names always holds exactly the rows up to that watermark.
 *
 * @param model the model's name
 * @param source the source's identity ({@code SourceSpec.Incremental#identity()}), stable across
 *     runs and free of credentials
 * @param description the source as people read it, for listings and messages
 * @param column the watermark column
 * @param value the largest watermark value stored, as text ({@code 1042}, {@code 2026-11-26
 *     10:00:00.5})
 * @param numeric whether {@code value} is a number (compared as one) or text (compared as text, or
 *     by the database for a JDBC source)
 * @param rows how many rows the snapshot holds
 * @param snapshotKey the artifact key of the snapshot, unique to the run that wrote it
 * @param updatedAt when the watermark last moved
 */
public record SourceWatermark(
    String model,
    String source,
    String description,
    String column,
    String value,
    boolean numeric,
    long rows,
    String snapshotKey,
    Instant updatedAt) {

  public SourceWatermark {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(snapshotKey, "snapshotKey");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be at least 0, not " + rows);
    }
  }
}
