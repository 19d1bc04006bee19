package dev.flywheel.core.spec;

import dev.flywheel.core.model.Algorithm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One candidate model family with a grid of hyperparameters. A parameter given as a list is
 * searched; every combination is trained and scored on validation.
 *
 * @param name the candidate's name on the leaderboard
 * @param algorithm the algorithm
 * @param grid for each parameter, the values to try (already checked against the parameter table)
 * @param onnx for {@code algorithm: onnx}, the imported file and its mapping; null otherwise
 */
public record CandidateSpec(
    String name, Algorithm algorithm, Map<String, List<Number>> grid, OnnxSpec onnx) {

  /** A candidate that trains: every algorithm but {@code onnx}. */
  public CandidateSpec(String name, Algorithm algorithm, Map<String, List<Number>> grid) {
    this(name, algorithm, grid, null);
  }

  public CandidateSpec {
    if ((algorithm == Algorithm.ONNX) != (onnx != null)) {
      throw new IllegalArgumentException(
          "candidate " + name + ": an onnx candidate needs its OnnxSpec, and only it has one");
    }
    Map<String, List<Number>> copy = new LinkedHashMap<>();
    grid.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    grid = java.util.Collections.unmodifiableMap(copy);
  }

  /** Every combination of the grid, in a stable order. */
  public List<Map<String, Number>> combinations() {
    List<Map<String, Number>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (var entry : grid.entrySet()) {
      List<Map<String, Number>> next = new ArrayList<>();
      for (Map<String, Number> partial : out) {
        for (Number value : entry.getValue()) {
          Map<String, Number> combo = new LinkedHashMap<>(partial);
          combo.put(entry.getKey(), value);
          next.add(combo);
        }
      }
      out = next;
    }
    return out.stream().map(java.util.Collections::unmodifiableMap).toList();
  }
}
