package dev.flywheel.core.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flywheel.core.features.FeatureSelection;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.DecisionRule;
import dev.flywheel.core.model.Task;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The self-description of a bundle, stored as {@code manifest.json}. It names every other file with
 * its SHA-256, and loading fails if any file differs.
 *
 * @param formatVersion the bundle format; readers refuse newer formats than they know
 * @param name the model's name
 * @param task the task
 * @param target the target column
 * @param algorithm the algorithm of the model
 * @param candidate the candidate's name on the leaderboard
 * @param params the hyperparameters, defaults included
 * @param classes class labels in model output order; empty for regression
 * @param positive the positive label of a binary classifier, or null
 * @param inputs the input signature
 * @param metrics metric values by split name ({@code validation}, {@code test})
 * @param lineage where the model came from
 * @param flywheelVersion the Flywheel version that wrote the bundle
 * @param files SHA-256 (hex) of each other file in the bundle, by file name
 * @param threshold a binary classifier's decision threshold on P(positive), chosen on validation;
 *     null for other tasks, and absent from bundles written before thresholds existed, which mean
 *     {@link DecisionRule#DEFAULT_THRESHOLD}
 * @param importance feature importances, or null (older bundles)
 * @param selection what feature selection kept and dropped, or null when the run selected none (and
 *     in bundles written before selection existed)
 */
public record Manifest(
    int formatVersion,
    String name,
    Task task,
    String target,
    Algorithm algorithm,
    String candidate,
    Map<String, Number> params,
    List<String> classes,
    String positive,
    List<InputField> inputs,
    Map<String, Map<String, Double>> metrics,
    Lineage lineage,
    String flywheelVersion,
    Map<String, String> files,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double threshold,
    @JsonInclude(JsonInclude.Include.NON_NULL) FeatureImportance importance,
    @JsonInclude(JsonInclude.Include.NON_NULL) FeatureSelection selection) {

  /**
   * The newest format this code reads and writes. 1: numeric inputs imputed, categories one-hot. 2:
   * the pipeline may also hold missing indicators, clip, bin and scale steps, ordinal and frequency
   * encodings, an (other) bucket, date parts and derived features. A writer stamps the oldest
   * format that holds its pipeline ({@code FeaturePipeline.formatVersion()}), so bundles without
   * the newer transforms stay readable by format-1 readers.
   */
  public static final int FORMAT_VERSION = 2;

  public Manifest {
    // Sorted maps: Map.copyOf iterates in an order salted per JVM, and the manifest's bytes must
    // be the same in every process.
    params = Collections.unmodifiableMap(new TreeMap<>(Map.copyOf(params)));
    classes = List.copyOf(classes);
    inputs = List.copyOf(inputs);
    files = Collections.unmodifiableMap(new TreeMap<>(Map.copyOf(files)));
  }

  /** A manifest without a decision threshold or importances. */
  public Manifest(
      int formatVersion,
      String name,
      Task task,
      String target,
      Algorithm algorithm,
      String candidate,
      Map<String, Number> params,
      List<String> classes,
      String positive,
      List<InputField> inputs,
      Map<String, Map<String, Double>> metrics,
      Lineage lineage,
      String flywheelVersion,
      Map<String, String> files) {
    this(
        formatVersion,
        name,
        task,
        target,
        algorithm,
        candidate,
        params,
        classes,
        positive,
        inputs,
        metrics,
        lineage,
        flywheelVersion,
        files,
        null,
        null,
        null);
  }

  /**
   * How this model's probabilities become labels: P(positive) ≥ {@link #threshold} for a binary
   * classifier (0.5 when the bundle records none), argmax otherwise.
   */
  public DecisionRule decisionRule() {
    return DecisionRule.of(classes, positive, threshold);
  }

  /** A copy recording a feature selection (null for none). */
  public Manifest withSelection(FeatureSelection other) {
    return new Manifest(
        formatVersion,
        name,
        task,
        target,
        algorithm,
        candidate,
        params,
        classes,
        positive,
        inputs,
        metrics,
        lineage,
        flywheelVersion,
        files,
        threshold,
        importance,
        other);
  }

  /** A copy with a decision threshold and importances (either may be null). */
  public Manifest withDecision(Double threshold, FeatureImportance importance) {
    return new Manifest(
        formatVersion,
        name,
        task,
        target,
        algorithm,
        candidate,
        params,
        classes,
        positive,
        inputs,
        metrics,
        lineage,
        flywheelVersion,
        files,
        threshold,
        importance,
        selection);
  }

  /** A copy with another lineage. */
  public Manifest withLineage(Lineage other) {
    return new Manifest(
        formatVersion,
        name,
        task,
        target,
        algorithm,
        candidate,
        params,
        classes,
        positive,
        inputs,
        metrics,
        other,
        flywheelVersion,
        files,
        threshold,
        importance,
        selection);
  }

  /** A copy with the file digests filled in. */
  public Manifest withFiles(Map<String, String> digests) {
    return new Manifest(
        formatVersion,
        name,
        task,
        target,
        algorithm,
        candidate,
        params,
        classes,
        positive,
        inputs,
        metrics,
        lineage,
        flywheelVersion,
        digests,
        threshold,
        importance,
        selection);
  }
}
