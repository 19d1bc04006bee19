package dev.flywheel.ml.xgboost;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.Trainer;
import dev.flywheel.core.model.TrainingSet;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains gradient-boosted trees with XGBoost's {@code hist} method. Parameters come from Flywheel's
 * parameter table, so names are checked before they reach XGBoost (which ignores misspelt ones).
 */
public final class XGBoostTrainer implements Trainer {

  @Override
  public Algorithm algorithm() {
    return Algorithm.XGBOOST;
  }

  @Override
  public Model train(TrainingSet data, Map<String, Number> params, TrainOptions options) {
    Map<String, Object> p = new HashMap<>();
    // Flywheel's names match XGBoost's, except the number of rounds, which is not a booster param.
    params.forEach(
        (k, v) -> {
          if (!k.equals("rounds")) {
            p.put(k, v);
          }
        });
    p.put("tree_method", "hist");
    p.put("nthread", options.threads());
    p.put("seed", options.seed());
    p.put("verbosity", 0);
    float[] labels = new float[data.rows()];
    if (data.task() == Task.REGRESSION) {
      p.put("objective", "reg:squarederror");
      for (int i = 0; i < labels.length; i++) {
        labels[i] = (float) data.y()[i];
      }
    } else {
      if (data.classes().size() == 2) {
        p.put("objective", "binary:logistic");
      } else {
        p.put("objective", "multi:softprob");
        p.put("num_class", data.classes().size());
      }
      for (int i = 0; i < labels.length; i++) {
        labels[i] = data.labels()[i];
      }
    }
    DMatrix matrix = null;
    try {
      matrix = new DMatrix(flatten(data.x(), data.width()), data.rows(), data.width(), Float.NaN);
      matrix.setLabel(labels);
      Booster booster =
          XGBoost.train(matrix, p, params.get("rounds").intValue(), Map.of(), null, null);
      try {
        return XGBoostModel.trained(booster, data.task(), data.classes(), data.width());
      } finally {
        booster.dispose();
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost failed to train: " + e.getMessage(), e);
    } finally {
      if (matrix != null) {
        matrix.dispose();
      }
    }
  }

  static float[] flatten(double[][] x, int width) {
    float[] flat = new float[x.length * width];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < width; j++) {
        flat[i * width + j] = (float) x[i][j];
      }
    }
    return flat;
  }
}
