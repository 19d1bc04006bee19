package dev.flywheel.ml.linear;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

class LinearTrainerTest {

  private static Map<String, Number> params(Map<String, Number> given) {
    return ParameterTable.withDefaults(Algorithm.LINEAR, given);
  }

  private static LinearModel train(TrainingSet data, Map<String, Number> given, long seed) {
    return (LinearModel) new LinearTrainer().train(data, params(given), new TrainOptions(seed, 1));
  }

  private static double[][] probabilities(Model model, double[][] x) {
    return ((Predictions.Probabilities) model.predict(x)).probabilities();
  }

  private static double[] values(Model model, double[][] x) {
    return ((Predictions.Values) model.predict(x)).values();
  }

  @Test
  void logisticModelSeparatesALinearlySeparableProblem() {
    Model model = train(Synthetic.binary(1000, 1), Map.of(), 42);
    TrainingSet test = Synthetic.binary(500, 2);

    ClassificationMetrics m =
        new ClassificationMetrics(test.labels(), probabilities(model, test.x()), 1);
    assertThat(m.value(Metric.AUC)).isGreaterThan(0.99);
    assertThat(m.value(Metric.ACCURACY)).isGreaterThan(0.95);
    assertThat(model.algorithm()).isEqualTo(Algorithm.LINEAR);
    assertThat(model.task()).isEqualTo(Task.CLASSIFICATION);
    assertThat(model.width()).isEqualTo(2);
  }

  @Test
  void linearRegressionLearnsALinearSignal() {
    Model model = train(Synthetic.linearRegression(1000, 1), Map.of(), 42);
    TrainingSet test = Synthetic.linearRegression(500, 2);

    double r2 = new RegressionMetrics(test.y(), values(model, test.x())).value(Metric.R2);
    assertThat(r2).isGreaterThan(0.99);
  }

  @Test
  void penalisedTrainingThroughAdaGradRdaStillLearns() {
    Model model = train(Synthetic.binary(1000, 1), Map.of("l1", 1e-4, "l2", 1e-4), 42);
    TrainingSet test = Synthetic.binary(500, 2);
    ClassificationMetrics m =
        new ClassificationMetrics(test.labels(), probabilities(model, test.x()), 1);
    assertThat(m.value(Metric.AUC)).isGreaterThan(0.95);
  }

  @Test
  void unstandardisedCoefficientsRecoverALinearFunctionOfFeaturesInTheThousands() {
    // y = 3 x1 - 2 x2 + 5, with x1 in [1000, 5000] and x2 in [3000, 5000]: y spans about
    // -7000 .. 9000. Unless both the inputs and the target are standardised and the scaling is
    // undone correctly, the predictions are off by thousands.
    SplittableRandom r = new SplittableRandom(3);
    int n = 2000;
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double a = 1000 + 4000 * r.nextDouble();
      double b = 3000 + 2000 * r.nextDouble();
      x[i] = new double[] {a, b};
      y[i] = 3 * a - 2 * b + 5;
    }
    TrainingSet data = new TrainingSet(x, Synthetic.names(2), Task.REGRESSION, List.of(), null, y);
    LinearModel model = train(data, Map.of("epochs", 20), 42);

