package dev.flywheel.ml.importance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.bundle.FeatureImportance;
import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.ml.Trainers;
import dev.flywheel.ml.metrics.ClassificationMetrics;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Importances on data with a known answer: the label depends on {@code signal} and on the {@code
 * colour} category, never on {@code noise}.
 */
class ImportanceTest {

  private static final FeaturePipeline PIPELINE =
      new FeaturePipeline(
          List.of(
              new InputFeature.Numeric("signal", 0),
              new InputFeature.Numeric("noise", 0),
              new InputFeature.Categorical("colour", "red", List.of("blue", "green", "red"))));

  private static TrainingSet data(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      double signal = r.nextGaussian();
      double noise = r.nextGaussian();
      int colour = r.nextInt(3);
      double[] row = new double[5];
      row[0] = signal;
      row[1] = noise;
      row[2 + colour] = 1;
      x[i] = row;
      // Green pushes towards the positive class as much as one standard deviation of signal.
      labels[i] = signal + (colour == 1 ? 1.0 : 0) + 0.3 * r.nextGaussian() > 0.5 ? 1 : 0;
    }
    return new TrainingSet(
        x, PIPELINE.outputNames(), Task.CLASSIFICATION, List.of("no", "yes"), labels, null);
  }

  private static Model train(Algorithm algorithm, TrainingSet data) {
    return Trainers.forAlgorithm(algorithm)
        .train(data, ParameterTable.withDefaults(algorithm, Map.of()), new TrainOptions(42, 1));
  }

  private static Map<String, Double> byColumn(FeatureImportance.ModelBased m) {
    return m.columns().stream()
        .collect(
            java.util.stream.Collectors.toMap(
                FeatureImportance.Column::name, FeatureImportance.Column::value));
  }

  @Test
  void treeGainIsLargestForTheSignalAndSumsOneHotFeaturesIntoTheirColumn() {
    Model model = train(Algorithm.XGBOOST, data(2000, 1));

    FeatureImportance.ModelBased gain = ModelImportance.of(model, PIPELINE, 1);

    assertThat(gain.method()).isEqualTo("gain");
    assertThat(gain.features())
        .extracting(FeatureImportance.Feature::name)
        .containsExactly("signal", "noise", "colour=blue", "colour=green", "colour=red");
    assertThat(gain.features())
        .extracting(FeatureImportance.Feature::column)
        .containsExactly("signal", "noise", "colour", "colour", "colour");
    assertThat(gain.columns().get(0).name()).isEqualTo("signal");
    Map<String, Double> col = byColumn(gain);
    double colourSum =
        gain.features().stream()
            .filter(f -> f.column().equals("colour"))
            .mapToDouble(f -> f.value())
            .sum();
    assertThat(col.get("colour")).isEqualTo(colourSum);
    assertThat(col.get("colour")).isGreaterThan(col.get("noise"));
    assertThat(gain.features()).allSatisfy(f -> assertThat(f.value()).isNotNegative());
  }

  @Test
  void linearCoefficientsCarryTheSignOfTheEffectOnThePositiveClass() {
    Model model = train(Algorithm.LINEAR, data(2000, 2));

    FeatureImportance.ModelBased asYes = ModelImportance.of(model, PIPELINE, 1);
    FeatureImportance.ModelBased asNo = ModelImportance.of(model, PIPELINE, 0);

    assertThat(asYes.method()).isEqualTo("coefficient");
    Map<String, Double> yes =
        asYes.features().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    FeatureImportance.Feature::name, FeatureImportance.Feature::value));
    assertThat(yes.get("signal")).isGreaterThan(1.0);
    assertThat(yes.get("colour=green")).isGreaterThan(0.3);
    assertThat(Math.abs(yes.get("noise"))).isLessThan(yes.get("signal") / 5);
    for (int j = 0; j < 5; j++) {
      assertThat(asNo.features().get(j).value()).isEqualTo(-asYes.features().get(j).value());
    }
    assertThat(asYes.columns().get(0).name()).isEqualTo("signal");
  }

  @Test
  void theBaselineHasNoModelImportance() {
    assertThat(ModelImportance.of(train(Algorithm.BASELINE, data(200, 3)), PIPELINE, 1)).isNull();
  }

  @Test
  void permutationRanksTheColumnsAndIsSeeded() {
    TrainingSet train = data(2000, 4);
    TrainingSet valid = data(1500, 5);
    Model model = train(Algorithm.XGBOOST, train);
    PermutationImportance.Scorer auc =
        (predictions, rows) -> {
          int[] t = new int[rows.length];
          for (int i = 0; i < rows.length; i++) {
            t[i] = valid.labels()[rows[i]];
          }
          return new ClassificationMetrics(
                  t, ((Predictions.Probabilities) predictions).probabilities(), 1)
              .value(Metric.AUC);
        };

    FeatureImportance.Permutation p =
        PermutationImportance.compute(model, PIPELINE, valid.x(), Metric.AUC, auc, 3, 10_000, 42);
    FeatureImportance.Permutation again =
        PermutationImportance.compute(model, PIPELINE, valid.x(), Metric.AUC, auc, 3, 10_000, 42);
    FeatureImportance.Permutation sampled =
        PermutationImportance.compute(model, PIPELINE, valid.x(), Metric.AUC, auc, 3, 500, 42);

    assertThat(p.columns())
        .extracting(FeatureImportance.Drop::name)
        .containsExactly("signal", "colour", "noise");
    assertThat(p.columns().get(0).mean()).isGreaterThan(0.2);
    assertThat(p.columns().get(1).mean()).isGreaterThan(0.02);
    assertThat(Math.abs(p.columns().get(2).mean())).isLessThan(0.01);
    assertThat(p.rows()).isEqualTo(1500);
    assertThat(p.baseline()).isGreaterThan(0.9);
    assertThat(again).isEqualTo(p);
    assertThat(sampled.rows()).isEqualTo(500);
  }
}
