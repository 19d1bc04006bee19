package dev.flywheel.ml.linear;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.Trainer;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.ml.ClassWeights;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.VariableIDInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.AdaGradRDA;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * Trains logistic (classification) or least-squares (regression) models with Tribuo's SGD, on
 * standardised inputs and, for regression, a standardised target: unscaled, SGD on house prices did
 * worse than the mean. The result is a {@link LinearModel} holding the coefficients.
 */
public final class LinearTrainer implements Trainer {

  /** Tribuo's provenance wants a timestamp; a fixed one keeps training free of the clock. */
  private static final OffsetDateTime FIXED =
      OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private static final String TARGET = "target";

  /** The bias of a class absent from the training rows, so that its probability is about 0. */
  static final double ABSENT_CLASS_BIAS = -30;

  @Override
  public Algorithm algorithm() {
    return Algorithm.LINEAR;
  }

  @Override
  public Model train(TrainingSet data, Map<String, Number> params, TrainOptions options) {
    int width = data.width();
    double[] mean = new double[width];
    double[] scale = new double[width];
    standardisation(data.x(), mean, scale);
    String[] names = new String[width];
    for (int j = 0; j < width; j++) {
      names[j] = String.format("f%06d", j);
    }
    int epochs = params.get("epochs").intValue();
    int minibatch = params.get("minibatch").intValue();
    StochasticGradientOptimiser optimiser = optimiser(params, data.rows());

    if (data.task() == Task.CLASSIFICATION) {
      LabelFactory factory = new LabelFactory();
      MutableDataset<Label> ds = dataset(factory);
      float[] rowWeights =
          ClassWeights.of(
              data.labels(),
              data.classes().size(),
              params.getOrDefault(ParameterTable.CLASS_WEIGHT_NAME, 0).doubleValue());
      for (int i = 0; i < data.rows(); i++) {
        Label label = new Label(data.classes().get(data.labels()[i]));
        ArrayExample<Label> example =
            new ArrayExample<>(label, names, standardised(data.x()[i], mean, scale));
        if (rowWeights != null) {
          // Tribuo's SGD scales each example's gradient by its weight.
          example.setWeight(rowWeights[i]);
        }
        ds.add(example);
      }
      var trainer =
          new org.tribuo.classification.sgd.linear.LinearSGDTrainer(
              new LogMulticlass(), optimiser, epochs, -1, minibatch, options.seed());
      var model = trainer.train(ds);
      double[][] weights = new double[data.classes().size()][width];
      double[] bias = new double[data.classes().size()];
      for (int k = 0; k < data.classes().size(); k++) {
        int row = model.getOutputIDInfo().getID(new Label(data.classes().get(k)));
        if (row < 0) {
          // A class with no training rows is unknown to Tribuo (id -1). It keeps zero weights and
          // a bias of -30: softmax training keeps the other classes' scores centred on 0, so its
          // probability stays near e^-30.
          bias[k] = ABSENT_CLASS_BIAS;
        } else {
          copyRow(model, row, names, weights[k], bias, k);
        }
      }
      return new LinearModel(
          new LinearModel.State(
              Task.CLASSIFICATION, data.classes(), mean, scale, weights, bias, 0.0, 1.0));
    }

    double targetMean = 0;
    for (double v : data.y()) {
      targetMean += v;
    }
    targetMean /= data.rows();
    double var = 0;
    for (double v : data.y()) {
      var += (v - targetMean) * (v - targetMean);
    }
    double targetScale = Math.sqrt(var / data.rows());
    if (targetScale == 0 || Double.isNaN(targetScale)) {
      targetScale = 1;
    }
    RegressionFactory factory = new RegressionFactory();
    MutableDataset<Regressor> ds = dataset(factory);
    for (int i = 0; i < data.rows(); i++) {
      Regressor y = new Regressor(TARGET, (data.y()[i] - targetMean) / targetScale);
      ds.add(new ArrayExample<>(y, names, standardised(data.x()[i], mean, scale)));
    }
    var trainer =
        new org.tribuo.regression.sgd.linear.LinearSGDTrainer(
            new SquaredLoss(), optimiser, epochs, -1, minibatch, options.seed());
    var model = trainer.train(ds);
    double[][] weights = new double[1][width];
    double[] bias = new double[1];
    copyRow(model, 0, names, weights[0], bias, 0);
    return new LinearModel(
        new LinearModel.State(
            Task.REGRESSION,
            java.util.List.of(),
            mean,
            scale,
            weights,
            bias,
            targetMean,
            targetScale));
  }

  private static <T extends Output<T>> MutableDataset<T> dataset(OutputFactory<T> factory) {
    return new MutableDataset<>(
        new SimpleDataSourceProvenance("flywheel", FIXED, factory), factory);
  }

  private static StochasticGradientOptimiser optimiser(Map<String, Number> params, int rows) {
    double lr = params.get("learning_rate").doubleValue();
    double l1 = params.get("l1").doubleValue();
    double l2 = params.get("l2").doubleValue();
    return l1 > 0 || l2 > 0 ? new AdaGradRDA(lr, 1e-6, l1, l2, rows) : new AdaGrad(lr, 1e-6);
  }

  /**
   * Copies one output's coefficients out of Tribuo. Its weight matrix is {@code [outputs][features
   * + 1]}, ordered by Tribuo's feature ids, with the bias in the last column. Features Tribuo never
   * saw keep weight 0.
   */
  private static void copyRow(
      AbstractLinearSGDModel<?> model,
      int outputRow,
      String[] names,
      double[] weights,
      double[] bias,
      int k) {
    DenseMatrix w = model.getWeightsCopy();
    ImmutableFeatureMap features = model.getFeatureIDMap();
    for (int j = 0; j < names.length; j++) {
      VariableIDInfo info = features.get(names[j]);
      if (info != null) {
        weights[j] = w.get(outputRow, info.getID());
      }
    }
    bias[k] = w.get(outputRow, w.getDimension2Size() - 1);
  }

  private static void standardisation(double[][] x, double[] mean, double[] scale) {
    int n = x.length;
    for (double[] row : x) {
      for (int j = 0; j < mean.length; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < mean.length; j++) {
      mean[j] /= Math.max(1, n);
    }
    for (double[] row : x) {
      for (int j = 0; j < mean.length; j++) {
        double d = row[j] - mean[j];
        scale[j] += d * d;
      }
    }
    for (int j = 0; j < scale.length; j++) {
      double sd = Math.sqrt(scale[j] / Math.max(1, n));
      scale[j] = sd > 1e-12 ? sd : 1.0;
    }
  }

  private static double[] standardised(double[] row, double[] mean, double[] scale) {
    double[] z = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      z[j] = (row[j] - mean[j]) / scale[j];
    }
    return z;
  }
}
