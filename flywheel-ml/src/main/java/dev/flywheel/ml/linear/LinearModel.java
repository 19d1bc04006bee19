package dev.flywheel.ml.linear;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flywheel.core.Json;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A linear or logistic model with its standardisation folded in. Tribuo trains it; Flywheel keeps
 * only the coefficients, so scoring is a few multiply-adds in pure Java and the serialised bytes
 * carry no training timestamp.
 *
 * <p>Scoring: {@code z = (x - mean) / scale}; {@code s_k = w_k · z + b_k}. A classifier returns the
 * softmax of {@code s}; a regressor returns {@code s_0 * targetScale + targetMean}.
 */
public final class LinearModel implements Model {

  /**
   * The serialised form.
   *
   * @param task the task
   * @param classes class labels in output order; empty for regression
   * @param mean per-input training mean
   * @param scale per-input training standard deviation (1 where it was 0)
   * @param weights {@code [outputs][inputs]}
   * @param bias per output
   * @param targetMean the regression target's training mean; 0 for classification
   * @param targetScale the regression target's training standard deviation; 1 for classification
   */
  public record State(
      Task task,
      List<String> classes,
      double[] mean,
      double[] scale,
      double[][] weights,
      double[] bias,
      double targetMean,
      double targetScale) {}

  private final State s;

  public LinearModel(State state) {
    this.s = state;
  }

  public static LinearModel fromBytes(byte[] bytes) {
    try {
      return new LinearModel(Json.mapper().readValue(bytes, State.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The coefficients and standardisation, as serialised. */
  public State state() {
    return s;
  }

  @Override
  public Algorithm algorithm() {
    return Algorithm.LINEAR;
  }

  @Override
  public Task task() {
    return s.task();
  }

  @Override
  public int width() {
    return s.mean().length;
  }

  @Override
  public Predictions predict(double[][] x) {
    int outputs = s.weights().length;
    double[][] scores = new double[x.length][outputs];
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < outputs; k++) {
        double[] w = s.weights()[k];
        double sum = s.bias()[k];
        for (int j = 0; j < w.length; j++) {
          sum += w[j] * ((x[i][j] - s.mean()[j]) / s.scale()[j]);
        }
        scores[i][k] = sum;
      }
    }
    if (s.task() == Task.REGRESSION) {
      double[] v = new double[x.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = scores[i][0] * s.targetScale() + s.targetMean();
      }
      return new Predictions.Values(v);
    }
    for (double[] row : scores) {
      softmax(row);
    }
    return new Predictions.Probabilities(s.classes(), scores);
  }

  private static void softmax(double[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int k = 0; k < row.length; k++) {
      row[k] = Math.exp(row[k] - max);
      sum += row[k];
    }
    for (int k = 0; k < row.length; k++) {
      row[k] /= sum;
    }
  }

  @Override
  public byte[] toBytes() {
    try {
      return Json.mapper().writeValueAsBytes(s);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String fileName() {
    return "model.json";
  }
}
