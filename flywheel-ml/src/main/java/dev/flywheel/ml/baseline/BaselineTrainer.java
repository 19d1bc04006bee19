package dev.flywheel.ml.baseline;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.Trainer;
import dev.flywheel.core.model.TrainingSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Fits the {@link BaselineModel}: class shares for classification, the mean for regression. */
public final class BaselineTrainer implements Trainer {

  @Override
  public Algorithm algorithm() {
    return Algorithm.BASELINE;
  }

  @Override
  public Model train(TrainingSet data, Map<String, Number> params, TrainOptions options) {
    if (data.task() == Task.REGRESSION) {
      double mean = Arrays.stream(data.y()).average().orElse(0.0);
      return new BaselineModel(
          new BaselineModel.State(Task.REGRESSION, List.of(), new double[0], mean, data.width()));
    }
    double[] priors = new double[data.classes().size()];
    for (int label : data.labels()) {
      priors[label]++;
    }
    for (int k = 0; k < priors.length; k++) {
      priors[k] /= data.rows();
    }
    return new BaselineModel(
        new BaselineModel.State(Task.CLASSIFICATION, data.classes(), priors, 0.0, data.width()));
  }
}
