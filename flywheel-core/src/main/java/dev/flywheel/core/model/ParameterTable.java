package dev.flywheel.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Flywheel's own table of hyperparameters, per algorithm. Specs are validated against it, and
 * trainers read their settings from it, so a misspelt name or an out-of-range value is an error
 * before any training starts. The table is documented in {@code docs/spec.md}.
 */
public final class ParameterTable {

  private static final double INF = Double.MAX_VALUE;

  /**
   * Shared by every trainable classifier: 0 weighs every row alike, 1 ({@code balanced}) weighs
   * each row by {@code n / (k · n_class)} as scikit-learn does, and values between raise those
   * weights to that power. Regression specs may not set it.
   */
  public static final String CLASS_WEIGHT_NAME = "class_weight";

  private static final ParamSpec CLASS_WEIGHT =
      ParamSpec.real(
              CLASS_WEIGHT_NAME,
              0,
              false,
              1,
              0,
              "classification: weigh rows by n / (k · n_class) raised to this power"
                  + " (0: none, 1: balanced)")
          .withNames(orderedNames());

  private static Map<String, Number> orderedNames() {
    Map<String, Number> names = new LinkedHashMap<>();
    names.put("none", 0.0);
    names.put("balanced", 1.0);
    return names;
  }

  private static final Map<Algorithm, List<ParamSpec>> TABLE = build();

  private ParameterTable() {}

  private static Map<Algorithm, List<ParamSpec>> build() {
    Map<Algorithm, List<ParamSpec>> table = new LinkedHashMap<>();
    for (Algorithm algorithm : Algorithm.values()) {
      table.put(
          algorithm,
          switch (algorithm) {
            case BASELINE, ONNX -> List.of();
            case LINEAR ->
                List.of(
                    ParamSpec.integer("epochs", 1, 1000, 10, "passes over the training data"),
                    ParamSpec.real(
                        "learning_rate", 0, true, 10, 0.1, "AdaGrad's initial learning rate"),
                    ParamSpec.real("l1", 0, false, INF, 0, "L1 penalty (AdaGrad RDA)"),
                    ParamSpec.real("l2", 0, false, INF, 0, "L2 penalty (AdaGrad RDA)"),
                    ParamSpec.integer("minibatch", 1, 4096, 1, "examples per gradient step"),
                    CLASS_WEIGHT);
            case XGBOOST ->
                List.of(
                    ParamSpec.integer("rounds", 1, 5000, 100, "boosting rounds (trees)"),
                    ParamSpec.integer("max_depth", 0, 32, 6, "maximum tree depth (0: no limit)"),
                    ParamSpec.real("eta", 0, true, 1, 0.3, "learning rate (shrinkage)"),
                    ParamSpec.real(
                        "min_child_weight", 0, false, INF, 1, "minimum hessian sum in a leaf"),
                    ParamSpec.real("subsample", 0, true, 1, 1, "share of rows sampled per tree"),
                    ParamSpec.real(
                        "colsample_bytree", 0, true, 1, 1, "share of columns sampled per tree"),
                    ParamSpec.real("lambda", 0, false, INF, 1, "L2 penalty on leaf weights"),
                    ParamSpec.real("alpha", 0, false, INF, 0, "L1 penalty on leaf weights"),
                    ParamSpec.real("gamma", 0, false, INF, 0, "minimum loss reduction to split"),
                    ParamSpec.integer(
                        "early_stopping_rounds",
                        0,
                        1000,
                        0,
                        "stop when the validation loss has not improved for this many rounds,"
                            + " and keep the best round (0: off)"),
                    CLASS_WEIGHT);
            case RANDOM_FOREST ->
                List.of(
                    ParamSpec.integer("trees", 1, 5000, 100, "trees in the forest"),
                    ParamSpec.integer("max_depth", 1, 32, 8, "maximum tree depth"),
                    ParamSpec.real(
                        "min_child_weight", 0, false, INF, 1, "minimum hessian sum in a leaf"),
                    ParamSpec.real(
                        "subsample", 0, true, 1, 0.8, "share of rows sampled per tree (< 1)"),
                    ParamSpec.real(
                        "colsample_bynode",
                        0,
                        true,
                        1,
                        0.8,
                        "share of columns sampled per split (< 1)"),
                    ParamSpec.real("lambda", 0, false, INF, 1, "L2 penalty on leaf weights"),
                    CLASS_WEIGHT);
          });
    }
    return Map.copyOf(table);
  }

  /** The parameters of one algorithm, in documentation order. */
  public static List<ParamSpec> of(Algorithm algorithm) {
    return TABLE.get(algorithm);
  }

  public static Optional<ParamSpec> find(Algorithm algorithm, String name) {
    return of(algorithm).stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The valid parameter names of an algorithm, comma-separated, for error messages. */
  public static String names(Algorithm algorithm) {
    List<ParamSpec> params = of(algorithm);
    return params.isEmpty()
        ? "(none: " + algorithm.specName() + " takes no parameters)"
        : params.stream().map(ParamSpec::name).collect(Collectors.joining(", "));
  }

  /**
   * Fills in defaults for every parameter the given values leave out. The values must already be
   * valid.
   */
  public static Map<String, Number> withDefaults(Algorithm algorithm, Map<String, Number> given) {
    Map<String, Number> all = new LinkedHashMap<>();
    for (ParamSpec p : of(algorithm)) {
      all.put(p.name(), given.getOrDefault(p.name(), p.defaultValue()));
    }
    return all;
  }

  /** The parameters whose value differs from the table's default, for compact display. */
  public static Map<String, Number> nonDefault(Algorithm algorithm, Map<String, Number> params) {
    Map<String, Number> out = new LinkedHashMap<>();
    params.forEach(
        (name, value) -> {
          Number def = find(algorithm, name).map(ParamSpec::defaultValue).orElse(null);
          if (def == null || def.doubleValue() != value.doubleValue()) {
            out.put(name, value);
          }
        });
    return out;
  }

  /** Checks a full parameter map and returns every problem found. */
  public static List<String> problems(Algorithm algorithm, Map<String, ?> params) {
    List<String> problems = new ArrayList<>();
    params.forEach(
        (name, value) ->
            find(algorithm, name)
                .ifPresentOrElse(
                    p -> p.check(value).problem().ifPresent(problems::add),
                    () ->
                        problems.add(
                            "unknown parameter '"
                                + name
                                + "' for "
                                + algorithm.specName()
                                + "; valid names: "
                                + names(algorithm))));
    return problems;
  }
}
