package dev.flywheel.ml.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.ml.Trainers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselineTrainerTest {

  private static final TrainOptions OPTIONS = new TrainOptions(42, 1);

  private static final double[][] FIVE_ROWS = {{1, 0}, {2, 0}, {3, 1}, {4, 1}, {5, 0}};

  @Test
  void classifierPredictsTheTrainingClassSharesForEveryInput() {
    // labels a, b, b, c, b -> shares a 1/5, b 3/5, c 1/5
    TrainingSet data =
        new TrainingSet(
            FIVE_ROWS,
            List.of("x1", "x2"),
            Task.CLASSIFICATION,
            List.of("a", "b", "c"),
            new int[] {0, 1, 1, 2, 1},
            null);
    Model model = new BaselineTrainer().train(data, Map.of(), OPTIONS);

    Predictions.Probabilities p =
        (Predictions.Probabilities) model.predict(new double[][] {{0, 0}, {100, -7}});
    assertThat(p.classes()).containsExactly("a", "b", "c");
    for (double[] row : p.probabilities()) {
      assertThat(row[0]).isCloseTo(0.2, within(1e-12));
      assertThat(row[1]).isCloseTo(0.6, within(1e-12));
      assertThat(row[2]).isCloseTo(0.2, within(1e-12));
    }
    assertThat(p.label(0)).isEqualTo("b");
    assertThat(p.label(1)).isEqualTo("b");
    assertThat(model.algorithm()).isEqualTo(Algorithm.BASELINE);
    assertThat(model.task()).isEqualTo(Task.CLASSIFICATION);
    assertThat(model.width()).isEqualTo(2);
  }

  @Test
  void aClassAbsentFromTheTrainingRowsGetsShareZero() {
    TrainingSet data =
        new TrainingSet(
            FIVE_ROWS,
            List.of("x1", "x2"),
            Task.CLASSIFICATION,
            List.of("a", "b", "c"),
            new int[] {0, 2, 2, 2, 0},
            null);
    Predictions.Probabilities p =
        (Predictions.Probabilities)
            new BaselineTrainer().train(data, Map.of(), OPTIONS).predict(new double[][] {{0, 0}});
    assertThat(p.probabilities()[0]).containsExactly(0.4, 0.0, 0.6);
  }

  @Test
  void regressorPredictsTheTrainingMeanForEveryInput() {
    // (1 + 2 + 3 + 6 + 13) / 5 = 5
    TrainingSet data =
        new TrainingSet(
            FIVE_ROWS,
            List.of("x1", "x2"),
            Task.REGRESSION,
            List.of(),
            null,
            new double[] {1, 2, 3, 6, 13});
    Model model = new BaselineTrainer().train(data, Map.of(), OPTIONS);
    Predictions.Values v =
        (Predictions.Values) model.predict(new double[][] {{0, 0}, {9, 9}, {-1, 3}});
    assertThat(v.values()).containsExactly(5.0, 5.0, 5.0);
  }

  @Test
  void bytesReadBackThroughTheLoaderPredictTheSame() {
    TrainingSet data =
        new TrainingSet(
            FIVE_ROWS,
            List.of("x1", "x2"),
            Task.CLASSIFICATION,
            List.of("no", "yes"),
            new int[] {0, 1, 1, 0, 1},
            null);
    Model model = new BaselineTrainer().train(data, Map.of(), OPTIONS);
    Model loaded =
        Trainers.LOADER.load(
            Algorithm.BASELINE, Task.CLASSIFICATION, List.of("no", "yes"), 2, model.toBytes());

    assertThat(loaded.toBytes()).isEqualTo(model.toBytes());
    assertThat(((Predictions.Probabilities) loaded.predict(FIVE_ROWS)).probabilities())
        .isDeepEqualTo(((Predictions.Probabilities) model.predict(FIVE_ROWS)).probabilities());
    assertThat(loaded.fileName()).isEqualTo("model.json");
  }
}
