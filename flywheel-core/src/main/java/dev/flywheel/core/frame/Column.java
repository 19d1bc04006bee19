package dev.flywheel.core.frame;

/**
 * One named column of a {@link Frame}. Implementations are immutable by convention: nobody writes
 * into the arrays they expose.
 */
public sealed interface Column permits NumericColumn, CategoricalColumn {

  String name();

  ColumnType type();

  int size();

  boolean isMissing(int row);

  /** The value as a Java object: {@code Double}, {@code String}, or null when missing. */
  Object value(int row);

  /** A column holding only the given rows, in the given order. */
  Column take(int[] rows);

  /** Canonical text of a value, used for hashing rows; stable across runs and machines. */
  String canonical(int row);
}
