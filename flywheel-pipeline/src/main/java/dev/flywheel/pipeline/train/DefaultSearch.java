package dev.flywheel.pipeline.train;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.spec.CandidateSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The candidates trained when a spec names none: the baseline, a linear model, and boosted trees
 * over a small grid of depth and rounds at a moderate learning rate.
 */
public final class DefaultSearch {

  private DefaultSearch() {}

  /** A grid in the order given: Map.of would order it differently in every JVM. */
  private static Map<String, List<Number>> grid(Object... keyValues) {
    Map<String, List<Number>> out = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<Number> values = (List<Number>) keyValues[i + 1];
      out.put((String) keyValues[i], values);
    }
    return out;
  }

  public static List<CandidateSpec> candidates() {
    return List.of(
        new CandidateSpec("baseline", Algorithm.BASELINE, Map.of()),
        new CandidateSpec("linear", Algorithm.LINEAR, Map.of()),
        new CandidateSpec(
            "gbt",
            Algorithm.XGBOOST,
            grid(
                "rounds", List.of(3000),
                "early_stopping_rounds", List.of(50),
                "eta", List.of(0.03),
                "max_depth", List.of(4, 6, 8),
                "min_child_weight", List.of(3),
                "subsample", List.of(0.8),
                "colsample_bytree", List.of(0.5),
                "lambda", List.of(5))));
  }
}
