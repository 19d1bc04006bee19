package dev.flywheel.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One hyperparameter in Flywheel's parameter table: its name, type, allowed range and default.
 * Flywheel validates every parameter against this table before training, because XGBoost silently
 * accepts misspelt names.
 *
 * @param name the name used in specs
 * @param type integer or real
 * @param min the smallest allowed value
 * @param minExclusive whether {@code min} itself is excluded
 * @param max the largest allowed value (inclusive)
 * @param defaultValue the value used when the spec leaves the parameter out
 * @param description one line for docs and {@code --help}
 * @param named words a spec may write instead of a number, such as {@code balanced} for 1; empty
 *     for most parameters
 */
public record ParamSpec(
    String name,
    Type type,
    double min,
    boolean minExclusive,
    double max,
    Number defaultValue,
    String description,
    Map<String, Number> named) {

  public ParamSpec {
    named = Collections.unmodifiableMap(new LinkedHashMap<>(named));
  }

  /** The value type of a parameter. */
  public enum Type {
    INTEGER,
    REAL
  }

  public static ParamSpec integer(String name, long min, long max, long def, String description) {
    return new ParamSpec(name, Type.INTEGER, min, false, max, def, description, Map.of());
  }

  public static ParamSpec real(
      String name, double min, boolean minExclusive, double max, double def, String description) {
    return new ParamSpec(name, Type.REAL, min, minExclusive, max, def, description, Map.of());
  }

  /** A copy that also accepts the given words for numbers, such as {@code balanced} for 1. */
  public ParamSpec withNames(Map<String, Number> words) {
    return new ParamSpec(name, type, min, minExclusive, max, defaultValue, description, words);
  }

  /** A human-readable statement of the allowed range, such as {@code an integer in [1, 5000]}. */
  public String rule() {
    String lo = (minExclusive ? "(" : "[") + format(min);
    String hi = format(max) + "]";
    String words =
        named.isEmpty()
            ? ""
            : " or "
                + String.join(
                    "|",
                    named.entrySet().stream()
                        .map(e -> e.getKey() + " (" + format(e.getValue().doubleValue()) + ")")
                        .toList());
    return (type == Type.INTEGER ? "an integer" : "a number") + " in " + lo + ", " + hi + words;
  }

  /**
   * Checks one value and returns it in its canonical Java type ({@code Long} or {@code Double}), or
   * an explanation of what is wrong.
   */
  public Result check(Object value) {
    if (value instanceof String word && named.containsKey(word)) {
      value = named.get(word);
    }
    if (!(value instanceof Number n)) {
      return new Result(Optional.empty(), Optional.of("'" + value + "' is not " + rule()));
    }
    double d = n.doubleValue();
    if (type == Type.INTEGER && (d != Math.rint(d) || Double.isInfinite(d))) {
      return new Result(Optional.empty(), Optional.of(format(d) + " is not " + rule()));
    }
    boolean below = minExclusive ? d <= min : d < min;
    if (below || d > max || Double.isNaN(d)) {
      return new Result(Optional.empty(), Optional.of(format(d) + " is out of range: " + rule()));
    }
    Number canonical = type == Type.INTEGER ? (Number) Long.valueOf((long) d) : Double.valueOf(d);
    return new Result(Optional.of(canonical), Optional.empty());
  }

  /** The outcome of {@link #check}: a canonical value or a problem. */
  public record Result(Optional<Number> value, Optional<String> problem) {}

  private static String format(double d) {
    if (d == Double.MAX_VALUE || d == Double.POSITIVE_INFINITY) {
      return "∞";
    }
    if (d == -Double.MAX_VALUE || d == Double.NEGATIVE_INFINITY) {
      return "-∞";
    }
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
