package dev.flywheel.core.frame;

import java.util.Locale;

/**
 * The type of a column. Numeric columns hold doubles (missing is NaN); categorical columns hold
 * text (missing is null). Integer, boolean, timestamp and text types come with the data issues.
 */
public enum ColumnType {
  NUMERIC,
  CATEGORICAL;

  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
