package dev.flywheel.core.spec;

import dev.flywheel.core.model.Algorithm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One candidate model family and the hyperparameters to search for it. Each parameter has a domain:
 * a list of values, or (random search only) a numeric range. Grid search trains every combination
 * of the lists; random search draws {@code trials} settings from a seeded generator. Either way
 * {@link #trials()} is a pure function of the spec, so the same spec gives the same settings in the
 * same order.
 *
 * @param name the candidate's name on the leaderboard
 * @param algorithm the algorithm
 * @param params for each parameter, its domain (already checked against the parameter table)
 * @param search how to search the domains and how to score each setting
 * @param onnx for {@code algorithm: onnx}, the imported file and its mapping; null otherwise
 */
public record CandidateSpec(
    String name, Algorithm algorithm, Map<String, Domain> params, Search search, OnnxSpec onnx) {

  public CandidateSpec {
    if ((algorithm == Algorithm.ONNX) != (onnx != null)) {
      throw new IllegalArgumentException(
          "candidate " + name + ": an onnx candidate needs its OnnxSpec, and only it has one");
    }
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /**
   * A candidate that trains (every algorithm but {@code onnx}), searched as {@code search} says.
   */
  public CandidateSpec(
      String name, Algorithm algorithm, Map<String, Domain> params, Search search) {
    this(name, algorithm, params, search, null);
  }

  /** An imported ONNX candidate: nothing to search, the file and its mapping. */
  public CandidateSpec(
      String name, Algorithm algorithm, Map<String, List<Number>> grid, OnnxSpec onnx) {
    this(name, algorithm, asDomains(grid), Search.DEFAULT, onnx);
  }

  /** A grid-searched candidate: each parameter's list of values, scored on validation. */
  public CandidateSpec(String name, Algorithm algorithm, Map<String, List<Number>> grid) {
    this(name, algorithm, asDomains(grid), Search.DEFAULT);
  }

  private static Map<String, Domain> asDomains(Map<String, List<Number>> grid) {
    Map<String, Domain> out = new LinkedHashMap<>();
    grid.forEach((k, v) -> out.put(k, new Domain.Values(v)));
    return out;
  }

  /** The values a parameter may take during the search. */
  public sealed interface Domain {

    /** A fixed list of values (one value: the parameter is fixed). */
    record Values(List<Number> values) implements Domain {
      public Values {
        values = List.copyOf(values);
        if (values.isEmpty()) {
          throw new IllegalArgumentException("a parameter needs at least one value");
        }
      }
    }

    /**
     * A numeric interval, sampled uniformly (or log-uniformly) by random search.
     *
     * @param min the lower bound, inclusive
     * @param max the upper bound, inclusive
     * @param log whether to sample the logarithm uniformly (for rates and penalties)
     * @param integer whether to round the draw to a whole number
     */
    record Range(double min, double max, boolean log, boolean integer) implements Domain {
      public Range {
        if (!(min <= max) || (log && min <= 0)) {
          throw new IllegalArgumentException(
              "a range needs min ≤ max (and min > 0 when log), was [" + min + ", " + max + "]");
        }
      }

      Number draw(SplittableRandom random) {
        double u = random.nextDouble();
        double v =
            log
                ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)))
                : min + u * (max - min);
        v = Math.min(max, Math.max(min, v));
        return integer ? (Number) Long.valueOf(Math.round(v)) : Double.valueOf(v);
      }
    }
  }

  /**
   * How a candidate's settings are chosen and scored.
   *
   * @param method grid (every combination of the lists) or random ({@code trials} draws)
   * @param trials how many settings random search draws; ignored by grid search
   * @param seed the random search's seed
   * @param folds 0 to score each setting on the validation split; k ≥ 2 to score it by k-fold
   *     cross-validation on the training split (mean and standard deviation over the folds)
   */
  public record Search(Method method, int trials, long seed, int folds) {

    /** Grid search scored on the validation split. */
    public static final Search DEFAULT = new Search(Method.GRID, 10, 42, 0);

    public Search {
      if (trials < 1 || folds < 0 || folds == 1) {
        throw new IllegalArgumentException(
            "trials must be ≥ 1 and folds 0 or ≥ 2, were " + trials + " and " + folds);
      }
    }

    /** The search methods. */
    public enum Method {
      GRID,
      RANDOM
    }
  }

  /**
   * The settings to train, in a stable order: every combination of the value lists for grid search;
   * for random search, {@code trials} draws from a generator seeded with {@code search.seed}, each
   * parameter drawn in declaration order, repeats dropped.
   */
  public List<Map<String, Number>> trials() {
    if (search.method() == Search.Method.GRID) {
      return combinations();
    }
    SplittableRandom random = new SplittableRandom(search.seed());
    Set<Map<String, Number>> out = new LinkedHashSet<>();
    for (int t = 0; t < search.trials(); t++) {
      Map<String, Number> setting = new LinkedHashMap<>();
      params.forEach(
          (k, domain) ->
              setting.put(
                  k,
                  switch (domain) {
                    case Domain.Values v -> v.values().get(random.nextInt(v.values().size()));
                    case Domain.Range r -> r.draw(random);
                  }));
      out.add(Collections.unmodifiableMap(setting));
    }
    return List.copyOf(out);
  }

  /**
   * Every combination of the value lists, in a stable order.
   *
   * @throws IllegalStateException if a parameter is a range, which only random search can draw
   */
  public List<Map<String, Number>> combinations() {
    List<Map<String, Number>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (var entry : params.entrySet()) {
      if (!(entry.getValue() instanceof Domain.Values values)) {
        throw new IllegalStateException(
            "parameter '" + entry.getKey() + "' is a range; only random search draws from ranges");
      }
      List<Map<String, Number>> next = new ArrayList<>();
      for (Map<String, Number> partial : out) {
        for (Number value : values.values()) {
          Map<String, Number> combo = new LinkedHashMap<>(partial);
          combo.put(entry.getKey(), value);
          next.add(combo);
        }
      }
      out = next;
    }
    return out.stream().map(Collections::unmodifiableMap).toList();
  }
}
