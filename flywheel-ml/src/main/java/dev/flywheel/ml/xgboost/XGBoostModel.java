package dev.flywheel.ml.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import java.io.IOException;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees held by XGBoost's native booster, serialised in XGBoost's UBJSON format
 * (deterministic bytes). Single rows cost a JNI call each (~100 µs); batch when you can.
 */
public final class XGBoostModel implements Model {

  private final Booster booster;
  private final Task task;
  private final List<String> classes;
  private final int width;
  private final byte[] bytes;

  XGBoostModel(Booster booster, Task task, List<String> classes, int width) {
    this.booster = booster;
    this.task = task;
    this.classes = List.copyOf(classes);
    this.width = width;
    try {
      this.bytes = booster.toByteArray("ubj");
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost could not serialise a booster it trained", e);
    }
  }

  /**
   * Reads a booster back. The task comes from the booster's own objective, not from {@code task},
   * so that a caller can see a mismatch with its manifest ({@code Trainers.LOADER} rejects one).
   *
   * @throws IllegalArgumentException if the bytes are not an XGBoost model, or its objective, class
   *     count or input width is not the one the manifest gives
   */
  public static XGBoostModel fromBytes(byte[] bytes, Task task, List<String> classes, int width) {
    Booster booster;
    JsonNode learner;
    try {
      booster = XGBoost.loadModel(bytes);
      learner = Json.mapper().readTree(booster.toByteArray("json")).path("learner");
    } catch (XGBoostError | IOException e) {
      throw new IllegalArgumentException("not an XGBoost model: " + e.getMessage(), e);
    }
    String objective = learner.path("objective").path("name").asText();
    int numClass = learner.path("learner_model_param").path("num_class").asInt(0);
    Task actual;
    int modelClasses;
    switch (objective) {
      case "reg:squarederror" -> {
        actual = Task.REGRESSION;
        modelClasses = 0;
      }
      case "binary:logistic" -> {
        actual = Task.CLASSIFICATION;
        modelClasses = 2;
      }
      case "multi:softprob" -> {
        actual = Task.CLASSIFICATION;
        modelClasses = numClass;
      }
      default ->
          throw new IllegalArgumentException(
              "the XGBoost model has objective '"
                  + objective
                  + "'; Flywheel reads reg:squarederror, binary:logistic and multi:softprob");
    }
    if (actual == task && actual == Task.CLASSIFICATION && modelClasses != classes.size()) {
      throw new IllegalArgumentException(
          "the model file predicts "
              + modelClasses
              + " classes, the manifest lists "
              + classes.size()
              + ": "
              + classes);
    }
    long modelWidth;
    try {
      modelWidth = booster.getNumFeature();
    } catch (XGBoostError e) {
      throw new IllegalArgumentException("not an XGBoost model: " + e.getMessage(), e);
    }
    if (modelWidth != width) {
      throw new IllegalArgumentException(
          "the model file takes " + modelWidth + " inputs, the manifest says " + width);
    }
    return new XGBoostModel(
        booster, actual, actual == Task.CLASSIFICATION ? classes : List.of(), width);
  }

  @Override
  public Algorithm algorithm() {
    return Algorithm.XGBOOST;
  }

  @Override
  public Task task() {
    return task;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public Predictions predict(double[][] x) {
    if (x.length == 0) {
      return task == Task.REGRESSION
          ? new Predictions.Values(new double[0])
          : new Predictions.Probabilities(classes, new double[0][]);
    }
    float[] flat = XGBoostTrainer.flatten(x, width);
    float[][] raw;
    try {
      raw = booster.inplace_predict(flat, x.length, width, Float.NaN);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost failed to predict: " + e.getMessage(), e);
    }
    if (task == Task.REGRESSION) {
      double[] v = new double[x.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = raw[i][0];
      }
      return new Predictions.Values(v);
    }
    double[][] p = new double[x.length][classes.size()];
    for (int i = 0; i < p.length; i++) {
      if (classes.size() == 2) {
        p[i][1] = raw[i][0];
        p[i][0] = 1.0 - p[i][1];
      } else {
        for (int k = 0; k < classes.size(); k++) {
          p[i][k] = raw[i][k];
        }
      }
    }
    return new Predictions.Probabilities(classes, p);
  }

  @Override
  public byte[] toBytes() {
    return bytes.clone();
  }

  @Override
  public String fileName() {
    return "model.ubj";
  }
}
