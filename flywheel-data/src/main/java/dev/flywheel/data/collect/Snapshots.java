package dev.flywheel.data.collect;

import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.MetadataStore;
import java.time.Clock;
import java.util.Objects;

/**
 * Where incremental sources keep their state for one run: watermarks in the metadata store,
 * snapshots in the artifact store under {@code datasets/MODEL/SOURCE/RUN.fwframe.gz}. Without one,
 * {@link Collector} reads an incremental source whole, as a profile does.
 *
 * @param model the spec's name: watermarks are per model and source
 * @param runId the run collecting, which makes each snapshot's key unique
 * @param clock when a watermark moved
 */
public record Snapshots(
    String model, String runId, MetadataStore metadata, ArtifactStore artifacts, Clock clock) {

  public Snapshots {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(artifacts, "artifacts");
    Objects.requireNonNull(clock, "clock");
  }
}
