package dev.flywheel.core.features;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * One fitted feature of a {@link FeaturePipeline}: how a raw value becomes one or more model
 * inputs. Everything here was fitted on the training split alone.
 *
 * <p>Compatibility: {@code pipeline.json} is a list of these. Fields added after bundle format 1
 * are left out of the JSON when they hold their neutral value (no indicator, no steps, one-hot), so
 * a pipeline that uses none of them serialises byte for byte as format 1 did, and format-1 files
 * read back as such pipelines ({@code GoldenBundleTest}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = InputFeature.Numeric.class, name = "numeric"),
  @JsonSubTypes.Type(value = InputFeature.Categorical.class, name = "categorical"),
  @JsonSubTypes.Type(value = InputFeature.Date.class, name = "date"),
  @JsonSubTypes.Type(value = InputFeature.Derived.class, name = "derived")
})
public sealed interface InputFeature {

  /** The column it reads (the feature's own name for a derived feature). */
  String name();

  /** Whether a 0/1 "was missing" output follows its value outputs. */
  boolean indicator();

  /** The model inputs it produces, in vector order. */
  List<String> outputNames();

  /** How many model inputs this feature produces. */
  default int width() {
    return outputNames().size();
  }

  /** The name of the missing indicator output of column {@code name}. */
  static String indicatorName(String name) {
    return name + "=(missing)";
  }

  /**
   * A number, imputed when missing, then passed through its steps.
   *
   * @param name the column
   * @param fill the value used for a missing number (the training median, mean, mode or a constant)
   * @param indicator whether a {@code name=(missing)} output says the raw value was missing
   * @param steps clip, bin and scale steps, applied in order after imputation
   */
  record Numeric(
      String name,
      double fill,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean indicator,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<NumericStep> steps)
      implements InputFeature {
    public Numeric {
      steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** A number imputed with {@code fill} and passed through unchanged: bundle format 1. */
    public Numeric(String name, double fill) {
      this(name, fill, false, List.of());
    }

    @Override
    public List<String> outputNames() {
      return indicator ? List.of(name, indicatorName(name)) : List.of(name);
    }
  }

  /** How a category becomes numbers. */
  enum Encoding {
    /** One 0/1 output per kept category, and optionally one for every other category. */
    @JsonProperty("one_hot")
    ONE_HOT,
    /** One output: the category's position in the fitted order; -1 for any other category. */
    @JsonProperty("ordinal")
    ORDINAL,
    /** One output: the category's share of the training rows; 0 for any other category. */
    @JsonProperty("frequency")
    FREQUENCY;

    /** Jackson's filter that leaves out the default, one-hot (bundle format 1 had no field). */
    static final class OneHotFilter {
      @Override
      public boolean equals(Object other) {
        return other == null || other == ONE_HOT;
      }

      @Override
      public int hashCode() {
        return 0;
      }
    }
  }

  /**
   * A category, imputed when missing, then encoded.
   *
   * @param name the column
   * @param fill the category used for a missing value (the training mode, or a constant)
   * @param categories the fitted categories: for one-hot the kept ones in sorted order, for ordinal
   *     the fitted order, for frequency those with a share
   * @param indicator whether a {@code name=(missing)} output says the raw value was missing
   * @param encoding how a category becomes numbers; one-hot when absent
   * @param other one-hot only: whether a {@code name=(other)} output catches every category not in
   *     {@code categories} (capped, unseen or a constant fill); without it those encode as all
   *     zeros
   * @param shares frequency only: each category's share of the training rows, by position
   */
  record Categorical(
      String name,
      String fill,
      List<String> categories,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean indicator,
      @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Encoding.OneHotFilter.class)
          Encoding encoding,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean other,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Double> shares)
      implements InputFeature {
    public Categorical {
      categories = List.copyOf(categories);
      encoding = encoding == null ? Encoding.ONE_HOT : encoding;
      shares = shares == null ? List.of() : List.copyOf(shares);
      if (encoding == Encoding.FREQUENCY && shares.size() != categories.size()) {
        throw new IllegalArgumentException(
            "frequency encoding of '" + name + "' needs one share per category");
      }
      if (other && encoding != Encoding.ONE_HOT) {
        throw new IllegalArgumentException("an (other) output applies to one-hot encoding only");
      }
    }

    /** One-hot without an other bucket: bundle format 1. */
    public Categorical(String name, String fill, List<String> categories) {
      this(name, fill, categories, false, Encoding.ONE_HOT, false, List.of());
    }

    @Override
    public List<String> outputNames() {
      List<String> out = new ArrayList<>();
      if (encoding == Encoding.ONE_HOT) {
        for (String c : categories) {
          out.add(name + "=" + c);
        }
        if (other) {
          out.add(name + "=(other)");
        }
      } else {
        out.add(name);
      }
      if (indicator) {
        out.add(indicatorName(name));
      }
      return List.copyOf(out);
    }
  }

  /**
   * Parts of a date or timestamp given as ISO-8601 text ({@link DatePart#parse}); text that does
   * not parse counts as missing, and each part is then imputed with its own fill.
   *
   * @param name the column
   * @param parts the parts, one output {@code name.part} each
   * @param fills the value of each part for a missing date (the training median of that part)
   * @param indicator whether a {@code name=(missing)} output follows
   */
  record Date(
      String name,
      List<DatePart> parts,
      List<Double> fills,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean indicator)
      implements InputFeature {
    public Date {
      parts = List.copyOf(parts);
      fills = List.copyOf(fills);
      if (parts.isEmpty() || fills.size() != parts.size()) {
        throw new IllegalArgumentException("date '" + name + "' needs parts, one fill each");
      }
    }

    @Override
    public List<String> outputNames() {
      List<String> out = new ArrayList<>();
      for (DatePart p : parts) {
        out.add(name + "." + p.specName());
      }
      if (indicator) {
        out.add(indicatorName(name));
      }
      return List.copyOf(out);
    }
  }

  /**
   * A number computed from the row by an expression (package {@code dev.flywheel.core.expr}), then
   * treated like a {@link Numeric}: imputed when missing, then passed through its steps. It reads
   * the raw values of the pipeline's input columns and of derived features listed before it; it is
   * not part of the input signature.
   *
   * @param name the feature's name, distinct from every column
   * @param expression the expression's text
   * @param fill the value used when the expression gives missing
   * @param indicator whether a {@code name=(missing)} output follows
   * @param steps clip, bin and scale steps
   */
  record Derived(
      String name,
      String expression,
      double fill,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean indicator,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<NumericStep> steps)
      implements InputFeature {
    public Derived {
      steps = steps == null ? List.of() : List.copyOf(steps);
    }

    @Override
    public List<String> outputNames() {
      return indicator ? List.of(name, indicatorName(name)) : List.of(name);
    }
  }
}
