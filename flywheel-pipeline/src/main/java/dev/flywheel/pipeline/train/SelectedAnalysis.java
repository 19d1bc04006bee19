package dev.flywheel.pipeline.train;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.bundle.FeatureImportance;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.DecisionRule;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.ml.decision.DecisionMetrics;
import dev.flywheel.ml.decision.ThresholdChooser;
import dev.flywheel.ml.importance.ModelImportance;
import dev.flywheel.ml.importance.PermutationImportance;
import dev.flywheel.ml.metrics.RegressionMetrics;
import java.util.Map;

/**
 * What a run works out about the selected model after selection, on the validation split: the
 * binary decision threshold (docs/spec.md, {@code selection.threshold}) and the feature
 * importances. Candidates are compared on argmax labels before this; the threshold is chosen for
 * the winner only, and the test metrics of the winner score the labels it will serve.
 */
public final class SelectedAnalysis {

  private SelectedAnalysis() {}

  /**
   * The selected model's decision: its rule, and how the threshold was chosen (null for multi-class
   * and regression, which have no threshold).
   */
  public record Decision(DecisionRule rule, ThresholdChooser.Choice choice) {

    /** The threshold to record, or null when the model has none. */
    public Double threshold() {
      return choice == null ? null : choice.threshold();
    }
  }

  /**
   * Chooses the decision threshold of a binary classifier on validation.
   *
   * @throws BadInputException when the spec sets {@code selection.threshold} and the target does
   *     not have exactly two classes
   */
  public static Decision decide(PipelineSpec spec, PreparedData data, Model model) {
    if (spec.task() != Task.CLASSIFICATION) {
      return new Decision(DecisionRule.ARGMAX, null);
    }
    if (data.classes().size() != 2) {
      if (spec.selection().threshold() != null) {
        throw new BadInputException(
            (spec.file() == null ? "the spec" : spec.file().toString())
                + ": selection.threshold: target '"
                + spec.target()
                + "' has "
                + data.classes().size()
                + " classes "
                + data.classes()
                + ", and a decision threshold applies to binary classification only (more classes"
                + " take the most probable one). Remove selection.threshold.");
      }
      return new Decision(DecisionRule.ARGMAX, null);
    }
    Truth truth = data.validationTruth();
    Predictions.Probabilities p = (Predictions.Probabilities) model.predict(data.validationX());
    ThresholdChooser.Choice choice =
        ThresholdChooser.choose(
            spec.selection().thresholdOrDefault(),
            truth.labels(),
            p.probabilities(),
            truth.positive());
    return new Decision(new DecisionRule(truth.positive(), choice.threshold()), choice);
  }

  /** Every metric of the task on these rows, the label metrics under {@code rule}. */
  public static Map<String, Double> metrics(
      Truth truth, Predictions predictions, DecisionRule rule) {
    return switch (predictions) {
      case Predictions.Probabilities p ->
          DecisionMetrics.all(truth.labels(), p.probabilities(), truth.positive(), rule);
      case Predictions.Values v -> truth.metrics(v);
    };
  }

  /**
   * The model's own importances (gain or coefficients, when it has them) and permutation importance
   * of the selection metric on validation, scored under {@code rule}.
   */
  public static FeatureImportance importance(
      PreparedData data, Model model, Metric metric, DecisionRule rule, long seed) {
    Truth truth = data.validationTruth();
    PermutationImportance.Scorer scorer =
        (predictions, rows) ->
            switch (predictions) {
              case Predictions.Probabilities p -> {
                int[] t = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                  t[i] = truth.labels()[rows[i]];
                }
                yield DecisionMetrics.value(metric, t, p.probabilities(), truth.positive(), rule);
              }
              case Predictions.Values v -> {
                double[] y = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                  y[i] = truth.y()[rows[i]];
                }
                yield new RegressionMetrics(y, v.values()).value(metric);
              }
            };
    FeatureImportance.Permutation permutation =
        PermutationImportance.compute(
            model,
            data.pipeline(),
            data.validationX(),
            metric,
            scorer,
            PermutationImportance.REPEATS,
            PermutationImportance.MAX_ROWS,
            seed);
    return new FeatureImportance(
        ModelImportance.of(model, data.pipeline(), truth.positive()), permutation);
  }
}
