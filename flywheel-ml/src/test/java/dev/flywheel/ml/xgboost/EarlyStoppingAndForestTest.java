package dev.flywheel.ml.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.ml.Synthetic;
import dev.flywheel.ml.Trainers;
import dev.flywheel.ml.metrics.ClassificationMetrics;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** Early stopping of boosted trees, and random forests, against XGBoost itself. */
class EarlyStoppingAndForestTest {

  private static final TrainOptions OPTIONS = new TrainOptions(42, 1);

  /** A binary task with 20 % label noise, so that many rounds at a high rate overfit. */
  private static TrainingSet noisy(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[rows][];
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      x[i] = new double[] {a, b, r.nextGaussian(), r.nextGaussian()};
      boolean signal = a + 0.5 * b > 0;
      labels[i] = (r.nextDouble() < 0.2) != signal ? 1 : 0;
    }
    return new TrainingSet(
        x, Synthetic.names(4), Task.CLASSIFICATION, List.of("no", "yes"), labels, null);
  }

  private static Map<String, Number> params(Algorithm algorithm, Map<String, Number> given) {
    return ParameterTable.withDefaults(algorithm, given);
  }

  private static double[][] probabilities(Model model, double[][] x) {
    return ((Predictions.Probabilities) model.predict(x)).probabilities();
  }

  @Test
  void boostingStopsEarlyAndTheModelKeepsOnlyTheRoundsUpToTheBestOne() throws Exception {
    TrainingSet train = noisy(2000, 1);
    TrainingSet validation = noisy(1000, 2);
    Map<String, Number> p =
        params(
            Algorithm.XGBOOST,
            Map.of("rounds", 400, "eta", 0.5, "max_depth", 6, "early_stopping_rounds", 10));

    Model stopped = new XGBoostTrainer().train(train, validation, p, OPTIONS);

    assertThat(stopped.bestIteration()).isPresent();
    int best = stopped.bestIteration().getAsInt();
    assertThat(best).isLessThan(100);
    Booster saved = XGBoost.loadModel(stopped.toBytes());
    try {
      assertThat(saved.getNumBoostedRound()).isEqualTo(best + 1);
    } finally {
      saved.dispose();
    }
    // The same rounds trained without early stopping give the very same predictions.
    Map<String, Number> fixed = params(Algorithm.XGBOOST, Map.of("rounds", best + 1, "eta", 0.5));
    Model plain = new XGBoostTrainer().train(train, fixed, OPTIONS);
    double[][] x = noisy(300, 3).x();
    assertThat(probabilities(stopped, x)).isDeepEqualTo(probabilities(plain, x));
    assertThat(plain.bestIteration()).isEmpty();

    // And it reads back through the bundle loader.
    Model loaded =
        Trainers.LOADER.load(
            Algorithm.XGBOOST, Task.CLASSIFICATION, List.of("no", "yes"), 4, stopped.toBytes());
    assertThat(probabilities(loaded, x)).isDeepEqualTo(probabilities(stopped, x));
  }

  @Test
  void earlyStoppingRecordsTheValidationLossOfEveryRound() {
    TrainingSet train = noisy(2000, 1);
    TrainingSet validation = noisy(1000, 2);
    Map<String, Number> p =
        params(
            Algorithm.XGBOOST,
            Map.of("rounds", 400, "eta", 0.5, "max_depth", 6, "early_stopping_rounds", 10));

    Model stopped = new XGBoostTrainer().train(train, validation, p, OPTIONS);

    int best = stopped.bestIteration().getAsInt();
    List<Double> curve = stopped.history().get("validation_logloss");
    // Every round trained: up to the best one, then the 10 it waited through without improving.
    assertThat(curve).hasSize(best + 1 + 10);
    double min = curve.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    assertThat(curve.indexOf(min)).isEqualTo(best);
    assertThat(curve.get(0)).isGreaterThan(min);
    // The loss of the kept model on validation is the curve's value at the best round.
    assertThat(
            new dev.flywheel.ml.metrics.ClassificationMetrics(
                    validation.labels(), probabilities(stopped, validation.x()), 1)
                .value(dev.flywheel.core.metrics.Metric.LOG_LOSS))
        .isCloseTo(min, org.assertj.core.api.Assertions.within(1e-4));
    // A record of the training, not of the model: what is read back has none.
    assertThat(
            Trainers.LOADER
                .load(
                    Algorithm.XGBOOST,
                    Task.CLASSIFICATION,
                    List.of("no", "yes"),
                    4,
                    stopped.toBytes())
                .history())
        .isEmpty();
  }

  @Test
  void withoutHeldOutRowsEarlyStoppingIsIgnoredAndEveryRoundIsTrained() throws Exception {
    Map<String, Number> p =
        params(Algorithm.XGBOOST, Map.of("rounds", 25, "early_stopping_rounds", 3));
    Model model = new XGBoostTrainer().train(noisy(500, 4), p, OPTIONS);
    assertThat(model.bestIteration()).isEmpty();
    Booster saved = XGBoost.loadModel(model.toBytes());
    try {
      assertThat(saved.getNumBoostedRound()).isEqualTo(25);
    } finally {
      saved.dispose();
    }
  }

  @Test
  void randomForestIsOneRoundOfParallelTreesScoredAsXGBoostScoresIt() throws Exception {
    TrainingSet train = Synthetic.threeBlobs(900, 5);
    Map<String, Number> p = params(Algorithm.RANDOM_FOREST, Map.of("trees", 30, "max_depth", 5));
    Model forest = Trainers.forAlgorithm(Algorithm.RANDOM_FOREST).train(train, p, OPTIONS);

    assertThat(forest.algorithm()).isEqualTo(Algorithm.RANDOM_FOREST);
    TrainingSet test = Synthetic.threeBlobs(300, 6);
    double[][] probs = probabilities(forest, test.x());
    assertThat(new ClassificationMetrics(test.labels(), probs, 0).value(Metric.ACCURACY))
        .isGreaterThan(0.95);

    Booster booster = XGBoost.loadModel(forest.toBytes());
    try {
      assertThat(booster.getNumBoostedRound()).isEqualTo(1);
      float[][] native_ =
          booster.inplace_predict(XGBoostTrainer.flatten(test.x(), 2), test.rows(), 2, Float.NaN);
      for (int i = 0; i < test.rows(); i++) {
        for (int k = 0; k < 3; k++) {
          assertThat(probs[i][k])
              .isCloseTo(native_[i][k], org.assertj.core.data.Offset.offset(1e-6));
        }
      }
    } finally {
      booster.dispose();
    }
    Model loaded =
        Trainers.LOADER.load(
            Algorithm.RANDOM_FOREST,
            Task.CLASSIFICATION,
            List.of("a", "b", "c"),
            2,
            forest.toBytes());
    assertThat(loaded.algorithm()).isEqualTo(Algorithm.RANDOM_FOREST);
    assertThat(probabilities(loaded, test.x())).isDeepEqualTo(probs);
  }

  @Test
  void randomForestRegressionAveragesItsTrees() {
    TrainingSet train = Synthetic.linearRegression(1500, 7);
    Model forest =
        Trainers.forAlgorithm(Algorithm.RANDOM_FOREST)
            .train(train, params(Algorithm.RANDOM_FOREST, Map.of("trees", 50)), OPTIONS);
    TrainingSet test = Synthetic.linearRegression(300, 8);
    double[] v = ((Predictions.Values) forest.predict(test.x())).values();
    double sse = 0;
    double sst = 0;
    double mean = java.util.Arrays.stream(test.y()).average().orElseThrow();
    for (int i = 0; i < v.length; i++) {
      sse += (v[i] - test.y()[i]) * (v[i] - test.y()[i]);
      sst += (test.y()[i] - mean) * (test.y()[i] - mean);
    }
    // If the parallel trees were summed instead of averaged, predictions would be 50× too large.
    assertThat(1 - sse / sst).isGreaterThan(0.9);
  }

  @Test
  void balancedClassWeightsRaiseTheRecallOfARareClass() {
    SplittableRandom r = new SplittableRandom(9);
    int rows = 4000;
    double[][] x = new double[rows][];
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      double a = r.nextGaussian();
      x[i] = new double[] {a, r.nextGaussian()};
      // About 7 % positives, overlapping the negatives: unweighted, most are predicted negative.
      labels[i] = a + 0.8 * r.nextGaussian() > 2.0 ? 1 : 0;
    }
    TrainingSet data =
        new TrainingSet(
            x, Synthetic.names(2), Task.CLASSIFICATION, List.of("no", "yes"), labels, null);
    for (Algorithm algorithm : List.of(Algorithm.XGBOOST, Algorithm.LINEAR)) {
      Map<String, Number> plain = params(algorithm, Map.of());
      Map<String, Number> balanced =
          params(algorithm, Map.of(ParameterTable.CLASS_WEIGHT_NAME, 1.0));
      double recallPlain =
          recall(Trainers.forAlgorithm(algorithm).train(data, plain, OPTIONS), data);
      double recallBalanced =
          recall(Trainers.forAlgorithm(algorithm).train(data, balanced, OPTIONS), data);
      assertThat(recallBalanced).as(algorithm.specName()).isGreaterThan(recallPlain + 0.2);
    }
  }

  private static double recall(Model model, TrainingSet data) {
    return new ClassificationMetrics(data.labels(), probabilities(model, data.x()), 1)
        .value(Metric.RECALL);
  }
}
