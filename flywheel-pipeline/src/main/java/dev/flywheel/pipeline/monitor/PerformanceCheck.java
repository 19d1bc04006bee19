package dev.flywheel.pipeline.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.bundle.Manifest;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.core.spec.MonitoringSpec;
import dev.flywheel.ml.decision.DecisionMetrics;
import dev.flywheel.pipeline.train.Truth;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores logged answers against fed-back labels with the metrics the training run uses ({@link
 * Truth}), and decides whether performance has degraded.
 *
 * <p>A classifier's answer is read from its logged {@code probabilities} (or, lacking them, its
 * {@code label} as a certain prediction); a regressor's from its {@code value}. A label that is not
 * one of the model's classes, a regression label that is not a number, or an answer that cannot be
 * read cannot be scored: such rows are left out and not counted in {@code labels}.
 */
final class PerformanceCheck {

  private PerformanceCheck() {}

  /**
   * @param manifest the bundle's manifest: task, classes and positive label
   * @param labelled the version's labelled predictions, newest first
   * @param spec the spec's performance settings
   */
  static MonitoringReport.Performance measure(
      Manifest manifest, List<LabelledPrediction> labelled, MonitoringSpec.Performance spec) {
    Metric metric = spec.metric();
    Scored scored =
        manifest.task() == Task.REGRESSION
            ? regression(labelled)
            : classification(manifest.classes(), labelled);
    Double value = null;
    if (scored.size() > 0) {
      int[] rows = new int[scored.size()];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = i;
      }
      int positive =
          manifest.positive() == null ? -1 : manifest.classes().indexOf(manifest.positive());
      Truth truth = new Truth(manifest.task(), scored.labels(), scored.y(), positive);
      // Label metrics score the labels that were served: a binary model's follow its threshold.
      double v =
          scored.predictions() instanceof Predictions.Probabilities p
              ? DecisionMetrics.value(
                  metric, scored.labels(), p.probabilities(), positive, manifest.decisionRule())
              : truth.metric(metric, scored.predictions(), rows);
      value = Double.isNaN(v) ? null : v;
    }
    boolean degraded =
        value != null
            && spec.min() != null
            && scored.size() >= spec.minLabels()
            && metric.improvement(value, spec.min()) < 0;
    return new MonitoringReport.Performance(
        metric.specName(), value, scored.size(), spec.min(), degraded);
  }

  /** Scoreable rows: truth and predictions, row for row. */
  private record Scored(int[] labels, double[] y, Predictions predictions) {
    int size() {
      return predictions.size();
    }
  }

  private static Scored classification(List<String> classes, List<LabelledPrediction> labelled) {
    List<Integer> truth = new ArrayList<>(labelled.size());
    List<double[]> probabilities = new ArrayList<>(labelled.size());
    for (LabelledPrediction lp : labelled) {
      int label = classes.indexOf(lp.label());
      JsonNode output = LoggedJson.object(lp.prediction().output());
      double[] p = output == null ? null : probabilities(classes, output);
      if (label >= 0 && p != null) {
        truth.add(label);
        probabilities.add(p);
      }
    }
    int[] labels = truth.stream().mapToInt(Integer::intValue).toArray();
    return new Scored(
        labels,
        null,
        new Predictions.Probabilities(classes, probabilities.toArray(new double[0][])));
  }

  /** The answer's class probabilities in the model's class order, or null if it has none. */
  private static double[] probabilities(List<String> classes, JsonNode output) {
    double[] p = new double[classes.size()];
    JsonNode given = output.get("probabilities");
    if (given != null && given.isObject()) {
      for (int k = 0; k < p.length; k++) {
        JsonNode v = given.get(classes.get(k));
        p[k] = v != null && v.isNumber() ? v.doubleValue() : 0.0;
      }
      return p;
    }
    JsonNode label = output.get("label");
    int k = label != null && label.isTextual() ? classes.indexOf(label.textValue()) : -1;
    if (k < 0) {
      return null;
    }
    p[k] = 1.0;
    return p;
  }

  private static Scored regression(List<LabelledPrediction> labelled) {
    double[] y = new double[labelled.size()];
    double[] values = new double[labelled.size()];
    int n = 0;
    for (LabelledPrediction lp : labelled) {
      double truth = number(lp.label());
      JsonNode output = LoggedJson.object(lp.prediction().output());
      JsonNode value = output == null ? null : output.get("value");
      if (!Double.isNaN(truth) && value != null && value.isNumber()) {
        y[n] = truth;
        values[n] = value.doubleValue();
        n++;
      }
    }
    return new Scored(
        null,
        java.util.Arrays.copyOf(y, n),
        new Predictions.Values(java.util.Arrays.copyOf(values, n)));
  }

  private static double number(String text) {
    try {
      double d = Double.parseDouble(text.strip());
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
