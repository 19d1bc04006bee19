package dev.flywheel.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.TrainingSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The trained algorithms; the ONNX import, which trains nothing, is in OnnxTrainerTest. */
class TrainersTest {

  private static final TrainOptions OPTIONS = new TrainOptions(7, 1);

  private static Model train(Algorithm algorithm, TrainingSet data) {
    Map<String, Number> params = ParameterTable.withDefaults(algorithm, Map.of());
    if (algorithm == Algorithm.XGBOOST) {
      params.put("rounds", 5L);
    }
    return Trainers.forAlgorithm(algorithm).train(data, params, OPTIONS);
  }

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = "ONNX", mode = EnumSource.Mode.EXCLUDE)
  void loaderRejectsARegressionModelThatTheManifestCallsAClassifier(Algorithm algorithm) {
    Model regressor = train(algorithm, Synthetic.linearRegression(200, 1));

    assertThatThrownBy(
            () ->
                Trainers.LOADER.load(
                    algorithm, Task.CLASSIFICATION, List.of("no", "yes"), 2, regressor.toBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("regression model")
        .hasMessageContaining("the manifest says classification");
  }

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = "ONNX", mode = EnumSource.Mode.EXCLUDE)
  void loaderRejectsAClassifierThatTheManifestCallsARegressionModel(Algorithm algorithm) {
    Model classifier = train(algorithm, Synthetic.binary(200, 1));

    assertThatThrownBy(
            () ->
                Trainers.LOADER.load(
                    algorithm, Task.REGRESSION, List.of(), 2, classifier.toBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classification model")
        .hasMessageContaining("the manifest says regression");
  }

  @ParameterizedTest
  @EnumSource(value = Algorithm.class, names = "ONNX", mode = EnumSource.Mode.EXCLUDE)
  void loaderReadsBackWhatEachTrainerWrote(Algorithm algorithm) {
    Model model = train(algorithm, Synthetic.binary(200, 1));
    Model loaded =
        Trainers.LOADER.load(
            algorithm, Task.CLASSIFICATION, List.of("no", "yes"), 2, model.toBytes());
    assertThat(loaded.algorithm()).isEqualTo(algorithm);
    assertThat(loaded.task()).isEqualTo(Task.CLASSIFICATION);
    assertThat(loaded.width()).isEqualTo(2);
    assertThat(loaded.toBytes()).isEqualTo(model.toBytes());
  }
}
