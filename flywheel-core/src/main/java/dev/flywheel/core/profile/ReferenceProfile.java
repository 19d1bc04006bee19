package dev.flywheel.core.profile;

import java.util.List;
import java.util.Map;

/**
 * The training data's distribution per input feature, stored in the bundle so the monitor can
 * measure drift without the training data.
 *
 * @param rows the number of training rows profiled
 * @param features one profile per input feature, in signature order
 */
public record ReferenceProfile(long rows, List<FeatureProfile> features) {

  /** An empty share counts as this much, so PSI stays finite. */
  public static final double EMPTY_SHARE = 1e-4;

  public ReferenceProfile {
    features = List.copyOf(features);
  }

  /**
   * The population stability index of observed values against one feature's reference: the sum over
   * bins of {@code (actual - expected) * ln(actual / expected)}, with empty shares counted as
   * {@link #EMPTY_SHARE}.
   */
  public static double psi(FeatureProfile reference, List<?> observed) {
    int bins = reference.shares().size();
    double[] counts = new double[bins];
    for (Object v : observed) {
      counts[reference.bin(v)]++;
    }
    double psi = 0;
    for (int b = 0; b < bins; b++) {
      double expected = Math.max(reference.shares().get(b), EMPTY_SHARE);
      double actual =
          observed.isEmpty() ? EMPTY_SHARE : Math.max(counts[b] / observed.size(), EMPTY_SHARE);
      psi += (actual - expected) * Math.log(actual / expected);
    }
    return psi;
  }

  /** PSI per feature name, for rows given as maps of raw values. */
  public Map<String, Double> psi(List<Map<String, ?>> rows) {
    java.util.LinkedHashMap<String, Double> out = new java.util.LinkedHashMap<>();
    for (FeatureProfile f : features) {
      out.put(f.name(), psi(f, rows.stream().map(r -> (Object) r.get(f.name())).toList()));
    }
    return out;
  }
}
