package dev.flywheel.core.bundle;

import dev.flywheel.core.model.Algorithm;
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
    Map<String, String> files) {

  /** The format this code writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;

  public Manifest {
    // Sorted maps: Map.copyOf iterates in an order salted per JVM, and the manifest's bytes must
    // be the same in every process.
    params = Collections.unmodifiableMap(new TreeMap<>(Map.copyOf(params)));
    classes = List.copyOf(classes);
    inputs = List.copyOf(inputs);
    files = Collections.unmodifiableMap(new TreeMap<>(Map.copyOf(files)));
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
        files);
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
        digests);
  }
}
