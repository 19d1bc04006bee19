package dev.flywheel.ml.xgboost;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.Trainer;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.ml.ClassWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains trees with XGBoost's {@code hist} method: gradient-boosted trees ({@link
 * Algorithm#XGBOOST}) or a random forest ({@link Algorithm#RANDOM_FOREST}: one round of {@code
 * trees} parallel trees on row and column samples, learning rate 1). Parameters come from
 * Flywheel's parameter table, so names are checked before they reach XGBoost (which ignores
 * misspelt ones); the few names that differ are mapped here.
 *
 * <p><b>Early stopping.</b> With {@code early_stopping_rounds > 0} and held-out rows, boosting
 * stops when the held-out loss (log loss, or RMSE for regression) has not improved for that many
 * rounds, and the model keeps only the rounds up to the best one, so the bundle serves the best
 * iteration. Without held-out rows the parameter is ignored and all rounds are trained.
 */
public final class XGBoostTrainer implements Trainer {

  /** Flywheel parameters that are not XGBoost booster parameters. */
  private static final Set<String> OWN =
      Set.of("rounds", "trees", "early_stopping_rounds", ParameterTable.CLASS_WEIGHT_NAME);

  private final Algorithm algorithm;

  /** A trainer for gradient-boosted trees. */
  public XGBoostTrainer() {
    this(Algorithm.XGBOOST);
  }

  /**
   * @param algorithm {@link Algorithm#XGBOOST} or {@link Algorithm#RANDOM_FOREST}
   */
  public XGBoostTrainer(Algorithm algorithm) {
    if (algorithm != Algorithm.XGBOOST && algorithm != Algorithm.RANDOM_FOREST) {
      throw new IllegalArgumentException(
          "XGBoost trains xgboost or random_forest, not " + algorithm);
    }
    this.algorithm = algorithm;
  }

  @Override
  public Algorithm algorithm() {
    return algorithm;
  }

  @Override
  public Model train(TrainingSet data, Map<String, Number> params, TrainOptions options) {
    return train(data, null, params, options);
  }

  @Override
  public Model train(
      TrainingSet data, TrainingSet validation, Map<String, Number> params, TrainOptions options) {
    Map<String, Object> p = new HashMap<>();
    params.forEach(
        (k, v) -> {
          if (!OWN.contains(k)) {
            p.put(k, v);
          }
        });
    int rounds;
    int patience = 0;
    if (algorithm == Algorithm.RANDOM_FOREST) {
      // XGBoost's documented random forest: one round of parallel trees, no shrinkage.
      rounds = 1;
      p.put("num_parallel_tree", params.get("trees").intValue());
      p.put("eta", 1.0);
    } else {
      rounds = params.get("rounds").intValue();
      patience = params.getOrDefault("early_stopping_rounds", 0).intValue();
    }
    p.put("tree_method", "hist");
    p.put("nthread", options.threads());
    p.put("seed", options.seed());
    p.put("verbosity", 0);
    if (data.task() == Task.REGRESSION) {
      p.put("objective", "reg:squarederror");
    } else if (data.classes().size() == 2) {
      p.put("objective", "binary:logistic");
    } else {
      p.put("objective", "multi:softprob");
      p.put("num_class", data.classes().size());
    }
    float[] weights =
        data.task() == Task.CLASSIFICATION
            ? ClassWeights.of(
                data.labels(),
                data.classes().size(),
                params.getOrDefault(ParameterTable.CLASS_WEIGHT_NAME, 0).doubleValue())
            : null;
    boolean stopEarly = patience > 0 && validation != null && validation.rows() > 0;
    DMatrix train = null;
    DMatrix held = null;
    Booster booster = null;
    try {
      train = matrix(data);
      if (weights != null) {
        train.setWeight(weights);
      }
      if (!stopEarly) {
        booster = XGBoost.train(train, p, rounds, Map.of(), null, null);
        return XGBoostModel.trained(
            booster, algorithm, data.task(), data.classes(), data.width(), -1);
      }
      held = matrix(validation);
      booster = XGBoost.train(train, p, 0, Map.of(), null, null);
      DMatrix[] watch = {held};
      String[] names = {"validation"};
      double bestLoss = Double.POSITIVE_INFINITY;
      int best = -1;
      List<Double> curve = new ArrayList<>();
      String curveName = null;
      for (int i = 0; i < rounds && i - best <= patience; i++) {
        booster.update(train, i);
        String line = booster.evalSet(watch, names, i);
        double loss = lastMetric(line);
        curveName = curveName == null ? metricName(line) : curveName;
        curve.add(lastValue(line));
        // A strict improvement moves the best round: ties keep the earlier, smaller model.
        if (loss < bestLoss || best < 0) {
          bestLoss = loss;
          best = i;
        }
      }
      return XGBoostModel.trained(
          booster,
          algorithm,
          data.task(),
          data.classes(),
          data.width(),
          best,
          Map.of(curveName, curve));
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost failed to train: " + e.getMessage(), e);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      if (train != null) {
        train.dispose();
      }
      if (held != null) {
        held.dispose();
      }
    }
  }

  /**
   * The value of the last metric in XGBoost's evaluation line, {@code
   * [3]\tvalidation-logloss:0.41}.
   */
  static double lastMetric(String evalLine) {
    int colon = evalLine.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalStateException("XGBoost's evaluation line has no value: " + evalLine);
    }
    double v = Double.parseDouble(evalLine.substring(colon + 1).trim());
    // A NaN loss never improves; treat it as the worst.
    return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
  }

  /**
   * The last metric's name in XGBoost's evaluation line, with its data set: {@code
   * validation_logloss} from {@code [3]\tvalidation-logloss:0.41}.
   */
  static String metricName(String evalLine) {
    int colon = evalLine.lastIndexOf(':');
    int start = evalLine.lastIndexOf('\t', colon) + 1;
    return evalLine.substring(start, colon).trim().replace('-', '_');
  }

  /** The last metric's value as XGBoost printed it (NaN stays NaN: it is a record, not a rule). */
  private static double lastValue(String evalLine) {
    return Double.parseDouble(evalLine.substring(evalLine.lastIndexOf(':') + 1).trim());
  }

  private static DMatrix matrix(TrainingSet data) throws XGBoostError {
    float[] labels = new float[data.rows()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = data.task() == Task.REGRESSION ? (float) data.y()[i] : data.labels()[i];
    }
    DMatrix m = new DMatrix(flatten(data.x(), data.width()), data.rows(), data.width(), Float.NaN);
    m.setLabel(labels);
    return m;
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
