package dev.flywheel.core.frame;

import java.util.Set;

/**
 * The text tokens that mean "no value" when data arrives as text (CSV cells, JSON strings are not
 * affected). The set is documented in docs/spec.md.
 */
public final class MissingValues {

  /** Compared after trimming; {@code ?} is how UCI data sets mark missing values. */
  public static final Set<String> TOKENS =
      Set.of("", "NA", "N/A", "n/a", "na", "NaN", "nan", "null", "NULL", "None", "?");

  private MissingValues() {}

  public static boolean isMissing(String text) {
    return text == null || TOKENS.contains(text.strip());
  }
}
