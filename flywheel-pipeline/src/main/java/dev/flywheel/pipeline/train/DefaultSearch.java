package dev.flywheel.pipeline.train;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.spec.CandidateSpec;
import java.util.List;
import java.util.Map;

/**
 * The candidates trained when a spec names none: the baseline, a linear model, and boosted trees
 * over a small grid of depth and rounds at a moderate learning rate.
 */
public final class DefaultSearch {

  private DefaultSearch() {}

  public static List<CandidateSpec> candidates() {
    return List.of(
        new CandidateSpec("baseline", Algorithm.BASELINE, Map.of()),
        new CandidateSpec("linear", Algorithm.LINEAR, Map.of()),
        new CandidateSpec(
            "gbt",
            Algorithm.XGBOOST,
            Map.of(
                "rounds", List.of(100, 300),
                "max_depth", List.of(4, 6),
                "eta", List.of(0.1))));
  }
}
