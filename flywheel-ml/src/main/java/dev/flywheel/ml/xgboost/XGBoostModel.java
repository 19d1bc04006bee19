package dev.flywheel.ml.xgboost;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees trained by XGBoost, serialised in XGBoost's UBJSON format (deterministic
 * bytes) and scored in pure Java by a {@link TreeEnsemble} built from XGBoost's JSON dump of the
 * same booster.
 *
 * <p>The native booster is used only while the model is trained or read back, to write the UBJ
 * bytes and the JSON dump; then it is disposed. The model holds no native memory and makes no JNI
 * call to predict. Every prediction, batch or single row, goes through the Java scorer, so the
 * numbers that evaluation and selection see are the very numbers serving returns. The scorer
 * matches XGBoost's {@code inplace_predict} (margins bit for bit, probabilities to within a float
 * ulp; see {@code TreeEnsembleTest}) and takes about 1 µs per row for 100 trees of depth 6, where a
 * JNI call takes 70–120 µs ({@code TreeScoringBenchmark}). It is also about twice as fast per row
 * as a single-threaded JNI batch, so there is no batch path to keep the booster for. Outputs are
 * XGBoost's float32 results, widened to double.
 */
public final class XGBoostModel implements Model {

  private final Algorithm algorithm;
  private final TreeEnsemble trees;
  private final Task task;
  private final List<String> classes;
  private final int width;
  private final byte[] bytes;
  private final int bestIteration;
  private final Map<String, List<Double>> history;

  private XGBoostModel(
      Algorithm algorithm,
      TreeEnsemble trees,
      Task task,
      List<String> classes,
      int width,
      byte[] bytes,
      int bestIteration,
      Map<String, List<Double>> history) {
    this.algorithm = algorithm;
    this.history = Map.copyOf(history);
    this.bestIteration = bestIteration;
    this.trees = trees;
    this.task = task;
    this.classes = List.copyOf(classes);
    this.width = width;
    this.bytes = bytes;
  }

  /** Wraps a booster that {@link XGBoostTrainer} just trained. The caller disposes the booster. */
  static XGBoostModel trained(Booster booster, Task task, List<String> classes, int width) {
    return trained(booster, Algorithm.XGBOOST, task, classes, width, -1);
  }

  /**
   * Wraps a booster that {@link XGBoostTrainer} just trained, keeping only its rounds up to {@code
   * bestIteration} when that is not negative (early stopping). The caller disposes the booster.
   */
  static XGBoostModel trained(
      Booster booster,
      Algorithm algorithm,
      Task task,
      List<String> classes,
      int width,
      int bestIteration) {
    return trained(booster, algorithm, task, classes, width, bestIteration, Map.of());
  }

  /** As above, with the metrics XGBoost evaluated per round ({@link Model#history()}). */
  static XGBoostModel trained(
      Booster booster,
      Algorithm algorithm,
      Task task,
      List<String> classes,
      int width,
      int bestIteration,
      Map<String, List<Double>> history) {
    byte[] ubj;
    byte[] json;
    Booster kept = null;
    try {
      json = booster.toByteArray("json");
      if (bestIteration >= 0 && bestIteration + 1 < booster.getNumBoostedRound()) {
        // XGBoost has no slice in its Java API; cut the JSON model to the first rounds and load
        // that, so the stored bytes hold exactly the trees that are served.
        json = BoosterJson.firstRounds(json, bestIteration + 1);
        kept = XGBoost.loadModel(json);
        json = kept.toByteArray("json");
        ubj = kept.toByteArray("ubj");
      } else {
        ubj = booster.toByteArray("ubj");
      }
    } catch (XGBoostError | IOException e) {
      throw new IllegalStateException("XGBoost could not serialise a booster it trained", e);
    } finally {
      if (kept != null) {
        kept.dispose();
      }
    }
    return new XGBoostModel(
        algorithm, TreeEnsemble.fromJson(json), task, classes, width, ubj, bestIteration, history);
  }

  /**
   * Reads a booster back. The task comes from the booster's own objective, not from {@code task},
   * so that a caller can see a mismatch with its manifest ({@code Trainers.LOADER} rejects one).
   *
   * @throws IllegalArgumentException if the bytes are not an XGBoost model, or its objective, class
   *     count or input width is not the one the manifest gives
   */
  public static XGBoostModel fromBytes(byte[] bytes, Task task, List<String> classes, int width) {
    return fromBytes(Algorithm.XGBOOST, bytes, task, classes, width);
  }

  /** Reads back a model of {@code algorithm} (xgboost or random_forest); see the other overload. */
  public static XGBoostModel fromBytes(
      Algorithm algorithm, byte[] bytes, Task task, List<String> classes, int width) {
    byte[] json;
    Booster booster = null;
    try {
      booster = XGBoost.loadModel(bytes);
      json = booster.toByteArray("json");
    } catch (XGBoostError | IOException e) {
      throw new IllegalArgumentException("not an XGBoost model: " + e.getMessage(), e);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
    }
    TreeEnsemble trees = TreeEnsemble.fromJson(json);
    Task actual;
    int modelClasses;
    switch (trees.objective()) {
      case REG_SQUAREDERROR -> {
        actual = Task.REGRESSION;
        modelClasses = 0;
      }
      case BINARY_LOGISTIC -> {
        actual = Task.CLASSIFICATION;
        modelClasses = 2;
      }
      case MULTI_SOFTPROB -> {
        actual = Task.CLASSIFICATION;
        modelClasses = trees.outputs();
      }
      default -> throw new AssertionError(trees.objective());
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
    if (trees.width() != width) {
      throw new IllegalArgumentException(
          "the model file takes " + trees.width() + " inputs, the manifest says " + width);
    }
    return new XGBoostModel(
        algorithm,
        trees,
        actual,
        actual == Task.CLASSIFICATION ? classes : List.of(),
        width,
        bytes.clone(),
        -1,
        Map.of());
  }

  @Override
  public Algorithm algorithm() {
    return algorithm;
  }

  @Override
  public Map<String, List<Double>> history() {
    return history;
  }

  @Override
  public OptionalInt bestIteration() {
    return bestIteration < 0 ? OptionalInt.empty() : OptionalInt.of(bestIteration);
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
    float[] row = new float[width];
    float[] out = new float[trees.outputs()];
    if (task == Task.REGRESSION) {
      double[] v = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        trees.predict(toFloats(x[i], row), out);
        v[i] = out[0];
      }
      return new Predictions.Values(v);
    }
    double[][] p = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      trees.predict(toFloats(x[i], row), out);
      double[] pi = new double[classes.size()];
      if (pi.length == 2) {
        pi[1] = out[0];
        pi[0] = 1.0 - pi[1];
      } else {
        for (int k = 0; k < pi.length; k++) {
          pi[k] = out[k];
        }
      }
      p[i] = pi;
    }
    return new Predictions.Probabilities(classes, p);
  }

  /** XGBoost reads its input as float32; so does the scorer. */
  private float[] toFloats(double[] x, float[] row) {
    if (x.length != width) {
      throw new IllegalArgumentException(
          "a row has " + x.length + " inputs; this model takes " + width);
    }
    for (int j = 0; j < width; j++) {
      row[j] = (float) x[j];
    }
    return row;
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
