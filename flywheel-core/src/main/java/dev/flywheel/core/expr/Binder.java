package dev.flywheel.core.expr;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.text.DidYouMean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Turns a syntax tree into evaluators, checking every column name and every type on the way, so
 * evaluation never meets a surprise: a bound expression cannot fail at run time, only give a value
 * or missing.
 */
final class Binder {

  record Typed(ValueType type, BoundExpression.Eval eval) {}

  private final Expression expression;
  private final Map<String, ValueType> columns;

  Binder(Expression expression, Map<String, ValueType> columns) {
    this.expression = expression;
    this.columns = columns;
  }

  Typed bind(Expression.Node node) {
    return switch (node) {
      case Expression.Node.Literal l -> {
        Object v = l.value();
        ValueType t =
            v instanceof Double
                ? ValueType.NUMBER
                : v instanceof Boolean ? ValueType.BOOLEAN : ValueType.TEXT;
        yield new Typed(t, row -> v);
      }
      case Expression.Node.Column c -> column(c);
      case Expression.Node.Unary u -> unary(u);
      case Expression.Node.Binary b -> binary(b);
      case Expression.Node.Call c -> call(c);
      case Expression.Node.Conditional c ->
          conditional(c.condition(), c.then(), c.otherwise(), c.pos(), "'?'");
    };
  }

  private BadInputException error(int pos, String message) {
    return expression.error(pos, message);
  }

  private Typed column(Expression.Node.Column c) {
    String name = c.name();
    ValueType type = columns.get(name);
    if (type == null) {
      String hint = DidYouMean.hint(name, columns.keySet());
      String fn =
          Functions.names().contains(name.toLowerCase(java.util.Locale.ROOT))
              ? "; " + name + " is a function: call it with parentheses"
              : "";
      throw error(
          c.pos(),
          "unknown column '"
              + name
              + "'"
              + hint
              + fn
              + "; an expression can read only these columns: "
              + Expression.list(columns.keySet()));
    }
    return switch (type) {
      case NUMBER ->
          new Typed(
              ValueType.NUMBER,
              row -> row.apply(name) instanceof Number n ? finite(n.doubleValue()) : null);
      case TEXT ->
          new Typed(
              ValueType.TEXT,
              row -> {
                Object v = row.apply(name);
                return v == null ? null : v.toString();
              });
      case BOOLEAN ->
          new Typed(ValueType.BOOLEAN, row -> row.apply(name) instanceof Boolean b ? b : null);
    };
  }

  private Typed unary(Expression.Node.Unary u) {
    Typed operand = bind(u.operand());
    if (u.op().equals("not")) {
      requireBoolean(operand, u.operand(), "not");
      BoundExpression.Eval e = operand.eval();
      return new Typed(
          ValueType.BOOLEAN,
          row -> {
            Object v = e.eval(row);
            return v == null ? null : !(Boolean) v;
          });
    }
    requireNumber(operand, u.operand(), "unary '-'");
    BoundExpression.Eval e = operand.eval();
    return new Typed(
        ValueType.NUMBER,
        row -> {
          Double v = asNumber(e.eval(row));
          return v == null ? null : -v;
        });
  }

