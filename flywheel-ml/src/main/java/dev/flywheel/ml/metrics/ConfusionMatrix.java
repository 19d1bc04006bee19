package dev.flywheel.ml.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Counts of rows by true class (row) and predicted class (column), as scikit-learn's {@code
 * confusion_matrix(y_true, y_pred, labels=every class)}: {@code counts[i][j]} is the number of rows
 * whose truth is {@code labels[i]} and whose prediction is {@code labels[j]}. Every class of the
 * task has a row and a column, in class index order, even when a split never mentions it.
 *
 * <p>Build one with {@link ClassificationMetrics#confusionMatrix(List)}, so that the predicted
 * class is the one the other metrics use.
 *
 * @param labels the class labels, in class index order
 * @param counts {@code [labels][labels]}, truth by prediction
 */
public record ConfusionMatrix(List<String> labels, int[][] counts) {

  public ConfusionMatrix {
    labels = List.copyOf(labels);
    if (counts.length != labels.size()) {
      throw new IllegalArgumentException(
          "a confusion matrix needs one row per label: "
              + labels.size()
              + " labels but "
              + counts.length
              + " rows");
    }
    int[][] copy = new int[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      if (counts[i].length != labels.size()) {
        throw new IllegalArgumentException(
            "a confusion matrix needs one column per label: "
                + labels.size()
                + " labels but row "
                + i
                + " has "
                + counts[i].length);
      }
      copy[i] = counts[i].clone();
    }
    counts = copy;
  }

  /** The rows counted. */
  public int total() {
    int n = 0;
    for (int[] row : counts) {
      for (int c : row) {
        n += c;
      }
    }
    return n;
  }

  @Override
  public int[][] counts() {
    int[][] copy = new int[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix other
        && labels.equals(other.labels)
        && Arrays.deepEquals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return 31 * labels.hashCode() + Arrays.deepHashCode(counts);
  }

  @Override
  public String toString() {
    return "ConfusionMatrix[labels=" + labels + ", counts=" + Arrays.deepToString(counts) + "]";
  }
}