    double[][] probes = {{1000, 3000}, {5000, 5000}, {2500, 4000}, {4200, 3100}};
    double[] predicted = values(model, probes);
    for (int i = 0; i < probes.length; i++) {
      double expected = 3 * probes[i][0] - 2 * probes[i][1] + 5;
      assertThat(predicted[i]).as("y at %s", List.of(probes[i])).isCloseTo(expected, within(5.0));
    }
    // Folded back into raw units, the slopes are w_j * targetScale / scale_j.
    LinearModel.State s = model.state();
    assertThat(s.weights()[0][0] * s.targetScale() / s.scale()[0]).isCloseTo(3.0, within(0.01));
    assertThat(s.weights()[0][1] * s.targetScale() / s.scale()[1]).isCloseTo(-2.0, within(0.01));
  }

  /**
   * Trains Tribuo directly on the rows the trainer fed it (standardised with the model's own mean
   * and scale, in the same order, with the same settings and seed), then compares Tribuo's
   * predictions with the extracted pure-Java model's.
   */
  @Test
  void extractedClassifierReproducesTribuosOwnProbabilities() {
    TrainingSet data = Synthetic.threeBlobs(600, 5);
    LinearModel model = train(data, Map.of(), 42);
    LinearModel.State s = model.state();

    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> ds = new MutableDataset<>(provenance(factory), factory);
    String[] names = {"f000000", "f000001"};
    for (int i = 0; i < data.rows(); i++) {
      ds.add(
          new ArrayExample<>(
              new Label(data.classes().get(data.labels()[i])), names, standardise(data.x()[i], s)));
    }
    var tribuo =
        new org.tribuo.classification.sgd.linear.LinearSGDTrainer(
                new LogMulticlass(), new AdaGrad(0.1, 1e-6), 10, -1, 1, 42)
            .train(ds);

    TrainingSet probes = Synthetic.threeBlobs(60, 6);
    double[][] ours = probabilities(model, probes.x());
    for (int i = 0; i < probes.rows(); i++) {
      Prediction<Label> p =
          tribuo.predict(
              new ArrayExample<>(factory.getUnknownOutput(), names, standardise(probes.x()[i], s)));
      for (int k = 0; k < data.classes().size(); k++) {
        double theirs = p.getOutputScores().get(data.classes().get(k)).getScore();
        assertThat(ours[i][k]).as("row %d class %d", i, k).isCloseTo(theirs, within(1e-12));
      }
    }
  }

  @Test
  void extractedRegressorReproducesTribuosOwnPredictions() {
    TrainingSet data = Synthetic.linearRegression(500, 5);
    LinearModel model = train(data, Map.of(), 42);
    LinearModel.State s = model.state();

    RegressionFactory factory = new RegressionFactory();
    MutableDataset<Regressor> ds = new MutableDataset<>(provenance(factory), factory);
    String[] names = {"f000000", "f000001"};
    for (int i = 0; i < data.rows(); i++) {
      double target = (data.y()[i] - s.targetMean()) / s.targetScale();
      ds.add(
          new ArrayExample<>(new Regressor("target", target), names, standardise(data.x()[i], s)));
    }
    var tribuo =
        new org.tribuo.regression.sgd.linear.LinearSGDTrainer(
                new SquaredLoss(), new AdaGrad(0.1, 1e-6), 10, -1, 1, 42)
            .train(ds);

    TrainingSet probes = Synthetic.linearRegression(50, 6);
    double[] ours = values(model, probes.x());
    for (int i = 0; i < probes.rows(); i++) {
      Prediction<Regressor> p =
          tribuo.predict(
              new ArrayExample<>(factory.getUnknownOutput(), names, standardise(probes.x()[i], s)));
      double theirs = p.getOutput().getValues()[0] * s.targetScale() + s.targetMean();
      assertThat(ours[i]).as("row %d", i).isCloseTo(theirs, within(1e-12));
    }
  }

  @Test
  void theSameSeedGivesIdenticalBytes() {
    TrainingSet data = Synthetic.threeBlobs(300, 1);
    byte[] first = train(data, Map.of(), 42).toBytes();
    byte[] second = train(data, Map.of(), 42).toBytes();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aDifferentSeedShufflesDifferently() {
    TrainingSet data = Synthetic.binary(300, 1);
    assertThat(train(data, Map.of(), 1).toBytes()).isNotEqualTo(train(data, Map.of(), 2).toBytes());
  }

  @Test
  void modelReadBackFromItsBytesPredictsIdentically() {
    TrainingSet data = Synthetic.threeBlobs(300, 1);
    LinearModel model = train(data, Map.of(), 42);
    LinearModel loaded = LinearModel.fromBytes(model.toBytes());

    TrainingSet probes = Synthetic.threeBlobs(30, 9);
    assertThat(probabilities(loaded, probes.x())).isDeepEqualTo(probabilities(model, probes.x()));
    assertThat(loaded.toBytes()).isEqualTo(model.toBytes());

    Model viaLoader =
        Trainers.LOADER.load(
            Algorithm.LINEAR, Task.CLASSIFICATION, data.classes(), 2, model.toBytes());
    assertThat(probabilities(viaLoader, probes.x()))
        .isDeepEqualTo(probabilities(model, probes.x()));
  }

  @Test
  void regressorReadBackFromItsBytesPredictsIdentically() {
    LinearModel model = train(Synthetic.linearRegression(300, 1), Map.of(), 42);
    LinearModel loaded = LinearModel.fromBytes(model.toBytes());
    double[][] probes = Synthetic.linearRegression(30, 9).x();
    assertThat(values(loaded, probes)).containsExactly(values(model, probes));
  }

  @Test
  void multiClassProbabilitiesSumToOneAndFollowTheClassOrder() {
    TrainingSet data = Synthetic.threeBlobs(600, 1);
    Model model = train(data, Map.of(), 42);
    TrainingSet test = Synthetic.threeBlobs(300, 2);

    Predictions.Probabilities p = (Predictions.Probabilities) model.predict(test.x());
    assertThat(p.classes()).containsExactly("a", "b", "c");
    for (double[] row : p.probabilities()) {
      assertThat(row).hasSize(3);
      assertThat(row[0] + row[1] + row[2]).isCloseTo(1.0, within(1e-12));
    }
    double accuracy =
        new ClassificationMetrics(test.labels(), p.probabilities(), 1).value(Metric.ACCURACY);
    assertThat(accuracy).isGreaterThan(0.95);
  }

  @Test
  void aClassAbsentFromTheTrainingRowsGetsProbabilityNearZero() {
    // classes a, b, c; only a and c occur (blobs at (-4, 0) and (0, 6))
    TrainingSet blobs = Synthetic.threeBlobs(600, 1);
    int kept = 0;
    for (int label : blobs.labels()) {
      kept += label == 1 ? 0 : 1;
    }
    double[][] x = new double[kept][];
    int[] labels = new int[kept];
    for (int i = 0, j = 0; i < blobs.rows(); i++) {
      if (blobs.labels()[i] != 1) {
        x[j] = blobs.x()[i];
        labels[j++] = blobs.labels()[i];
      }
    }
    TrainingSet data =
        new TrainingSet(
            x, blobs.featureNames(), Task.CLASSIFICATION, blobs.classes(), labels, null);

    LinearModel model = train(data, Map.of(), 42);

    double[][] p = probabilities(model, new double[][] {{-4, 0}, {0, 6}, {4, 0}});
    for (double[] row : p) {
      assertThat(row[1]).isLessThan(1e-9);
      assertThat(row[0] + row[1] + row[2]).isCloseTo(1.0, within(1e-12));
    }
    assertThat(p[0][0]).isGreaterThan(0.9);
    assertThat(p[1][2]).isGreaterThan(0.9);
    assertThat(model.state().weights()[1]).containsOnly(0.0);
  }

  @Test
  void aSingleTrainingClassGetsProbabilityOneAndTheAbsentClassNearZero() {
    TrainingSet blobs = Synthetic.threeBlobs(90, 1);
    TrainingSet data =
        new TrainingSet(
            blobs.x(),
            blobs.featureNames(),
            Task.CLASSIFICATION,
            List.of("no", "yes"),
            new int[blobs.rows()],
            null);

    double[][] p = probabilities(train(data, Map.of(), 42), new double[][] {{0, 0}, {50, -50}});
    for (double[] row : p) {
      assertThat(row[0]).isCloseTo(1.0, within(1e-9));
      assertThat(row[1]).isLessThan(1e-9);
    }
  }

  @Test
  void aConstantFeatureGetsWeightZeroAndDoesNotBreakScoring() {
    TrainingSet binary = Synthetic.binary(500, 1);
    double[][] x = new double[binary.rows()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {binary.x()[i][0], 7.0, binary.x()[i][1]};
    }
    TrainingSet data =
        new TrainingSet(
            x, Synthetic.names(3), Task.CLASSIFICATION, binary.classes(), binary.labels(), null);
    LinearModel model = train(data, Map.of(), 42);

    assertThat(model.state().scale()[1]).isEqualTo(1.0);
    assertThat(model.state().weights()[0][1]).isEqualTo(0.0);
    assertThat(model.state().weights()[1][1]).isEqualTo(0.0);
    double[][] p = probabilities(model, new double[][] {{2, 1000, 2}, {-2, 7, -2}});
    assertThat(p[0][1]).isGreaterThan(0.9);
    assertThat(p[1][0]).isGreaterThan(0.9);
  }

  private static double[] standardise(double[] row, LinearModel.State s) {
    double[] z = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      z[j] = (row[j] - s.mean()[j]) / s.scale()[j];
    }
    return z;
  }

  private static <T extends org.tribuo.Output<T>> SimpleDataSourceProvenance provenance(
      org.tribuo.OutputFactory<T> factory) {
    return new SimpleDataSourceProvenance(
        "test", OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), factory);
  }
}