  private Typed binary(Expression.Node.Binary b) {
    Typed l = bind(b.left());
    Typed r = bind(b.right());
    BoundExpression.Eval le = l.eval();
    BoundExpression.Eval re = r.eval();
    String op = b.op();
    switch (op) {
      case "and", "or" -> {
        requireBoolean(l, b.left(), "'" + op + "'");
        requireBoolean(r, b.right(), "'" + op + "'");
        boolean isAnd = op.equals("and");
        return new Typed(
            ValueType.BOOLEAN,
            row -> {
              Boolean x = (Boolean) le.eval(row);
              // Short-circuit on the deciding value, as three-valued logic allows.
              if (x != null && x != isAnd) {
                return x;
              }
              Boolean y = (Boolean) re.eval(row);
              if (y != null && y != isAnd) {
                return y;
              }
              return x == null || y == null ? null : isAnd;
            });
      }
      case "==", "!=" -> {
        boolean eq = op.equals("==");
        boolean lText = l.type() == ValueType.TEXT;
        boolean rText = r.type() == ValueType.TEXT;
        if (lText != rText) {
          Expression.Node textSide = lText ? b.left() : b.right();
          throw error(
              b.pos(),
              "'"
                  + op
                  + "' compares text with a number; compare like with like (quote the text,"
                  + " e.g. country == 'US', or compare a number column with a number)"
                  + (textSide instanceof Expression.Node.Column c
                      ? " — '" + c.name() + "' holds text"
                      : ""));
        }
        if (lText) {
          return new Typed(
              ValueType.BOOLEAN,
              row -> {
                Object x = le.eval(row);
                Object y = re.eval(row);
                return x == null || y == null ? null : x.equals(y) == eq;
              });
        }
        return new Typed(
            ValueType.BOOLEAN,
            row -> {
              Double x = asNumber(le.eval(row));
              Double y = asNumber(re.eval(row));
              return x == null || y == null ? null : (x.doubleValue() == y.doubleValue()) == eq;
            });
      }
      case "<", "<=", ">", ">=" -> {
        requireNumber(l, b.left(), "'" + op + "'");
        requireNumber(r, b.right(), "'" + op + "'");
        return new Typed(
            ValueType.BOOLEAN,
            row -> {
              Double x = asNumber(le.eval(row));
              Double y = asNumber(re.eval(row));
              if (x == null || y == null) {
                return null;
              }
              return switch (op) {
                case "<" -> x < y;
                case "<=" -> x <= y;
                case ">" -> x > y;
                default -> x >= y;
              };
            });
      }
      default -> {
        requireNumber(l, b.left(), "'" + op + "'");
        requireNumber(r, b.right(), "'" + op + "'");
        DoubleBinaryOperator f =
            switch (op) {
              case "+" -> Double::sum;
              case "-" -> (x, y) -> x - y;
              case "*" -> (x, y) -> x * y;
              case "/" -> (x, y) -> x / y;
              case "%" -> (x, y) -> x % y;
              default -> throw new IllegalStateException("unknown operator " + op);
            };
        return new Typed(
            ValueType.NUMBER, numeric(List.of(le, re), a -> f.applyAsDouble(a[0], a[1])));
      }
    }
  }

  private Typed call(Expression.Node.Call c) {
    String name = c.name();
    List<Expression.Node> args = c.args();
    switch (name) {
      case "if" -> {
        arity(c, 3, 3);
        return conditional(args.get(0), args.get(1), args.get(2), c.pos(), "if(…)");
      }
      case "is_missing" -> {
        arity(c, 1, 1);
        BoundExpression.Eval e = bind(args.get(0)).eval();
        return new Typed(ValueType.BOOLEAN, row -> e.eval(row) == null);
      }
      case "coalesce" -> {
        arity(c, 2, Integer.MAX_VALUE);
        List<Typed> typed = args.stream().map(this::bind).toList();
        ValueType t = typed.get(0).type();
        for (int i = 1; i < typed.size(); i++) {
          t = unify(t, typed.get(i).type(), args.get(i).pos(), "coalesce(…)");
        }
        List<BoundExpression.Eval> evals = typed.stream().map(Typed::eval).toList();
        ValueType type = t;
        return new Typed(
            type,
            row -> {
              for (BoundExpression.Eval e : evals) {
                Object v = e.eval(row);
                if (v != null) {
                  return type == ValueType.NUMBER ? asNumber(v) : v;
                }
              }
              return null;
            });
      }
      default -> {}
    }
    DoubleUnaryOperator unary = Functions.UNARY.get(name);
    DoubleBinaryOperator binaryFn = Functions.BINARY.get(name);
    boolean variadic = Functions.VARIADIC.contains(name);
    if (unary == null && binaryFn == null && !variadic) {
      throw error(
          c.pos(),
          "unknown function '"
              + name
              + "'; expressions can call only "
              + String.join(", ", Functions.names())
              + " (there is no access to Java classes, methods, files or the network)");
    }
    if (unary != null) {
      arity(c, 1, 1);
    } else if (binaryFn != null) {
      arity(c, 2, 2);
    } else {
      arity(c, 2, Integer.MAX_VALUE);
    }
    List<BoundExpression.Eval> evals = new ArrayList<>();
    for (Expression.Node a : args) {
      Typed t = bind(a);
      requireNumber(t, a, name + "(…)");
      evals.add(t.eval());
    }
    java.util.function.ToDoubleFunction<double[]> f;
    if (unary != null) {
      f = a -> unary.applyAsDouble(a[0]);
    } else if (binaryFn != null) {
      f = a -> binaryFn.applyAsDouble(a[0], a[1]);
    } else if (name.equals("min")) {
      f =
          a -> {
            double m = a[0];
            for (double x : a) {
              m = Math.min(m, x);
            }
            return m;
          };
    } else {
      f =
          a -> {
            double m = a[0];
            for (double x : a) {
              m = Math.max(m, x);
            }
            return m;
          };
    }
    return new Typed(ValueType.NUMBER, numeric(evals, f));
  }

