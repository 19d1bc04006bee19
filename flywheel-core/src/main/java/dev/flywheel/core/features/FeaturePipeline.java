package dev.flywheel.core.features;

import dev.flywheel.core.expr.BoundExpression;
import dev.flywheel.core.expr.Expression;
import dev.flywheel.core.expr.ValueType;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A fitted feature pipeline: raw input values in, a numeric vector out. It is part of every bundle,
 * and the server applies this exact code to each request, so training and serving cannot disagree.
 * The batch path and the per-row path share {@link #vector}: one code path per row, whatever the
 * source of the values, and a property test holds them bitwise equal.
 *
 * <p>Order per feature: derive (for derived features) → impute (remembering whether the value was
 * missing) → clip → bin → scale, or encode for categories and take parts for dates; then the
 * missing indicator. Row cleaning never happens here: every row gets a vector.
 *
 * <p>Fit one with the data module's {@code FeaturePipelineFitter}, on the training split only.
 */
public final class FeaturePipeline {

  private final List<InputFeature> inputs;
  private final List<String> outputNames;
  private final List<Map<String, Integer>> categoryIndex;
  private final List<BoundExpression> derived;

  /**
   * @throws IllegalArgumentException when names repeat or a derived expression does not bind to the
   *     columns before it (a bundle is corrupt if so; the fitter checks this earlier with
   *     friendlier messages)
   */
  public FeaturePipeline(List<InputFeature> inputs) {
    this.inputs = List.copyOf(inputs);
    List<String> names = new ArrayList<>();
    List<Map<String, Integer>> index = new ArrayList<>();
    List<BoundExpression> expressions = new ArrayList<>();
    Map<String, ValueType> visible = new LinkedHashMap<>();
    for (InputFeature f : inputs) {
      if (visible.containsKey(f.name())) {
        throw new IllegalArgumentException("feature '" + f.name() + "' appears twice");
      }
      names.addAll(f.outputNames());
      Map<String, Integer> m = new HashMap<>();
      BoundExpression e = null;
      switch (f) {
        case InputFeature.Numeric n -> visible.put(n.name(), ValueType.NUMBER);
        case InputFeature.Categorical c -> {
          for (int i = 0; i < c.categories().size(); i++) {
            m.putIfAbsent(c.categories().get(i), i);
          }
          visible.put(c.name(), ValueType.TEXT);
        }
        case InputFeature.Date d -> visible.put(d.name(), ValueType.TEXT);
        case InputFeature.Derived d -> {
          e = Expression.parse(d.expression()).bind(visible);
          if (e.type() == ValueType.TEXT) {
            throw new IllegalArgumentException(
                "derived feature '" + d.name() + "' gives text: " + d.expression());
          }
          visible.put(d.name(), ValueType.NUMBER);
        }
      }
      index.add(Collections.unmodifiableMap(m));
      expressions.add(e);
    }
    this.outputNames = List.copyOf(names);
    this.categoryIndex = List.copyOf(index);
    this.derived = Collections.unmodifiableList(expressions);
  }

  /** Every feature in vector order: input columns, then derived features. */
  public List<InputFeature> inputs() {
    return inputs;
  }

  /** The features read from a request: every feature but the derived ones. */
  public List<InputFeature> columns() {
    return inputs.stream().filter(f -> !(f instanceof InputFeature.Derived)).toList();
  }

  /** The model inputs, such as {@code age} or {@code plan=basic}, in vector order. */
  public List<String> outputNames() {
    return outputNames;
  }

  public int width() {
    return outputNames.size();
  }

  /**
   * The oldest bundle format that can hold this pipeline: 1 when it only imputes numbers and
   * one-hot encodes categories (what format 1 knew), 2 when it uses any later transform. Writers
   * stamp it into the manifest so that an older Flywheel asks for an upgrade instead of misreading.
   */
  public int formatVersion() {
    for (InputFeature f : inputs) {
      boolean plain =
          switch (f) {
            case InputFeature.Numeric n -> !n.indicator() && n.steps().isEmpty();
            case InputFeature.Categorical c ->
                !c.indicator() && c.encoding() == InputFeature.Encoding.ONE_HOT && !c.other();
            case InputFeature.Date d -> false;
            case InputFeature.Derived d -> false;
          };
      if (!plain) {
        return 2;
      }
    }
    return 1;
  }

  /**
   * Transforms one row. Values are {@code Number} for numeric features and text for categorical and
   * date ones; null is missing. Callers validate presence and types first (the server does, with
   * JSON pointers); here a missing key is treated as a missing value.
   */
  public double[] transform(Map<String, ?> row) {
    return vector(row::get);
  }

  /** Transforms every row of a frame, which must hold every input column. */
  public double[][] transform(Frame frame) {
    Map<String, Column> columns = new HashMap<>();
    for (InputFeature f : columns()) {
      columns.put(f.name(), frame.column(f.name()));
    }
    double[][] out = new double[frame.rowCount()][];
    for (int r = 0; r < out.length; r++) {
      int row = r;
      out[r] =
          vector(
              name -> {
                Column c = columns.get(name);
                return c == null ? null : c.value(row);
              });
    }
    return out;
  }

  /** The one code path from a row's raw values to its vector. */
  private double[] vector(Function<String, ?> raw) {
    double[] out = new double[width()];
    // Derived values are visible to later derived features; raw values otherwise.
    Map<String, Object> computed = null;
    Function<String, ?> lookup = raw;
    int offset = 0;
    for (int f = 0; f < inputs.size(); f++) {
      InputFeature feature = inputs.get(f);
      Object value;
      if (feature instanceof InputFeature.Derived d) {
        if (computed == null) {
          Map<String, Object> c = new HashMap<>();
          computed = c;
          lookup = name -> c.containsKey(name) ? c.get(name) : raw.apply(name);
        }
        double v = derived.get(f).number(lookup);
        value = v;
        computed.put(d.name(), Double.isNaN(v) ? null : v);
      } else {
        value = raw.apply(feature.name());
      }
      offset = encode(f, value, out, offset);
    }
    return out;
  }

  /** Writes feature {@code f}'s outputs for {@code value} at {@code offset}; returns the next. */
  private int encode(int f, Object value, double[] out, int offset) {
    return switch (inputs.get(f)) {
      case InputFeature.Numeric n -> number(value, n.fill(), n.steps(), n.indicator(), out, offset);
      case InputFeature.Derived d -> number(value, d.fill(), d.steps(), d.indicator(), out, offset);
      case InputFeature.Categorical c -> {
        boolean missing = value == null;
        String s = missing ? c.fill() : value.toString();
        Integer i = categoryIndex.get(f).get(s);
        int k = c.categories().size();
        int next;
        switch (c.encoding()) {
          case ONE_HOT -> {
            if (i != null) {
              out[offset + i] = 1.0;
            } else if (c.other()) {
              out[offset + k] = 1.0;
            }
            next = offset + k + (c.other() ? 1 : 0);
          }
          case ORDINAL -> {
            out[offset] = i == null ? -1.0 : i;
            next = offset + 1;
          }
          case FREQUENCY -> {
            out[offset] = i == null ? 0.0 : c.shares().get(i);
            next = offset + 1;
          }
          default -> throw new IllegalStateException("unknown encoding " + c.encoding());
        }
        if (c.indicator()) {
          out[next++] = missing ? 1.0 : 0.0;
        }
        yield next;
      }
      case InputFeature.Date d -> {
        LocalDateTime t = value == null ? null : DatePart.parse(value.toString());
        int next = offset;
        for (int p = 0; p < d.parts().size(); p++) {
          out[next++] = t == null ? d.fills().get(p) : d.parts().get(p).of(t);
        }
        if (d.indicator()) {
          out[next++] = t == null ? 1.0 : 0.0;
        }
        yield next;
      }
    };
  }

  private static int number(
      Object value,
      double fill,
      List<NumericStep> steps,
      boolean indicator,
      double[] out,
      int offset) {
    double v = value instanceof Number num ? num.doubleValue() : Double.NaN;
    boolean missing = Double.isNaN(v);
    if (missing) {
      v = fill;
    }
    for (NumericStep step : steps) {
      v = step.apply(v);
    }
    out[offset] = v;
    if (indicator) {
      out[offset + 1] = missing ? 1.0 : 0.0;
      return offset + 2;
    }
    return offset + 1;
  }
}
