package dev.flywheel.core.model;

import java.util.List;

/**
 * Transformed training data as a trainer sees it.
 *
 * @param x the feature vectors, {@code [rows][width]}
 * @param featureNames the name of each vector position
 * @param task the task
 * @param classes for classification, the labels in sorted order; empty for regression
 * @param labels for classification, each row's index into {@code classes}; null otherwise
 * @param y for regression, each row's target; null otherwise
 */
public record TrainingSet(
    double[][] x,
    List<String> featureNames,
    Task task,
    List<String> classes,
    int[] labels,
    double[] y) {

  public TrainingSet {
    featureNames = List.copyOf(featureNames);
    classes = List.copyOf(classes);
  }

  public int rows() {
    return x.length;
  }

  public int width() {
    return featureNames.size();
  }
}
