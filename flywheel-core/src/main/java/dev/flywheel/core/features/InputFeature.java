package dev.flywheel.core.features;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One fitted input column of a {@link FeaturePipeline}: how its raw value becomes one or more model
 * inputs. Everything here was fitted on the training split alone.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = InputFeature.Numeric.class, name = "numeric"),
  @JsonSubTypes.Type(value = InputFeature.Categorical.class, name = "categorical")
})
public sealed interface InputFeature {

  String name();

  /** How many model inputs this feature produces. */
  int width();

  /**
   * A number, imputed when missing.
   *
   * @param name the column
   * @param fill the value used for a missing number (the training median or mean)
   */
  record Numeric(String name, double fill) implements InputFeature {
    @Override
    public int width() {
      return 1;
    }
  }

  /**
   * A category, imputed when missing, then one-hot encoded. A category unseen in training encodes
   * as all zeros.
   *
   * @param name the column
   * @param fill the category used for a missing value (the training mode)
   * @param categories the training categories, in sorted order; one output each
   */
  record Categorical(String name, String fill, List<String> categories) implements InputFeature {
    public Categorical {
      categories = List.copyOf(categories);
    }

    @Override
    public int width() {
      return categories.size();
    }
  }
}
