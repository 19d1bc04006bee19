package dev.flywheel.ml.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import dev.flywheel.ml.metrics.RegressionMetrics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class XGBoostTrainerTest {

  private static Model train(TrainingSet data, Map<String, Number> given, TrainOptions options) {
    Map<String, Number> params = new HashMap<>(given);
    params.putIfAbsent("rounds", 30);
    return new XGBoostTrainer()
        .train(data, ParameterTable.withDefaults(Algorithm.XGBOOST, params), options);
  }

  private static Model train(TrainingSet data) {
    return train(data, Map.of(), new TrainOptions(42, 1));
  }

  private static double[][] probabilities(Model model, double[][] x) {
    return ((Predictions.Probabilities) model.predict(x)).probabilities();
  }

  private static double[] values(Model model, double[][] x) {
    return ((Predictions.Values) model.predict(x)).values();
  }

  @Test
  void binaryClassifierLearnsASimpleSignal() {
    Model model = train(Synthetic.binary(1000, 1));
    TrainingSet test = Synthetic.binary(500, 2);

    double[][] p = probabilities(model, test.x());
    for (double[] row : p) {
      assertThat(row).hasSize(2);
      assertThat(row[0] + row[1]).isCloseTo(1.0, within(1e-12));
    }
    assertThat(new ClassificationMetrics(test.labels(), p, 1).value(Metric.AUC))
        .isGreaterThan(0.95);
    assertThat(model.algorithm()).isEqualTo(Algorithm.XGBOOST);
    assertThat(model.fileName()).isEqualTo("model.ubj");
  }

  @Test
  void multiClassClassifierGivesSoftmaxRowsThatSumToOne() {
    Model model = train(Synthetic.threeBlobs(600, 1));
    TrainingSet test = Synthetic.threeBlobs(300, 2);

    Predictions.Probabilities p = (Predictions.Probabilities) model.predict(test.x());
    assertThat(p.classes()).containsExactly("a", "b", "c");
    for (double[] row : p.probabilities()) {
      assertThat(row).hasSize(3);
      // XGBoost computes in float
      assertThat(row[0] + row[1] + row[2]).isCloseTo(1.0, within(1e-6));
    }
    assertThat(
            new ClassificationMetrics(test.labels(), p.probabilities(), 1).value(Metric.ACCURACY))
        .isGreaterThan(0.95);
  }

  @Test
  void regressorLearnsASimpleSignal() {
    Model model =
        train(Synthetic.linearRegression(1000, 1), Map.of("rounds", 100), new TrainOptions(42, 1));
    TrainingSet test = Synthetic.linearRegression(500, 2);
    assertThat(new RegressionMetrics(test.y(), values(model, test.x())).value(Metric.R2))
        .isGreaterThan(0.9);
  }

  @Test
  void classifierReadBackThroughTheLoaderPredictsIdentically() {
    TrainingSet data = Synthetic.threeBlobs(300, 1);
    Model model = train(data);
    Model loaded =
        Trainers.LOADER.load(
            Algorithm.XGBOOST, Task.CLASSIFICATION, data.classes(), 2, model.toBytes());

    double[][] probes = Synthetic.threeBlobs(60, 3).x();
    assertThat(probabilities(loaded, probes)).isDeepEqualTo(probabilities(model, probes));
    assertThat(loaded.toBytes()).isEqualTo(model.toBytes());
  }

  @Test
  void regressorReadBackThroughTheLoaderPredictsIdentically() {
    TrainingSet data = Synthetic.linearRegression(300, 1);
    Model model = train(data);
    Model loaded =
        Trainers.LOADER.load(
            Algorithm.XGBOOST, Task.REGRESSION, data.classes(), 2, model.toBytes());

    double[][] probes = Synthetic.linearRegression(60, 3).x();
    assertThat(values(loaded, probes)).containsExactly(values(model, probes));
  }

  @Test
  void loaderRejectsAClassCountThatDiffersFromTheManifests() {
    byte[] threeClasses = train(Synthetic.threeBlobs(300, 1)).toBytes();
    byte[] twoClasses = train(Synthetic.binary(300, 1)).toBytes();

    assertThatThrownBy(
            () ->
                Trainers.LOADER.load(
                    Algorithm.XGBOOST, Task.CLASSIFICATION, List.of("a", "b"), 2, threeClasses))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the model file predicts 3 classes, the manifest lists 2: [a, b]");
    assertThatThrownBy(
            () ->
                Trainers.LOADER.load(
                    Algorithm.XGBOOST, Task.CLASSIFICATION, List.of("a", "b", "c"), 2, twoClasses))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the model file predicts 2 classes, the manifest lists 3: [a, b, c]");
  }

  @Test
  void loaderRejectsAnInputWidthThatDiffersFromTheManifests() {
    byte[] bytes = train(Synthetic.linearRegression(300, 1)).toBytes();
    assertThatThrownBy(
            () -> Trainers.LOADER.load(Algorithm.XGBOOST, Task.REGRESSION, List.of(), 5, bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the model file takes 2 inputs, the manifest says 5");
  }

  @Test
  void loaderRejectsBytesThatAreNotAnXGBoostModel() {
    byte[] bytes = "{\"not\": \"a model\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> Trainers.LOADER.load(Algorithm.XGBOOST, Task.REGRESSION, List.of(), 2, bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not an XGBoost model: ");
  }

  @Test
  void theSameSeedGivesIdenticalBytesEvenWithSamplingAndTwoThreads() {
    TrainingSet data = Synthetic.binary(1000, 1);
    Map<String, Number> sampling = Map.of("subsample", 0.7, "colsample_bytree", 0.5);
    byte[] first = train(data, sampling, new TrainOptions(42, 2)).toBytes();
    byte[] second = train(data, sampling, new TrainOptions(42, 2)).toBytes();
    assertThat(second).isEqualTo(first);

    byte[] otherSeed = train(data, sampling, new TrainOptions(43, 2)).toBytes();
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @Test
  void nanInputsAreTreatedAsMissing() {
    // Knock out a fifth of x1 in training; predict rows with one or both features missing.
    TrainingSet clean = Synthetic.binary(1000, 1);
    SplittableRandom r = new SplittableRandom(4);
    double[][] x = new double[clean.rows()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = clean.x()[i].clone();
      if (r.nextDouble() < 0.2) {
        x[i][0] = Double.NaN;
      }
    }
    TrainingSet data =
        new TrainingSet(
            x, clean.featureNames(), Task.CLASSIFICATION, clean.classes(), clean.labels(), null);
    Model model = train(data);

    double[][] p =
        probabilities(
            model,
            new double[][] {{Double.NaN, 2.5}, {Double.NaN, -2.5}, {Double.NaN, Double.NaN}});
    for (double[] row : p) {
      assertThat(row[0]).isBetween(0.0, 1.0);
      assertThat(row[0] + row[1]).isCloseTo(1.0, within(1e-12));
    }
    // x2 alone still carries the signal
    assertThat(p[0][1]).isGreaterThan(0.5);
    assertThat(p[1][1]).isLessThan(0.5);

    TrainingSet test = Synthetic.binary(500, 2);
    assertThat(
            new ClassificationMetrics(test.labels(), probabilities(model, test.x()), 1)
                .value(Metric.AUC))
        .isGreaterThan(0.95);
  }

  @Test
  void maxDepthZeroMeansNoDepthLimit() {
    Model model =
        train(
            Synthetic.binary(500, 1), Map.of("max_depth", 0, "rounds", 5), new TrainOptions(42, 1));
    TrainingSet test = Synthetic.binary(200, 2);
    assertThat(
            new ClassificationMetrics(test.labels(), probabilities(model, test.x()), 1)
                .value(Metric.AUC))
        .isGreaterThan(0.9);
  }

  @Test
  void anEmptyBatchGivesNoPredictions() {
    Model classifier = train(Synthetic.binary(200, 1));
    Model regressor = train(Synthetic.linearRegression(200, 1));
    assertThat(classifier.predict(new double[0][]).size()).isZero();
    assertThat(regressor.predict(new double[0][]).size()).isZero();
  }
}
