package dev.flywheel.core.spec;

import java.util.List;

/**
 * Row cleaning for training runs (docs/spec.md, {@code clean}). Serving never cleans rows: a
 * request is always answered. Duplicates and missing targets are handled before the split, outliers
 * after it, on the training rows alone and with bounds computed from them.
 *
 * @param dedupe which duplicate rows are dropped (the first copy stays)
 * @param dropMissingTarget true drops rows without a target; false makes such a row an error
 * @param outliers the outlier rule, or null for none
 * @param outlierColumns the columns the outlier rule looks at, or null for every numeric input
 *     column (the target is looked at only when listed)
 */
public record CleanSpec(
    Dedupe dedupe, boolean dropMissingTarget, Outliers outliers, List<String> outlierColumns) {

  /** Today's behaviour: exact duplicate rows and rows without a target are dropped. */
  public static final CleanSpec DEFAULT = new CleanSpec(new Dedupe.FullRow(), true, null, null);

  public CleanSpec {
    outlierColumns = outlierColumns == null ? null : List.copyOf(outlierColumns);
  }

  /** Which rows count as duplicates. */
  public sealed interface Dedupe {

    /** Duplicates are kept. */
    record Off() implements Dedupe {}

    /** Rows equal in every column are duplicates. */
    record FullRow() implements Dedupe {}

    /** Rows equal in the key columns are duplicates, whatever their other values. */
    record Key(List<String> columns) implements Dedupe {
      public Key {
        columns = List.copyOf(columns);
      }
    }
  }

  /** How an outlier is recognised, from the training rows' values of a column. */
  public sealed interface Outliers {

    /** Outside [Q1 − factor·IQR, Q3 + factor·IQR] (Tukey's fences; quartiles interpolated). */
    record Iqr(double factor) implements Outliers {}

    /** More than {@code threshold} population standard deviations from the mean. */
    record ZScore(double threshold) implements Outliers {}
  }
}
