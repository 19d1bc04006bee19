package dev.flywheel.ml.importance;

import dev.flywheel.core.bundle.FeatureImportance;
import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Permutation importance: how much worse a metric gets on held-out rows when one input column's
 * values are shuffled across the rows, breaking its link to the target. It works for every model
 * kind, and it is per input column: a one-hot column's whole block of model inputs moves together,
 * which is the same as shuffling the raw column.
 *
 * <p>Seeded: one {@link SplittableRandom} draws the row sample (when there are more than {@code
 * maxRows} rows), then each column's shuffles in signature order, so the same inputs give the same
 * numbers.
 */
public final class PermutationImportance {

  /** Shuffles per column: enough for a spread, few enough to stay cheap. */
  public static final int REPEATS = 3;

  /** At most this many rows are scored, so large validation splits stay cheap. */
  public static final int MAX_ROWS = 10_000;

  /** Scores predictions of some rows. */
  @FunctionalInterface
  public interface Scorer {
    /**
     * @param predictions one per row of {@code rows}, in that order
     * @param rows the indices, into the full set of rows, that were predicted
     * @return the metric, or NaN when it is undefined
     */
    double score(Predictions predictions, int[] rows);
  }

  private PermutationImportance() {}

  /**
   * @param model the model
   * @param pipeline the feature pipeline that made {@code x} (it says which inputs are one column)
   * @param x the transformed held-out rows
   * @param metric the metric, for its name and direction
   * @param scorer scores predictions against the rows' truth
   * @param repeats shuffles per column
   * @param maxRows the most rows to score
   * @param seed the seed
   * @return the importances, or null when the metric is undefined on these rows
   */
  public static FeatureImportance.Permutation compute(
      Model model,
      FeaturePipeline pipeline,
      double[][] x,
      Metric metric,
      Scorer scorer,
      int repeats,
      int maxRows,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] rows = sample(x.length, maxRows, random);
    double[][] base = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      base[i] = x[rows[i]];
    }
    double baseline = scorer.score(model.predict(base), rows);
    if (rows.length < 2 || Double.isNaN(baseline)) {
      return null;
    }
    List<FeatureImportance.Drop> drops = new ArrayList<>();
    double[][] shuffled = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      shuffled[i] = base[i].clone();
    }
    int[] perm = new int[rows.length];
    int offset = 0;
    for (InputFeature f : pipeline.inputs()) {
      int width = f.width();
      double sum = 0;
      double sumSq = 0;
      int counted = 0;
      for (int r = 0; r < repeats; r++) {
        shuffle(perm, random);
        for (int i = 0; i < rows.length; i++) {
          System.arraycopy(base[perm[i]], offset, shuffled[i], offset, width);
        }
        double v = scorer.score(model.predict(shuffled), rows);
        if (!Double.isNaN(v)) {
          double drop = metric.improvement(baseline, v);
          sum += drop;
          sumSq += drop * drop;
          counted++;
        }
      }
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(base[i], offset, shuffled[i], offset, width);
      }
      offset += width;
      double mean = counted == 0 ? 0 : sum / counted;
      double var = counted < 2 ? 0 : Math.max(0, (sumSq - counted * mean * mean) / (counted - 1));
      drops.add(new FeatureImportance.Drop(f.name(), mean, Math.sqrt(var)));
    }
    drops.sort(Comparator.comparingDouble(FeatureImportance.Drop::mean).reversed());
    return new FeatureImportance.Permutation(
        metric.specName(), repeats, seed, rows.length, baseline, drops);
  }

  /** All rows when there are at most {@code max}, else a seeded sample of {@code max}, sorted. */
  static int[] sample(int n, int max, SplittableRandom random) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    if (n <= max) {
      return all;
    }
    for (int i = 0; i < max; i++) {
      int j = i + random.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] out = Arrays.copyOf(all, max);
    Arrays.sort(out);
    return out;
  }

  private static void shuffle(int[] perm, SplittableRandom random) {
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    for (int i = perm.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
  }
}
