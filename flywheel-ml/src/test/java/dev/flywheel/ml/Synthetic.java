package dev.flywheel.ml;

import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic training sets with a known signal, small enough that every trainer learns them
 * in well under a second.
 */
public final class Synthetic {

  private Synthetic() {}

  /** Two standard-normal features; the label is 1 when {@code x1 + x2 > 0}. */
  public static TrainingSet binary(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[rows][];
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      double a = gaussian(r);
      double b = gaussian(r);
      x[i] = new double[] {a, b};
      labels[i] = a + b > 0 ? 1 : 0;
    }
    return new TrainingSet(x, names(2), Task.CLASSIFICATION, List.of("no", "yes"), labels, null);
  }

  /**
   * Three well-separated Gaussian blobs in two dimensions, centred at (-4, 0), (4, 0) and (0, 6),
   * with labels {@code a}, {@code b}, {@code c}.
   */
  public static TrainingSet threeBlobs(int rows, long seed) {
    double[][] centres = {{-4, 0}, {4, 0}, {0, 6}};
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[rows][];
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      int k = i % 3;
      x[i] = new double[] {centres[k][0] + gaussian(r), centres[k][1] + gaussian(r)};
      labels[i] = k;
    }
    return new TrainingSet(x, names(2), Task.CLASSIFICATION, List.of("a", "b", "c"), labels, null);
  }

  /** {@code y = 2 * x1 - x2 + 0.1 * noise} with standard-normal features. */
  public static TrainingSet linearRegression(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[rows][];
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      double a = gaussian(r);
      double b = gaussian(r);
      x[i] = new double[] {a, b};
      y[i] = 2 * a - b + 0.1 * gaussian(r);
    }
    return new TrainingSet(x, names(2), Task.REGRESSION, List.of(), null, y);
  }

  /** Feature names {@code x1 .. xn}. */
  public static List<String> names(int width) {
    List<String> names = new ArrayList<>();
    for (int j = 1; j <= width; j++) {
      names.add("x" + j);
    }
    return names;
  }

  private static double gaussian(SplittableRandom r) {
    return r.nextGaussian();
  }
}
