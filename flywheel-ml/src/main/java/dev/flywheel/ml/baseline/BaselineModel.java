package dev.flywheel.ml.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flywheel.core.Json;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Predicts the same thing for every input: the training class shares (so its label is the majority
 * class), or the training mean. If a candidate cannot beat this, it has learnt nothing.
 */
public final class BaselineModel implements Model {

  /**
   * The serialised form.
   *
   * @param task the task
   * @param classes the class labels; empty for regression
   * @param priors the training share of each class; empty for regression
   * @param mean the training mean of the target; 0 for classification
   * @param width the input width (ignored when predicting)
   */
  public record State(Task task, List<String> classes, double[] priors, double mean, int width) {}

  private final State state;

  public BaselineModel(State state) {
    this.state = state;
  }

  public static BaselineModel fromBytes(byte[] bytes) {
    try {
      return new BaselineModel(Json.mapper().readValue(bytes, State.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Algorithm algorithm() {
    return Algorithm.BASELINE;
  }

  @Override
  public Task task() {
    return state.task();
  }

  @Override
  public int width() {
    return state.width();
  }

  @Override
  public Predictions predict(double[][] x) {
    if (state.task() == Task.REGRESSION) {
      double[] v = new double[x.length];
      Arrays.fill(v, state.mean());
      return new Predictions.Values(v);
    }
    double[][] p = new double[x.length][];
    for (int i = 0; i < p.length; i++) {
      p[i] = state.priors().clone();
    }
    return new Predictions.Probabilities(state.classes(), p);
  }

  @Override
  public byte[] toBytes() {
    try {
      return Json.mapper().writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String fileName() {
    return "model.json";
  }
}
