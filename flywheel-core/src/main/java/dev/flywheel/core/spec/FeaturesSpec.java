package dev.flywheel.core.spec;

import dev.flywheel.core.features.DatePart;
import dev.flywheel.core.features.InputFeature;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feature pipeline to fit on the training split ({@code features:} in the spec, docs/spec.md).
 * Defaults apply to every column of their type; {@code columns} overrides them per column (a null
 * field there inherits the default); {@code derive} adds features computed by expressions.
 *
 * @param numericImpute how missing numbers are filled by default
 * @param categoricalImpute how missing categories are filled by default
 * @param defaults the other defaults: indicator, clip, bin and scale apply to numbers (derived ones
 *     included), encode to categories; its impute and date parts are unused
 * @param columns per-column settings by column (or derived feature) name, in spec order
 * @param derive derived features by name, in spec order; each may read input columns and derived
 *     features listed before it
 * @param select feature selection after fitting ({@code features.select}), or null for none
 */
public record FeaturesSpec(
    Impute numericImpute,
    Impute categoricalImpute,
    Transform defaults,
    Map<String, Transform> columns,
    Map<String, Derive> derive,
    Select select) {

  public FeaturesSpec {
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    derive = Collections.unmodifiableMap(new LinkedHashMap<>(derive));
  }

  /** Features without selection. */
  public FeaturesSpec(
      Impute numericImpute,
      Impute categoricalImpute,
      Transform defaults,
      Map<String, Transform> columns,
      Map<String, Derive> derive) {
    this(numericImpute, categoricalImpute, defaults, columns, derive, null);
  }

  /**
   * Feature selection ({@code features.select}): which fitted features the candidates train on.
   * Scored on the training split only. Exactly one of {@code keep} and {@code threshold} is set,
   * except for {@code correlation}, which always uses a threshold.
   *
   * @param method {@code variance}, {@code correlation}, {@code mutual_info} or {@code importance}
   * @param keep how many features to keep, best first; more than one value is searched, each value
   *     training every candidate setting once; empty when {@code threshold} is set
   * @param threshold variance: keep features whose training variance is above it; correlation: drop
   *     the later of each pair whose |r| is above it; mutual_info and importance: keep features
   *     whose score is above it; null when {@code keep} is set
   */
  public record Select(String method, List<Integer> keep, Double threshold) {
    public static final List<String> METHODS =
        List.of("variance", "correlation", "mutual_info", "importance");

    public Select {
      keep = List.copyOf(keep);
    }
  }

  /**
   * The defaults of INTERFACES.md: median and mode imputation, one-hot encoding capped at 100
   * categories, nothing else.
   */
  public static final FeaturesSpec DEFAULT =
      new FeaturesSpec(
          Impute.of("median"),
          Impute.of("most_frequent"),
          Transform.DEFAULTS,
          Map.of(),
          Map.of(),
          null);

  /** The format-1 shape: impute methods and an encoding, nothing else. */
  public FeaturesSpec(String numericImpute, String categoricalImpute, String encode) {
    this(
        Impute.of(numericImpute),
        Impute.of(categoricalImpute),
        Transform.DEFAULTS.withEncode(Encode.of(encode)),
        Map.of(),
        Map.of());
  }

  /** The settings of one column: its override, falling back field by field to the defaults. */
  public Transform forColumn(String name) {
    Transform t = columns.get(name);
    return t == null ? defaults : t.over(defaults);
  }

  /**
   * How missing values are filled.
   *
   * @param method {@code median}, {@code mean}, {@code most_frequent} or {@code constant}
   * @param constant the fill for {@code constant}: a {@code Double} or a {@code String}; else null
   */
  public record Impute(String method, Object constant) {
    public static Impute of(String method) {
      return new Impute(method, null);
    }

    public static Impute constant(Object value) {
      return new Impute("constant", value);
    }

    /** As the spec would write it. */
    public String describe() {
      return constant == null ? method : "{constant: " + constant + "}";
    }
  }

  /** Clipping bounds, fitted on the training values. */
  public sealed interface Clip {
    /** Clip to the {@code low} and {@code high} quantiles, 0 ≤ low < high ≤ 1. */
    record Quantiles(double low, double high) implements Clip {}

    /** Clip to [Q1 − k·IQR, Q3 + k·IQR]. */
    record Iqr(double k) implements Clip {}

    /** No clipping: overrides a default clip for one column. */
    record None() implements Clip {}
  }

  /**
   * Binning into {@code bins} bins, the value replaced by its bin's index.
   *
   * @param bins at least 2; 0 means no binning (overrides a default for one column)
   * @param method {@code quantile} (equal counts) or {@code uniform} (equal widths)
   */
  public record Bin(int bins, String method) {
    public static final Bin NONE = new Bin(0, "quantile");
  }

  /**
   * How categories become numbers.
   *
   * @param method the encoding
   * @param maxCategories one-hot: how many of the most frequent categories get an output
   * @param other one-hot: whether an {@code (other)} output catches the rest and unseen ones
   * @param order ordinal: the categories in order; empty for text order of the training values
   */
  public record Encode(
      InputFeature.Encoding method, int maxCategories, boolean other, List<String> order) {
    public static final int DEFAULT_MAX_CATEGORIES = 100;

    public Encode {
      order = List.copyOf(order);
    }

    public static Encode of(String method) {
      return new Encode(
          switch (method) {
            case "ordinal" -> InputFeature.Encoding.ORDINAL;
            case "frequency" -> InputFeature.Encoding.FREQUENCY;
            default -> InputFeature.Encoding.ONE_HOT;
          },
          DEFAULT_MAX_CATEGORIES,
          false,
          List.of());
    }
  }

  /**
   * The settings of one column. In {@link #columns} a null field inherits the default; in {@link
   * #defaults} and after {@link #forColumn} every field but {@code impute} and {@code dateParts} is
   * set.
   *
   * @param impute how missing values are filled, or null for the type's default
   * @param missingIndicator whether a {@code name=(missing)} output is added
   * @param clip clipping bounds
   * @param scale {@code none}, {@code standard}, {@code min_max} or {@code robust}
   * @param bin binning
   * @param encode category encoding
   * @param dateParts date parts to take from ISO-8601 text, or null: the column is then read as it
   *     is
   * @param where the spec file and line, for errors found when fitting; null for defaults
   */
  public record Transform(
      Impute impute,
      Boolean missingIndicator,
      Clip clip,
      String scale,
      Bin bin,
      Encode encode,
      List<DatePart> dateParts,
      String where) {

    public Transform {
      dateParts = dateParts == null ? null : List.copyOf(dateParts);
    }

    public static final Transform DEFAULTS =
        new Transform(
            null, false, new Clip.None(), "none", Bin.NONE, Encode.of("one_hot"), null, null);

    Transform withEncode(Encode e) {
      return new Transform(impute, missingIndicator, clip, scale, bin, e, dateParts, where);
    }

    /** This override with each unset field taken from {@code d}. */
    Transform over(Transform d) {
      return new Transform(
          impute != null ? impute : d.impute,
          missingIndicator != null ? missingIndicator : d.missingIndicator,
          clip != null ? clip : d.clip,
          scale != null ? scale : d.scale,
          bin != null ? bin : d.bin,
          encode != null ? encode : d.encode,
          dateParts,
          where);
    }
  }

  /**
   * A derived feature.
   *
   * @param expression the expression's text, already checked for syntax
   * @param where the spec file and line, for errors found when fitting
   */
  public record Derive(String expression, String where) {}
}
