package dev.flywheel.ml;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ModelLoader;
import dev.flywheel.core.model.Trainer;
import dev.flywheel.ml.baseline.BaselineModel;
import dev.flywheel.ml.baseline.BaselineTrainer;
import dev.flywheel.ml.linear.LinearModel;
import dev.flywheel.ml.linear.LinearTrainer;
import dev.flywheel.ml.xgboost.XGBoostModel;
import dev.flywheel.ml.xgboost.XGBoostTrainer;

/** The trainer and the model loader for each {@link Algorithm}. */
public final class Trainers {

  private Trainers() {}

  public static Trainer forAlgorithm(Algorithm algorithm) {
    return switch (algorithm) {
      case BASELINE -> new BaselineTrainer();
      case LINEAR -> new LinearTrainer();
      case XGBOOST -> new XGBoostTrainer();
      case RANDOM_FOREST -> new XGBoostTrainer(Algorithm.RANDOM_FOREST);
    };
  }

  /** Reads any model Flywheel writes; pass it to {@code BundleIO.read}. */
  public static final ModelLoader LOADER =
      (algorithm, task, classes, width, bytes) -> {
        Model model =
            switch (algorithm) {
              case BASELINE -> BaselineModel.fromBytes(bytes);
              case LINEAR -> LinearModel.fromBytes(bytes);
              case XGBOOST, RANDOM_FOREST ->
                  XGBoostModel.fromBytes(algorithm, bytes, task, classes, width);
            };
        if (model.task() != task) {
          throw new IllegalArgumentException(
              "the model file is a "
                  + model.task().specName()
                  + " model, the manifest says "
                  + task.specName());
        }
        return model;
      };
}
