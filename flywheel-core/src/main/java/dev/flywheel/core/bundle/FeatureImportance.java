package dev.flywheel.core.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How much a model relies on each input, stored in the bundle's manifest ({@code importance}) and
 * shown by {@code flywheel models show}. Values are plain numbers in the model's own units, so
 * compare them within one model, not across models.
 *
 * @param model the model's own view: tree gain or linear coefficients; null for models that have
 *     none (the baseline, imported ONNX graphs)
 * @param permutation the drop of the selection metric on validation when one input column is
 *     shuffled; every model kind has it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureImportance(ModelBased model, Permutation permutation) {

  /**
   * Importance the model reports itself.
   *
   * @param method {@code gain} (trees: XGBoost's total gain of the splits on a feature) or {@code
   *     coefficient} (linear models: the weight of a feature on the standardised scale, that is per
   *     training standard deviation of the input; for a binary classifier the change in log-odds of
   *     the positive class, for regression in standardised target units, for more classes the mean
   *     absolute class-centred weight)
   * @param features per model input (pipeline feature, such as {@code plan=basic}), in vector order
   * @param columns per input column: the sum of its features' absolute values, largest first
   */
  public record ModelBased(String method, List<Feature> features, List<Column> columns) {
    public ModelBased {
      features = List.copyOf(features);
      columns = List.copyOf(columns);
    }
  }

  /**
   * One pipeline feature's value.
   *
   * @param name the feature, such as {@code age} or {@code plan=basic}
   * @param column the input column it comes from
   * @param value the importance (a coefficient keeps its sign)
   */
  public record Feature(String name, String column, double value) {}

  /** One input column's aggregated value. */
  public record Column(String name, double value) {}

  /**
   * Permutation importance on the validation split.
   *
   * @param metric the selection metric
   * @param repeats shuffles per column
   * @param seed the shuffles' seed
   * @param rows validation rows scored
   * @param baseline the metric on the unshuffled rows
   * @param columns per input column, largest mean drop first
   */
  public record Permutation(
      String metric, int repeats, long seed, int rows, double baseline, List<Drop> columns) {
    public Permutation {
      columns = List.copyOf(columns);
    }
  }

  /**
   * How much worse the metric got when the column was shuffled (positive: the model relies on it),
   * oriented so that larger is always more important, whatever the metric's direction.
   *
   * @param name the input column
   * @param mean the mean drop over the repeats
   * @param std the standard deviation of the drop over the repeats
   */
  public record Drop(String name, double mean, double std) {}
}
