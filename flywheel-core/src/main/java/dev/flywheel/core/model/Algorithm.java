package dev.flywheel.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The model families Flywheel can train. The set is closed so that the parameter table, the
 * trainers and the bundle loader can be checked for completeness with a {@code switch}.
 */
public enum Algorithm {
  /** Majority class or mean: the floor every other candidate must beat. */
  BASELINE,
  /** Logistic or linear regression trained by Tribuo's SGD, standardised inside. */
  LINEAR,
  /** Gradient-boosted trees through XGBoost. */
  XGBOOST,
  /**
   * A random forest through XGBoost: one round of {@code num_parallel_tree} trees, each on a row
   * and column sample, with learning rate 1. Stored and scored like {@link #XGBOOST}.
   */
  RANDOM_FOREST,
  /**
   * A model trained elsewhere, imported from an ONNX file and run by ONNX Runtime. It is not
   * trained, only evaluated and gated; its candidate carries the file and the input mapping.
   */
  ONNX;

  /** The name used in specs and JSON. */
  @JsonValue
  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Algorithm> fromSpecName(String name) {
    return Arrays.stream(values()).filter(a -> a.specName().equals(name)).findFirst();
  }

  /** All spec names, separated by {@code |}, for error messages. */
  public static String specNames() {
    return Arrays.stream(values()).map(Algorithm::specName).collect(Collectors.joining("|"));
  }

  @JsonCreator
  static Algorithm fromJson(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
