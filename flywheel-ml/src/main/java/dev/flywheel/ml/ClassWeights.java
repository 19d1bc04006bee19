package dev.flywheel.ml;

/**
 * Per-row weights for imbalanced classes, from the {@code class_weight} parameter. With power 1
 * ({@code balanced}) a row of class c weighs {@code n / (k · n_c)}, as scikit-learn's {@code
 * class_weight="balanced"}: each class then carries the same total weight. Power 0 weighs every row
 * 1; values between soften the correction. Classes absent from the rows get no weight (they have no
 * rows to weigh).
 */
public final class ClassWeights {

  private ClassWeights() {}

  /**
   * The weight of each row, or null when {@code power} is 0 (every row weighs 1).
   *
   * @param labels each row's class index
   * @param classes the number of classes
   * @param power the {@code class_weight} parameter, in [0, 1]
   */
  public static float[] of(int[] labels, int classes, double power) {
    if (power == 0) {
      return null;
    }
    long[] counts = new long[classes];
    for (int label : labels) {
      counts[label]++;
    }
    int present = 0;
    for (long c : counts) {
      present += c > 0 ? 1 : 0;
    }
    double[] perClass = new double[classes];
    for (int k = 0; k < classes; k++) {
      perClass[k] =
          counts[k] == 0 ? 0 : Math.pow((double) labels.length / (present * counts[k]), power);
    }
    float[] weights = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      weights[i] = (float) perClass[labels[i]];
    }
    return weights;
  }
}
