package dev.flywheel.data.features;

import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.FeaturesSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a {@link FeaturePipeline} on the training split: imputation values and one-hot vocabularies
 * come from these rows alone, never from validation or test rows (no leakage).
 */
public final class FeaturePipelineFitter {

  /**
   * At most this many categories per column get a one-hot output: the most frequent ones. The rest
   * encode as all zeros, like unseen categories, so an identifier column cannot blow up the model's
   * width.
   */
  public static final int MAX_CATEGORIES = 100;

  private FeaturePipelineFitter() {}

  /**
   * @param train the training split
   * @param features the input columns, in signature order
   * @param spec how to impute and encode
   */
  public static FeaturePipeline fit(Frame train, List<String> features, FeaturesSpec spec) {
    List<InputFeature> inputs = new ArrayList<>();
    for (String name : features) {
      Column column = train.column(name);
      inputs.add(
          switch (column) {
            case NumericColumn n -> new InputFeature.Numeric(name, fill(n, spec.numericImpute()));
            case CategoricalColumn c -> categorical(c);
          });
    }
    return new FeaturePipeline(inputs);
  }

  private static double fill(NumericColumn column, String method) {
    double[] present = Arrays.stream(column.values()).filter(v -> !Double.isNaN(v)).toArray();
    if (present.length == 0) {
      return 0.0;
    }
    return switch (method) {
      case "mean" -> Arrays.stream(present).average().orElse(0.0);
      default -> median(present);
    };
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private static InputFeature.Categorical categorical(CategoricalColumn column) {
    List<Map.Entry<String, Integer>> ranked = rankedCounts(column);
    String mode = ranked.isEmpty() ? "" : ranked.get(0).getKey();
    List<String> kept =
        ranked.stream().limit(MAX_CATEGORIES).map(Map.Entry::getKey).sorted().toList();
    return new InputFeature.Categorical(column.name(), mode, kept);
  }

  /** Categories by descending count; ties in text order, so fits are deterministic. */
  public static List<Map.Entry<String, Integer>> rankedCounts(CategoricalColumn column) {
    Map<String, Integer> counts = new HashMap<>();
    for (String v : column.values()) {
      if (v != null) {
        counts.merge(v, 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .sorted(
            Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .toList();
  }
}
