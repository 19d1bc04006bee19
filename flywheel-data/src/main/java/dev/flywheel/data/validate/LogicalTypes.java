package dev.flywheel.data.validate;

import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.schema.LogicalType;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Infers the {@link LogicalType} of a frame column, and says whether a value fits a type. The rules
 * (docs/spec.md, "Schema"), over the non-missing values:
 *
 * <ul>
 *   <li>a number column is {@code integer} when every value is whole, else {@code numeric}; a
 *       column of 0 and 1 stays {@code integer} (counts and flags look alike; declare {@code
 *       boolean} to say which it is);
 *   <li>a text column is {@code boolean} when every value is {@code true} or {@code false} (any
 *       case); {@code timestamp} when every value is an ISO-8601 date ({@code 2026-11-26}) or
 *       date-time ({@code 2026-11-26T10:00:00}, a space instead of {@code T}, optional fraction,
 *       {@code Z} or offset); {@code text} when values average more than {@value #LONG_TEXT}
 *       characters, or there are more than {@value #MANY_DISTINCT} distinct values and they are
 *       more than half of the values; {@code categorical} otherwise;
 *   <li>a column without values is {@code categorical}.
 * </ul>
 *
 * <p>Inference only reads the frame; it never changes how columns are stored.
 */
public final class LogicalTypes {

  /** Average characters above which text is free text. */
  static final int LONG_TEXT = 50;

  /** Distinct values above which a mostly-unique text column is free text. */
  static final int MANY_DISTINCT = 50;

  private LogicalTypes() {}

  public static LogicalType infer(Column column) {
    return switch (column) {
      case NumericColumn n -> inferNumbers(n.values());
      case CategoricalColumn c -> inferText(c.values());
    };
  }

  private static LogicalType inferNumbers(double[] values) {
    boolean any = false;
    for (double v : values) {
      if (Double.isNaN(v)) {
        continue;
      }
      any = true;
      if (v != Math.rint(v)) {
        return LogicalType.NUMERIC;
      }
    }
    return any ? LogicalType.INTEGER : LogicalType.NUMERIC;
  }

  private static LogicalType inferText(String[] values) {
    long count = 0;
    long chars = 0;
    boolean booleans = true;
    boolean timestamps = true;
    Set<String> distinct = new HashSet<>();
    for (String v : values) {
      if (v == null) {
        continue;
      }
      count++;
      chars += v.length();
      booleans &= isBoolean(v);
      timestamps &= timestamps && isTimestamp(v);
      distinct.add(v);
    }
    if (count == 0) {
      return LogicalType.CATEGORICAL;
    }
    if (booleans) {
      return LogicalType.BOOLEAN;
    }
    if (timestamps) {
      return LogicalType.TIMESTAMP;
    }
    if (chars / (double) count > LONG_TEXT
        || (distinct.size() > MANY_DISTINCT && distinct.size() * 2L > count)) {
      return LogicalType.TEXT;
    }
    return LogicalType.CATEGORICAL;
  }

  /**
   * Whether a non-missing value (a {@code Double} or a {@code String}) fits {@code type}. Any value
   * fits {@code categorical} and {@code text}; numbers written as text fit {@code numeric} and
   * {@code integer}; {@code boolean} takes true/false (any case) and the numbers 0 and 1.
   */
  public static boolean fits(LogicalType type, Object value) {
    return switch (type) {
      case CATEGORICAL, TEXT -> true;
      case NUMERIC -> number(value) != null;
      case INTEGER -> {
        Double d = number(value);
        yield d != null && d == Math.rint(d);
      }
      case BOOLEAN -> {
        if (value instanceof String s && isBoolean(s)) {
          yield true;
        }
        Double d = number(value);
        yield d != null && (d == 0 || d == 1);
      }
      case TIMESTAMP -> value instanceof String s && isTimestamp(s);
    };
  }

  /** The value as a number, when it is one or is text of a plain decimal number; else null. */
  public static Double number(Object value) {
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof String s && isDecimal(s)) {
      return Double.parseDouble(s);
    }
    return null;
  }

  private static boolean isDecimal(String v) {
    int n = v.length();
    if (n == 0 || v.equals(".")) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      if (!(Character.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    try {
      return Double.isFinite(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static boolean isBoolean(String v) {
    String lower = v.toLowerCase(Locale.ROOT);
    return lower.equals("true") || lower.equals("false");
  }

  static boolean isTimestamp(String v) {
    // Cheap shape check first: yyyy-mm-dd…; parsing throws, which is slow per row.
    if (v.length() < 10 || v.charAt(4) != '-' || v.charAt(7) != '-') {
      return false;
    }
    try {
      if (v.length() == 10) {
        LocalDate.parse(v);
        return true;
      }
      String t = v.charAt(10) == ' ' ? v.substring(0, 10) + 'T' + v.substring(11) : v;
      DateTimeFormatter.ISO_DATE_TIME.parse(t);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
