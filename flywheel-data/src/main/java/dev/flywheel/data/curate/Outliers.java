package dev.flywheel.data.curate;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.CleanSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outlier removal from the training rows ({@code clean.outliers}), for training runs only. The
 * bounds come from the training rows themselves, never from validation or test rows, and only
 * training rows are removed: validation and test stay as the model will meet data when serving.
 *
 * <p>A row is removed when any checked column's value lies outside that column's bounds; a missing
 * value is never an outlier (imputation deals with it).
 *
 * <ul>
 *   <li>{@code iqr}: [Q1 − factor·IQR, Q3 + factor·IQR], IQR = Q3 − Q1, quartiles by linear
 *       interpolation between order statistics (position p·(n − 1), as NumPy's default).
 *   <li>{@code zscore}: |x − mean| / sd &gt; threshold, sd the population standard deviation
 *       (divisor n). A column with sd 0 has no outliers.
 * </ul>
 */
public final class Outliers {

  private Outliers() {}

  /**
   * The outcome of outlier removal.
   *
   * @param frame the kept rows, in their original order
   * @param removed rows removed
   * @param bounds the inclusive bounds of each checked column, computed on the input rows
   */
  public record Result(Frame frame, int removed, Map<String, Bounds> bounds) {}

  /** Inclusive bounds: values in [low, high] are kept. */
  public record Bounds(double low, double high) {}

  /**
   * Removes the rows of {@code train} outside the bounds that {@code rule} computes from {@code
   * train} itself.
   *
   * @param columns the numeric columns to check
   * @throws BadInputException when a listed column is absent or not numeric
   */
  public static Result remove(Frame train, CleanSpec.Outliers rule, List<String> columns) {
    Map<String, Bounds> bounds = new LinkedHashMap<>();
    List<NumericColumn> checked = new ArrayList<>();
    for (String name : columns) {
      Column c =
          train
              .find(name)
              .orElseThrow(
                  () ->
                      new BadInputException(
                          "clean.columns: '"
                              + name
                              + "' is not a column of the data; the columns are "
                              + String.join(", ", train.names())
                              + ". Fix clean.columns in the spec."));
      if (!(c instanceof NumericColumn n)) {
        throw new BadInputException(
            "clean.columns: '"
                + name
                + "' holds text, and outliers are found among numbers only. Remove it from"
                + " clean.columns.");
      }
      double[] present = Arrays.stream(n.values()).filter(v -> !Double.isNaN(v)).toArray();
      if (present.length == 0) {
        continue;
      }
      bounds.put(name, bounds(present, rule));
      checked.add(n);
    }
    int[] keep = new int[train.rowCount()];
    int kept = 0;
    for (int i = 0; i < train.rowCount(); i++) {
      boolean inside = true;
      for (NumericColumn n : checked) {
        double v = n.get(i);
        Bounds b = bounds.get(n.name());
        if (!Double.isNaN(v) && (v < b.low() || v > b.high())) {
          inside = false;
          break;
        }
      }
      if (inside) {
        keep[kept++] = i;
      }
    }
    return new Result(
        train.take(Arrays.copyOf(keep, kept)), train.rowCount() - kept, Map.copyOf(bounds));
  }

  /** The numeric columns of {@code frame} other than {@code target}: the default columns. */
  public static List<String> numericInputs(Frame frame, String target) {
    return frame.columns().stream()
        .filter(c -> c instanceof NumericColumn && !c.name().equals(target))
        .map(Column::name)
        .toList();
  }

  static Bounds bounds(double[] values, CleanSpec.Outliers rule) {
    return switch (rule) {
      case CleanSpec.Outliers.Iqr iqr -> {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double q1 = quantile(sorted, 0.25);
        double q3 = quantile(sorted, 0.75);
        double spread = iqr.factor() * (q3 - q1);
        yield new Bounds(q1 - spread, q3 + spread);
      }
      case CleanSpec.Outliers.ZScore z -> {
        double mean = Arrays.stream(values).average().orElseThrow();
        double ss = 0;
        for (double v : values) {
          ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / values.length);
        yield sd == 0
            ? new Bounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)
            : new Bounds(mean - z.threshold() * sd, mean + z.threshold() * sd);
      }
    };
  }

  /** The p-quantile of sorted values, interpolating linearly at position p·(n − 1). */
  static double quantile(double[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
