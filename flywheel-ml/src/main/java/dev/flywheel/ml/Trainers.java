package dev.flywheel.ml;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ModelLoader;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.Trainer;
import dev.flywheel.core.spec.CandidateSpec;
import dev.flywheel.ml.baseline.BaselineModel;
import dev.flywheel.ml.baseline.BaselineTrainer;
import dev.flywheel.ml.linear.LinearModel;
import dev.flywheel.ml.linear.LinearTrainer;
import dev.flywheel.ml.onnx.OnnxModel;
import dev.flywheel.ml.onnx.OnnxTrainer;
import dev.flywheel.ml.xgboost.XGBoostModel;
import dev.flywheel.ml.xgboost.XGBoostTrainer;
import java.util.List;
import java.util.Map;

/** The trainer and the model loader for each {@link Algorithm}. */
public final class Trainers {

  private Trainers() {}

  /**
   * The trainer of an algorithm that needs nothing but parameters: every one but {@code onnx},
   * whose trainer needs its candidate's file ({@link #forCandidate}).
   */
  public static Trainer forAlgorithm(Algorithm algorithm) {
    return switch (algorithm) {
      case BASELINE -> new BaselineTrainer();
      case LINEAR -> new LinearTrainer();
      case XGBOOST -> new XGBoostTrainer();
      case RANDOM_FOREST -> new XGBoostTrainer(Algorithm.RANDOM_FOREST);
      case ONNX ->
          throw new IllegalArgumentException(
              "an onnx candidate's trainer needs its file and mapping; use forCandidate");
    };
  }

  /**
   * The trainer of one candidate. For {@code onnx} this reads the file and checks the mapping
   * against the graph, so call it before training anything to fail early.
   */
  public static Trainer forCandidate(CandidateSpec candidate) {
    return candidate.algorithm() == Algorithm.ONNX
        ? new OnnxTrainer(candidate)
        : forAlgorithm(candidate.algorithm());
  }

  /** Reads any model Flywheel writes; pass it to {@code BundleIO.read}. */
  public static final ModelLoader LOADER =
      new ModelLoader() {
        @Override
        public Model load(
            Algorithm algorithm, Task task, List<String> classes, int width, byte[] bytes) {
          return load(algorithm, task, classes, width, bytes, Map.of());
        }

        @Override
        public Model load(
            Algorithm algorithm,
            Task task,
            List<String> classes,
            int width,
            byte[] bytes,
            Map<String, byte[]> attachments) {
          Model model =
              switch (algorithm) {
                case BASELINE -> BaselineModel.fromBytes(bytes);
                case LINEAR -> LinearModel.fromBytes(bytes);
                case XGBOOST, RANDOM_FOREST ->
                    XGBoostModel.fromBytes(algorithm, bytes, task, classes, width);
                case ONNX -> OnnxModel.fromBytes(bytes, attachments, width);
              };
          if (model.task() != task) {
            throw new IllegalArgumentException(
                "the model file is a "
                    + model.task().specName()
                    + " model, the manifest says "
                    + task.specName());
          }
          return model;
        }
      };
}
