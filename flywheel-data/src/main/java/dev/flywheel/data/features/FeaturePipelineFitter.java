package dev.flywheel.data.features;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.expr.BoundExpression;
import dev.flywheel.core.expr.Expression;
import dev.flywheel.core.expr.ValueType;
import dev.flywheel.core.features.DatePart;
import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.features.NumericStep;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.FeaturesSpec;
import dev.flywheel.core.text.DidYouMean;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a {@link FeaturePipeline} on the training split: fills, bounds, bins, scalers and
 * vocabularies come from these rows alone, never from validation or test rows (no leakage).
 *
 * <p>Each numeric step is fitted on the training values as they reach it: the fill on the present
 * values, clip bounds on the imputed values, bins on the clipped ones, the scaler on the binned
 * ones. Statistics use finite values only; quantiles interpolate linearly between order statistics
 * (numpy's default). Derived features are computed from the raw training values by the same
 * expression code the pipeline runs, then fitted like any number.
 */
public final class FeaturePipelineFitter {

  /**
   * At most this many categories per column get a one-hot output by default: the most frequent
   * ones. The rest encode as all zeros, like unseen categories (or as {@code (other)} when asked),
   * so an identifier column cannot blow up the model's width.
   */
  public static final int MAX_CATEGORIES = FeaturesSpec.Encode.DEFAULT_MAX_CATEGORIES;

  private FeaturePipelineFitter() {}

  /**
   * @param train the training split
   * @param features the input columns, in signature order
   * @param spec how to impute, clip, bin, scale, encode and derive
   * @throws BadInputException when the spec names a column the data lacks, sets a transform its
   *     column's type cannot take, or a derived expression does not fit the data
   */
  public static FeaturePipeline fit(Frame train, List<String> features, FeaturesSpec spec) {
    checkColumnNames(train, features, spec);
    List<InputFeature> inputs = new ArrayList<>();
    for (String name : features) {
      Column column = train.column(name);
      FeaturesSpec.Transform t = spec.forColumn(name);
      FeaturesSpec.Transform own = spec.columns().get(name);
      inputs.add(
          switch (column) {
            case NumericColumn n -> {
              if (own != null && own.dateParts() != null) {
                throw new BadInputException(
                    where(own)
                        + ": date_parts needs a column of ISO-8601 date text, but '"
                        + name
                        + "' holds numbers. Remove date_parts, or fix the column.");
              }
              rejectFor(
                  own, name, "a number column", own != null && own.encode() != null, "encode");
              yield numeric(name, n.values(), t, impute(t, spec.numericImpute()), own);
            }
            case CategoricalColumn c -> {
              if (t.dateParts() != null) {
                rejectFor(
                    own,
                    name,
                    "a date column",
                    own.encode() != null
                        || own.clip() != null
                        || own.scale() != null
                        || own.bin() != null
                        || own.impute() != null,
                    "encode, impute, clip, scale or bin");
                yield date(c, t);
              }
              rejectFor(
                  own,
                  name,
                  "a category column",
                  own != null && (own.clip() != null || own.scale() != null || own.bin() != null),
                  "clip, scale or bin");
              yield categorical(c, t, impute(t, spec.categoricalImpute()), own);
            }
          });
    }
    fitDerived(train, spec, inputs);
    return new FeaturePipeline(inputs);
  }

  private static FeaturesSpec.Impute impute(FeaturesSpec.Transform t, FeaturesSpec.Impute d) {
    return t.impute() != null ? t.impute() : d;
  }

  private static String where(FeaturesSpec.Transform own) {
    return own == null || own.where() == null ? "features" : own.where();
  }

  private static void rejectFor(
      FeaturesSpec.Transform own, String name, String kind, boolean bad, String keys) {
    if (bad) {
      throw new BadInputException(
          where(own)
              + ": '"
              + name
              + "' is "
              + kind
              + ", which takes no "
              + keys
              + ". Remove the key from features.columns."
              + name
              + ".");
    }
  }

  private static void checkColumnNames(Frame train, List<String> features, FeaturesSpec spec) {
    List<String> known = new ArrayList<>(features);
    for (var e : spec.derive().entrySet()) {
      if (train.find(e.getKey()).isPresent()) {
        throw new BadInputException(
            e.getValue().where()
                + ": derived feature '"
                + e.getKey()
                + "' has the name of a column of the data; give it another name.");
      }
      known.add(e.getKey());
    }
    for (var e : spec.columns().entrySet()) {
      if (!known.contains(e.getKey())) {
        String why =
            train.find(e.getKey()).isPresent()
                ? " is not an input feature (it is the target)"
                : " is not a column of the data" + DidYouMean.hint(e.getKey(), known);
        throw new BadInputException(
            e.getValue().where()
                + ": features.columns names '"
                + e.getKey()
                + "', which"
                + why
                + "; the input columns are "
                + String.join(", ", known)
                + ".");
      }
    }
  }

  // ---- numbers ----

  private static InputFeature.Numeric numeric(
      String name,
      double[] values,
      FeaturesSpec.Transform t,
      FeaturesSpec.Impute impute,
      FeaturesSpec.Transform own) {
    Fitted f = fitNumber(name, values, t, impute, own);
    return new InputFeature.Numeric(name, f.fill, t.missingIndicator(), f.steps);
  }

  private record Fitted(double fill, List<NumericStep> steps) {}

  private static Fitted fitNumber(
      String name,
      double[] values,
      FeaturesSpec.Transform t,
      FeaturesSpec.Impute impute,
      FeaturesSpec.Transform own) {
    double[] present = Arrays.stream(values).filter(Double::isFinite).toArray();
    double fill = fill(name, present, impute, own);
    // The values as the next step sees them: imputed, finite only for fitting.
    double[] x = new double[values.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = Double.isNaN(values[i]) ? fill : values[i];
    }
    List<NumericStep> steps = new ArrayList<>();
    NumericStep clip = clip(finite(x), t.clip());
    if (clip != null) {
      steps.add(clip);
      apply(clip, x);
    }
    NumericStep bin = bin(finite(x), t.bin());
    if (bin != null) {
      steps.add(bin);
      apply(bin, x);
    }
    NumericStep scale = scale(finite(x), t.scale());
    if (scale != null) {
      steps.add(scale);
    }
    return new Fitted(fill, steps);
  }

  private static double[] finite(double[] x) {
    return Arrays.stream(x).filter(Double::isFinite).toArray();
  }

  private static void apply(NumericStep step, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = step.apply(x[i]);
    }
  }

  private static double fill(
      String name, double[] present, FeaturesSpec.Impute impute, FeaturesSpec.Transform own) {
    if (impute.method().equals("constant")) {
      if (!(impute.constant() instanceof Double d)) {
        throw new BadInputException(
            where(own)
                + ": '"
                + name
                + "' is a number column, so impute {constant: "
                + impute.constant()
                + "} needs a number. Give a number, such as {constant: 0}.");
      }
      return d;
    }
    if (present.length == 0) {
      return 0.0;
    }
    return switch (impute.method()) {
      case "mean" -> mean(present);
      case "most_frequent" -> mode(present);
      default -> median(present);
    };
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  static double median(double[] values) {
    return quantile(sorted(values), 0.5);
  }

  /** The most frequent value; ties go to the smallest. */
  static double mode(double[] values) {
    double[] s = sorted(values);
    double best = s[0];
    int bestCount = 0;
    for (int i = 0; i < s.length; ) {
      int j = i;
      while (j < s.length && s[j] == s[i]) {
        j++;
      }
      if (j - i > bestCount) {
        best = s[i];
        bestCount = j - i;
      }
      i = j;
    }
    return best;
  }

  private static double[] sorted(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s;
  }

  /** Linear interpolation between order statistics of sorted {@code s} (numpy's default). */
  static double quantile(double[] s, double p) {
    double h = (s.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (h - lo) * (s[hi] - s[lo]);
  }

  private static NumericStep clip(double[] x, FeaturesSpec.Clip clip) {
    if (x.length == 0) {
      return null;
    }
    double[] s = sorted(x);
    return switch (clip) {
      case FeaturesSpec.Clip.None n -> null;
      case FeaturesSpec.Clip.Quantiles q ->
          new NumericStep.Clip(quantile(s, q.low()), quantile(s, q.high()));
      case FeaturesSpec.Clip.Iqr iqr -> {
        double q1 = quantile(s, 0.25);
        double q3 = quantile(s, 0.75);
        double spread = q3 - q1;
        yield new NumericStep.Clip(q1 - iqr.k() * spread, q3 + iqr.k() * spread);
      }
    };
  }

  private static NumericStep bin(double[] x, FeaturesSpec.Bin bin) {
    if (bin.bins() < 2 || x.length == 0) {
      return null;
    }
    double[] s = sorted(x);
    List<Double> edges = new ArrayList<>();
    for (int i = 1; i < bin.bins(); i++) {
      double e =
          bin.method().equals("uniform")
              ? s[0] + (s[s.length - 1] - s[0]) * i / bin.bins()
              : quantile(s, (double) i / bin.bins());
      // Equal edges (many equal values, or a constant column) merge: bins never come out empty
      // by construction, and edges stay strictly increasing.
      if (edges.isEmpty() || e > edges.get(edges.size() - 1)) {
        edges.add(e);
      }
    }
    return new NumericStep.Bin(edges);
  }

  private static NumericStep scale(double[] x, String method) {
    if (method.equals("none") || x.length == 0) {
      return null;
    }
    double center;
    double spread;
    switch (method) {
      case "standard" -> {
        center = mean(x);
        double ss = 0;
        for (double v : x) {
          ss += (v - center) * (v - center);
        }
        spread = Math.sqrt(ss / x.length);
      }
      case "min_max" -> {
        double[] s = sorted(x);
        center = s[0];
        spread = s[s.length - 1] - s[0];
      }
      default -> {
        double[] s = sorted(x);
        center = quantile(s, 0.5);
        spread = quantile(s, 0.75) - quantile(s, 0.25);
      }
    }
    // A constant has no spread: divide by 1, so it becomes 0 (or stays put) instead of NaN.
    if (!(spread > 0) || !Double.isFinite(spread)) {
      spread = 1.0;
    }
    if (!Double.isFinite(center)) {
      return null;
    }
    return new NumericStep.Scale(method, center, spread);
  }

  // ---- categories ----

  private static InputFeature.Categorical categorical(
      CategoricalColumn column,
      FeaturesSpec.Transform t,
      FeaturesSpec.Impute impute,
      FeaturesSpec.Transform own) {
    List<Map.Entry<String, Integer>> ranked = rankedCounts(column);
    String fill;
    if (impute.method().equals("constant")) {
      Object c = impute.constant();
      // A number written as a constant for a category means its text: 0 → "0", 1.5 → "1.5".
      fill =
          c instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15
              ? Long.toString(d.longValue())
              : String.valueOf(c);
    } else if (!impute.method().equals("most_frequent")) {
      throw new BadInputException(
          where(own)
              + ": '"
              + column.name()
              + "' is a category column, which has no "
              + impute.method()
              + "; impute it with most_frequent or {constant: VALUE}.");
    } else {
      fill = ranked.isEmpty() ? "" : ranked.get(0).getKey();
    }
    FeaturesSpec.Encode e = t.encode();
    boolean indicator = t.missingIndicator();
    return switch (e.method()) {
      case ONE_HOT -> {
        List<String> kept =
            ranked.stream().limit(e.maxCategories()).map(Map.Entry::getKey).sorted().toList();
        yield new InputFeature.Categorical(
            column.name(),
            fill,
            kept,
            indicator,
            InputFeature.Encoding.ONE_HOT,
            e.other(),
            List.of());
      }
      case ORDINAL -> {
        List<String> order =
            e.order().isEmpty()
                ? ranked.stream().map(Map.Entry::getKey).sorted().toList()
                : e.order();
        yield new InputFeature.Categorical(
            column.name(), fill, order, indicator, InputFeature.Encoding.ORDINAL, false, List.of());
      }
      case FREQUENCY -> {
        // Shares of the training rows after imputation: what the encoder will see.
        Map<String, Integer> counts = new HashMap<>();
        for (String v : column.values()) {
          counts.merge(v == null ? fill : v, 1, Integer::sum);
        }
        List<String> cats = counts.keySet().stream().sorted().toList();
        List<Double> shares = new ArrayList<>();
        for (String c : cats) {
          shares.add((double) counts.get(c) / column.size());
        }
        yield new InputFeature.Categorical(
            column.name(), fill, cats, indicator, InputFeature.Encoding.FREQUENCY, false, shares);
      }
    };
  }

  /** Categories by descending count; ties in text order, so fits are deterministic. */
  public static List<Map.Entry<String, Integer>> rankedCounts(CategoricalColumn column) {
    Map<String, Integer> counts = new HashMap<>();
    for (String v : column.values()) {
      if (v != null) {
        counts.merge(v, 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .sorted(
            Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .toList();
  }

  // ---- dates ----

  private static InputFeature.Date date(CategoricalColumn column, FeaturesSpec.Transform t) {
    List<DatePart> parts = t.dateParts();
    List<double[]> values = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      values.add(new double[column.size()]);
    }
    int parsed = 0;
    String example = null;
    for (int i = 0; i < column.size(); i++) {
      LocalDateTime d = DatePart.parse(column.get(i));
      if (d == null) {
        if (example == null && column.get(i) != null) {
          example = column.get(i);
        }
        continue;
      }
      for (int p = 0; p < parts.size(); p++) {
        values.get(p)[parsed] = parts.get(p).of(d);
      }
      parsed++;
    }
    if (parsed == 0) {
      throw new BadInputException(
          where(t)
              + ": date_parts of '"
              + column.name()
              + "' needs ISO-8601 dates such as 2026-11-26 or 2026-11-26T10:05:00Z, but no value"
              + " in the training split parses"
              + (example == null ? " (all are missing)" : ", e.g. '" + example + "'")
              + ". Fix the column, or remove date_parts.");
    }
    List<Double> fills = new ArrayList<>();
    for (double[] v : values) {
      fills.add(median(Arrays.copyOf(v, parsed)));
    }
    return new InputFeature.Date(column.name(), parts, fills, t.missingIndicator());
  }

  // ---- derived features ----

  private static void fitDerived(Frame train, FeaturesSpec spec, List<InputFeature> inputs) {
    if (spec.derive().isEmpty()) {
      return;
    }
    Map<String, ValueType> visible = new LinkedHashMap<>();
    for (InputFeature f : inputs) {
      visible.put(f.name(), f instanceof InputFeature.Numeric ? ValueType.NUMBER : ValueType.TEXT);
    }
    // Raw values of earlier derived features, by row, as the pipeline sees them.
    Map<String, double[]> computed = new HashMap<>();
    for (var e : spec.derive().entrySet()) {
      String name = e.getKey();
      FeaturesSpec.Derive d = e.getValue();
      Expression parsed = Expression.parse(d.expression());
      for (String col : parsed.columns()) {
        if (!visible.containsKey(col) && train.find(col).isPresent()) {
          throw new BadInputException(
              d.where()
                  + ": derived feature '"
                  + name
                  + "' reads '"
                  + col
                  + "', the target, which is unknown when the model serves. Derive features from"
                  + " input columns only.");
        }
        if (!visible.containsKey(col) && spec.derive().containsKey(col)) {
          throw new BadInputException(
              d.where()
                  + ": derived feature '"
                  + name
                  + "' reads '"
                  + col
                  + "', a derived feature listed after it. List '"
                  + col
                  + "' first under features.derive.");
        }
      }
      BoundExpression bound;
      try {
        bound = parsed.bind(visible);
      } catch (BadInputException ex) {
        throw new BadInputException(
            d.where() + ": derived feature '" + name + "': " + ex.getMessage(), ex);
      }
      if (bound.type() == ValueType.TEXT) {
        throw new BadInputException(
            d.where()
                + ": derived feature '"
                + name
                + "' gives text; a feature must give a number or true/false (e.g. country =="
                + " 'US').");
      }
      double[] values = new double[train.rowCount()];
      Map<String, Column> columns = new HashMap<>();
      train.columns().forEach(c -> columns.put(c.name(), c));
      for (int r = 0; r < values.length; r++) {
        int row = r;
        values[r] =
            bound.number(
                col -> {
                  double[] c = computed.get(col);
                  if (c != null) {
                    return Double.isNaN(c[row]) ? null : c[row];
                  }
                  Column raw = columns.get(col);
                  return raw == null ? null : raw.value(row);
                });
      }
      computed.put(name, values);
      FeaturesSpec.Transform t = spec.forColumn(name);
      FeaturesSpec.Transform own = spec.columns().get(name);
      if (own != null && (own.encode() != null || own.dateParts() != null)) {
        rejectFor(own, name, "a derived number", true, "encode or date_parts");
      }
      Fitted f = fitNumber(name, values, t, impute(t, spec.numericImpute()), own);
      inputs.add(
          new InputFeature.Derived(name, d.expression(), f.fill, t.missingIndicator(), f.steps));
      visible.put(name, ValueType.NUMBER);
    }
  }
}
