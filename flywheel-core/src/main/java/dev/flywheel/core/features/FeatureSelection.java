package dev.flywheel.core.features;

import java.util.List;

/**
 * What feature selection ({@code features.select}) decided, as a bundle records it in its manifest.
 * The bundle's pipeline holds only the kept features, while the manifest's input signature still
 * lists every column a caller sends; this record says why the others are unused. Bundles written
 * without selection have none (null in the manifest).
 *
 * @param method {@code variance}, {@code correlation}, {@code mutual_info} or {@code importance}
 * @param keep the count asked for, or null when a threshold decided
 * @param threshold the threshold asked for, or null when a count decided
 * @param kept the kept features (input columns and derived features), in pipeline order
 * @param dropped the dropped features with their reasons, in pipeline order
 */
public record FeatureSelection(
    String method, Integer keep, Double threshold, List<String> kept, List<Dropped> dropped) {

  public FeatureSelection {
    kept = List.copyOf(kept);
    dropped = List.copyOf(dropped);
  }

  /**
   * A dropped feature.
   *
   * @param name the feature
   * @param score its score under the method (variance, |r| with the kept feature, mutual
   *     information in nats, or total gain)
   * @param reason why it was dropped, in words
   */
  public record Dropped(String name, double score, String reason) {}
}
