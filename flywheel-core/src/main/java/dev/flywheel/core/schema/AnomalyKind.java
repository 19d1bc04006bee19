package dev.flywheel.core.schema;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of anomaly a validation report lists (docs/spec.md, "Validation"), by the names that
 * {@code quality.fail_on} and the report's JSON use.
 */
public enum AnomalyKind {
  /** A declared, required column is not in the data. */
  MISSING_COLUMN("missing_column"),
  /** A column that {@code schema.allow_extra: false} does not allow. */
  UNEXPECTED_COLUMN("unexpected_column"),
  /** Values that do not fit the declared type, or a column whose type changed since last time. */
  TYPE_MISMATCH("type_mismatch"),
  /** More missing values than {@code quality.max_null_rate}, or any in a non-nullable column. */
  NULL_RATE("null_rate"),
  /** Numbers outside the declared {@code min} and {@code max}. */
  OUT_OF_RANGE("out_of_range"),
  /** Values outside the declared {@code values} of a categorical column. */
  UNSEEN_CATEGORY("unseen_category"),
  /** Rows that repeat an earlier row (or its dedupe key). */
  DUPLICATES("duplicates"),
  /** The row count moved by more than {@code quality.max_row_change} since the last version. */
  ROW_COUNT_CHANGE("row_count_change"),
  /** A column's PSI against the last version is at least {@code quality.max_psi}. */
  DISTRIBUTION_CHANGE("distribution_change");

  private final String specName;

  AnomalyKind(String specName) {
    this.specName = specName;
  }

  public String specName() {
    return specName;
  }

  public static Optional<AnomalyKind> fromSpecName(String name) {
    return Arrays.stream(values()).filter(t -> t.specName.equals(name)).findFirst();
  }

  public static String specNames() {
    return String.join("|", Arrays.stream(values()).map(AnomalyKind::specName).toList());
  }
}
