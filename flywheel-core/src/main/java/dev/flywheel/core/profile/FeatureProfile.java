package dev.flywheel.core.profile;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * The reference distribution of one input feature, in the bins that PSI uses (INTERFACES.md):
 * numeric features have 10 bins cut at the training deciles, categorical features one bin per
 * training category plus "other", and both have a bin for missing values.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = FeatureProfile.Numeric.class, name = "numeric"),
  @JsonSubTypes.Type(value = FeatureProfile.Categorical.class, name = "categorical")
})
public sealed interface FeatureProfile {

  String name();

  /** The shares of the training rows per bin; the last bin is "missing". They sum to 1. */
  List<Double> shares();

  /** The bin of one raw value (a {@code Number}, text, or null for missing). */
  int bin(Object value);

  /**
   * A numeric feature. Bin {@code i < 10} holds values in {@code (cuts[i-1], cuts[i]]}, with open
   * ends; bin 10 holds missing values.
   *
   * @param cuts the nine training deciles, ascending
   */
  record Numeric(String name, List<Double> cuts, List<Double> shares) implements FeatureProfile {
    public Numeric {
      cuts = List.copyOf(cuts);
      shares = List.copyOf(shares);
    }

    @Override
    public int bin(Object value) {
      double v = value instanceof Number n ? n.doubleValue() : Double.NaN;
      if (Double.isNaN(v)) {
        return cuts.size() + 1;
      }
      int i = 0;
      while (i < cuts.size() && v > cuts.get(i)) {
        i++;
      }
      return i;
    }
  }

  /**
   * A categorical feature: bins for each training category in order, then "other", then "missing".
   */
  record Categorical(String name, List<String> categories, List<Double> shares)
      implements FeatureProfile {
    public Categorical {
      categories = List.copyOf(categories);
      shares = List.copyOf(shares);
    }

    @Override
    public int bin(Object value) {
      if (value == null) {
        return categories.size() + 1;
      }
      int i = categories.indexOf(value.toString());
      return i >= 0 ? i : categories.size();
    }
  }
}
