package dev.flywheel.core.expr;

import java.util.List;
import java.util.function.Function;

/**
 * An {@link Expression} whose names and types were checked against a row's columns: it evaluates
 * rows. Instances are immutable and thread-safe; the server evaluates them concurrently.
 *
 * <p>Values: a number column's value is any {@code Number} (NaN counts as missing); a text column's
 * is a {@code String}; null or an absent name is missing. Missing values propagate: arithmetic,
 * comparisons and functions of a missing value are missing, {@code and}/{@code or} follow
 * three-valued logic ({@code false and missing} is false), a missing condition of {@code ?:} or
 * {@code if} takes the else branch (as SQL's CASE does), and a result that is not a finite number
 * (a / 0, log(0)) is missing too.
 */
public final class BoundExpression {

  /** Evaluates one node against a row. */
  @FunctionalInterface
  interface Eval {
    Object eval(Function<String, ?> row);
  }

  private final Expression expression;
  private final ValueType type;
  private final Eval eval;

  BoundExpression(Expression expression, ValueType type, Eval eval) {
    this.expression = expression;
    this.type = type;
    this.eval = eval;
  }

  public String text() {
    return expression.text();
  }

  /** The columns it reads. */
  public List<String> columns() {
    return expression.columns();
  }

  /** The type of its value. */
  public ValueType type() {
    return type;
  }

  /**
   * The value for one row: a {@code Double}, {@code String} or {@code Boolean}, or null when
   * missing.
   *
   * @param row the row's values by column name
   */
  public Object evaluate(Function<String, ?> row) {
    return eval.eval(row);
  }

  /** The value as a number: true is 1, false is 0, missing is NaN. Needs a non-text type. */
  public double number(Function<String, ?> row) {
    if (type == ValueType.TEXT) {
      throw new IllegalStateException("expression '" + text() + "' gives text, not a number");
    }
    Double d = Binder.asNumber(eval.eval(row));
    return d == null ? Double.NaN : d;
  }

  /** Whether the row passes, as a filter: only true passes; false and missing do not. */
  public boolean test(Function<String, ?> row) {
    if (type != ValueType.BOOLEAN) {
      throw new IllegalStateException("expression '" + text() + "' does not give true/false");
    }
    return Boolean.TRUE.equals(eval.eval(row));
  }

  @Override
  public String toString() {
    return text();
  }
}
