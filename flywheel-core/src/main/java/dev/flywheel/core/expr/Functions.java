package dev.flywheel.core.expr;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The fixed function table of the expression language: pure functions of numbers, plus the special
 * forms {@code if}, {@code coalesce} and {@code is_missing}, which the binder handles itself. This
 * table is the only thing an expression can call; there is no way to add to it from a spec.
 */
final class Functions {

  private Functions() {}

  static final Map<String, DoubleUnaryOperator> UNARY = new TreeMap<>();
  static final Map<String, DoubleBinaryOperator> BINARY = new TreeMap<>();

  /** Two or more numbers. */
  static final Set<String> VARIADIC = Set.of("min", "max");

  static final Set<String> SPECIAL = Set.of("if", "coalesce", "is_missing");

  static {
    UNARY.put("abs", Math::abs);
    UNARY.put("sqrt", Math::sqrt);
    UNARY.put("exp", Math::exp);
    UNARY.put("log", Math::log);
    UNARY.put("log10", Math::log10);
    UNARY.put("log1p", Math::log1p);
    UNARY.put("floor", Math::floor);
    UNARY.put("ceil", Math::ceil);
    // Half away from zero, as people round by hand (Math.rint rounds half to even).
    UNARY.put("round", x -> Math.signum(x) * Math.floor(Math.abs(x) + 0.5));
    UNARY.put("sign", Math::signum);
    BINARY.put("pow", Math::pow);
    // Safe division: a ratio over a zero denominator is 0, where a / 0 is missing.
    BINARY.put("ratio", (a, b) -> b == 0 ? 0.0 : a / b);
  }

  /** Every function name, sorted, for messages and docs. */
  static Set<String> names() {
    Set<String> all = new TreeSet<>(UNARY.keySet());
    all.addAll(BINARY.keySet());
    all.addAll(VARIADIC);
    all.addAll(SPECIAL);
    return all;
  }
}
