package dev.flywheel.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model version: a bundle in the artifact store, with lineage to its run and data.
 *
 * @param model the model's name
 * @param version 1, 2, 3… per model
 * @param runId the run that trained it
 * @param bundleKey the bundle's key in the artifact store
 * @param dataHash the SHA-256 of the data it was trained and tested on
 * @param algorithm the selected algorithm
 * @param candidate the selected candidate's name
 * @param metrics its test-split metrics
 * @param createdAt when it was registered
 * @param aliases the aliases pointing at it, such as {@code production}
 */
public record ModelVersion(
    String model,
    int version,
    String runId,
    String bundleKey,
    String dataHash,
    String algorithm,
    String candidate,
    Map<String, Double> metrics,
    Instant createdAt,
    List<String> aliases) {

  public ModelVersion {
    metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    aliases = List.copyOf(aliases);
  }
}
