package dev.flywheel.data.profile;

import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.profile.FeatureProfile;
import dev.flywheel.core.profile.ReferenceProfile;
import dev.flywheel.data.features.FeaturePipelineFitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds the reference profile of the training split, in the PSI bins of INTERFACES.md: deciles for
 * numbers, one bin per category plus "other" for categories, and a missing bin for both.
 */
public final class ProfileBuilder {

  private ProfileBuilder() {}

  public static ReferenceProfile build(Frame train, List<String> features) {
    List<FeatureProfile> out = new ArrayList<>();
    for (String name : features) {
      Column column = train.column(name);
      FeatureProfile empty =
          switch (column) {
            case NumericColumn n ->
                new FeatureProfile.Numeric(name, deciles(n.values()), List.of());
            case CategoricalColumn c ->
                new FeatureProfile.Categorical(
                    name,
                    FeaturePipelineFitter.rankedCounts(c).stream()
                        .limit(FeaturePipelineFitter.MAX_CATEGORIES)
                        .map(Map.Entry::getKey)
                        .sorted()
                        .toList(),
                    List.of());
          };
      out.add(withShares(empty, column));
    }
    return new ReferenceProfile(train.rowCount(), out);
  }

  private static FeatureProfile withShares(FeatureProfile profile, Column column) {
    int bins =
        switch (profile) {
          case FeatureProfile.Numeric n -> n.cuts().size() + 2;
          case FeatureProfile.Categorical c -> c.categories().size() + 2;
        };
    double[] counts = new double[bins];
    for (int i = 0; i < column.size(); i++) {
      counts[profile.bin(column.value(i))]++;
    }
    List<Double> shares =
        Arrays.stream(counts).map(c -> c / Math.max(1, column.size())).boxed().toList();
    return switch (profile) {
      case FeatureProfile.Numeric n -> new FeatureProfile.Numeric(n.name(), n.cuts(), shares);
      case FeatureProfile.Categorical c ->
          new FeatureProfile.Categorical(c.name(), c.categories(), shares);
    };
  }

  /** The nine deciles of the non-missing values, by linear interpolation (numpy's default). */
  static List<Double> deciles(double[] values) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    List<Double> cuts = new ArrayList<>(9);
    if (sorted.length == 0) {
      return cuts;
    }
    for (int k = 1; k <= 9; k++) {
      double pos = k / 10.0 * (sorted.length - 1);
      int lo = (int) Math.floor(pos);
      int hi = Math.min(lo + 1, sorted.length - 1);
      cuts.add(sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]));
    }
    return cuts;
  }
}