  /** Evaluates number arguments; any missing argument, or a non-finite result, is missing. */
  private static BoundExpression.Eval numeric(
      List<BoundExpression.Eval> evals, java.util.function.ToDoubleFunction<double[]> f) {
    BoundExpression.Eval[] e = evals.toArray(new BoundExpression.Eval[0]);
    return row -> {
      double[] a = new double[e.length];
      for (int i = 0; i < e.length; i++) {
        Double v = asNumber(e[i].eval(row));
        if (v == null) {
          return null;
        }
        a[i] = v;
      }
      return finite(f.applyAsDouble(a));
    };
  }

  private Typed conditional(
      Expression.Node cond, Expression.Node then, Expression.Node otherwise, int pos, String what) {
    Typed c = bind(cond);
    requireBoolean(c, cond, "the condition of " + what);
    Typed a = bind(then);
    Typed b = bind(otherwise);
    ValueType type = unify(a.type(), b.type(), otherwise.pos(), what);
    BoundExpression.Eval ce = c.eval();
    BoundExpression.Eval ae = a.eval();
    BoundExpression.Eval be = b.eval();
    boolean toNumber = type == ValueType.NUMBER;
    return new Typed(
        type,
        row -> {
          Object v = Boolean.TRUE.equals(ce.eval(row)) ? ae.eval(row) : be.eval(row);
          return toNumber ? asNumber(v) : v;
        });
  }

  private ValueType unify(ValueType a, ValueType b, int pos, String what) {
    if (a == b) {
      return a;
    }
    if (a == ValueType.TEXT || b == ValueType.TEXT) {
      throw error(
          pos, what + " mixes text and numbers: its values must all be text or all be numbers");
    }
    return ValueType.NUMBER;
  }

  private void arity(Expression.Node.Call c, int min, int max) {
    int n = c.args().size();
    if (n < min || n > max) {
      String want =
          min == max
              ? min + " argument" + (min == 1 ? "" : "s")
              : max == Integer.MAX_VALUE ? "at least " + min + " arguments" : min + " to " + max;
      throw error(c.pos(), c.name() + "(…) takes " + want + ", found " + n);
    }
  }

  private void requireNumber(Typed t, Expression.Node at, String what) {
    if (t.type() == ValueType.TEXT) {
      throw error(
          at.pos(),
          what
              + " needs a number, found text"
              + (at instanceof Expression.Node.Column c
                  ? " (column '" + c.name() + "' holds categories; compare it with == 'value')"
                  : ""));
    }
  }

  private void requireBoolean(Typed t, Expression.Node at, String what) {
    if (t.type() != ValueType.BOOLEAN) {
      throw error(
          at.pos(),
          what
              + " needs true/false, found "
              + t.type().describe()
              + "; compare it, e.g. x > 0 or x == 'a'");
    }
  }

  static Double asNumber(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    return (Double) v;
  }

  static Double finite(double d) {
    return Double.isFinite(d) ? d : null;
  }
}
