package dev.flywheel.ml.importance;

import dev.flywheel.core.bundle.FeatureImportance;
import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Task;
import dev.flywheel.ml.linear.LinearModel;
import dev.flywheel.ml.xgboost.XGBoostModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The importances a model reports itself: XGBoost's total gain for trees, coefficients on the
 * standardised scale for linear models. Other models (the baseline, imported ONNX graphs) have
 * none; {@link PermutationImportance} covers every kind.
 *
 * <p>Per pipeline feature, then per input column as the sum of absolute values of its features (a
 * one-hot column adds up its categories), so a column's importance does not depend on how many
 * categories it was split into for the model.
 */
public final class ModelImportance {

  private ModelImportance() {}

  /**
   * The model's own importances, or null when it has none.
   *
   * @param positive the positive class index of a binary classifier (a coefficient's sign says
   *     whether the feature raises its odds); ignored otherwise
   */
  public static FeatureImportance.ModelBased of(
      Model model, FeaturePipeline pipeline, int positive) {
    double[] values;
    String method;
    switch (model) {
      case XGBoostModel x -> {
        values = gain(x, pipeline.width());
        method = "gain";
      }
      case LinearModel l -> {
        values = coefficients(l, positive);
        method = "coefficient";
      }
      default -> {
        return null;
      }
    }
    List<String> names = pipeline.outputNames();
    List<FeatureImportance.Feature> features = new ArrayList<>(values.length);
    Map<String, Double> byColumn = new LinkedHashMap<>();
    int j = 0;
    for (InputFeature f : pipeline.inputs()) {
      byColumn.put(f.name(), 0.0);
      for (int k = 0; k < f.width(); k++, j++) {
        features.add(new FeatureImportance.Feature(names.get(j), f.name(), values[j]));
        byColumn.merge(f.name(), Math.abs(values[j]), Double::sum);
      }
    }
    return new FeatureImportance.ModelBased(method, features, sortedColumns(byColumn));
  }

  /** Columns largest first; ties keep the signature order (the sort is stable). */
  static List<FeatureImportance.Column> sortedColumns(Map<String, Double> byColumn) {
    return byColumn.entrySet().stream()
        .map(e -> new FeatureImportance.Column(e.getKey(), e.getValue()))
        .sorted(Comparator.comparingDouble(FeatureImportance.Column::value).reversed())
        .toList();
  }

  /**
   * XGBoost's own {@code total_gain} per feature, read from the booster the model's bytes hold;
   * features that no split uses are 0.
   */
  static double[] gain(XGBoostModel model, int width) {
    Booster booster = null;
    try {
      booster = XGBoost.loadModel(model.toBytes());
      String[] names = new String[width];
      for (int j = 0; j < width; j++) {
        // Plain index names: the pipeline's own names may hold characters (spaces, '=', '<') that
        // XGBoost's text dump cannot carry.
        names[j] = "f" + j;
      }
      Map<String, Double> scores = booster.getScore(names, "total_gain");
      double[] out = new double[width];
      for (int j = 0; j < width; j++) {
        out[j] = scores.getOrDefault(names[j], 0.0);
      }
      return out;
    } catch (XGBoostError | java.io.IOException e) {
      throw new IllegalStateException("XGBoost could not read back a model it wrote", e);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
    }
  }

  /**
   * Coefficients on the standardised scale (per training standard deviation of the input). Binary:
   * the positive class's weight minus the other's, the change in log-odds (the model is a two-way
   * softmax); regression: the weight for the standardised target; more classes: the mean absolute
   * weight after centring each feature's weights over the classes (softmax weights are defined only
   * up to such a shift).
   */
  static double[] coefficients(LinearModel model, int positive) {
    LinearModel.State s = model.state();
    double[][] w = s.weights();
    int width = s.mean().length;
    double[] out = new double[width];
    if (s.task() == Task.REGRESSION) {
      System.arraycopy(w[0], 0, out, 0, width);
    } else if (w.length == 2) {
      int pos = positive == 0 ? 0 : 1;
      for (int j = 0; j < width; j++) {
        out[j] = w[pos][j] - w[1 - pos][j];
      }
    } else {
      for (int j = 0; j < width; j++) {
        double mean = 0;
        for (double[] wk : w) {
          mean += wk[j];
        }
        mean /= w.length;
        double sum = 0;
        for (double[] wk : w) {
          sum += Math.abs(wk[j] - mean);
        }
        out[j] = sum / w.length;
      }
    }
    return out;
  }
}
