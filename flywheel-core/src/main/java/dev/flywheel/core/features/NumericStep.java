package dev.flywheel.core.features;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One fitted step applied to a number after imputation, in order: clip, then bin, then scale (the
 * fitter emits them in that order). Each was fitted on the training split's values as they reached
 * it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = NumericStep.Clip.class, name = "clip"),
  @JsonSubTypes.Type(value = NumericStep.Bin.class, name = "bin"),
  @JsonSubTypes.Type(value = NumericStep.Scale.class, name = "scale")
})
public sealed interface NumericStep {

  double apply(double x);

  /**
   * Limits a value to {@code [low, high]}: quantile or IQR bounds of the training values.
   *
   * @param low the lower bound
   * @param high the upper bound, at least {@code low}
   */
  record Clip(double low, double high) implements NumericStep {
    public Clip {
      if (!(low <= high)) {
        throw new IllegalArgumentException("clip bounds [" + low + ", " + high + "] are reversed");
      }
    }

    @Override
    public double apply(double x) {
      return Math.min(Math.max(x, low), high);
    }
  }

  /**
   * Replaces a value by its bin's index, 0 to {@code edges.size()}: the number of edges at or below
   * it. So the bins are {@code (-inf, e0)}, {@code [e0, e1)}, …, {@code [e_last, +inf)}; values
   * beyond the training range fall in the outer bins.
   *
   * @param edges the inner bin edges, strictly increasing
   */
  record Bin(List<Double> edges) implements NumericStep {
    public Bin {
      edges = List.copyOf(edges);
      for (int i = 1; i < edges.size(); i++) {
        if (!(edges.get(i - 1) < edges.get(i))) {
          throw new IllegalArgumentException("bin edges must increase strictly: " + edges);
        }
      }
    }

    @Override
    public double apply(double x) {
      // Edges are few (bins ≤ 1000): a linear scan is simple and exact for NaN-free input.
      int i = 0;
      while (i < edges.size() && edges.get(i) <= x) {
        i++;
      }
      return i;
    }
  }

  /**
   * {@code (x - center) / scale}: standard (mean, standard deviation), min-max (minimum, range) or
   * robust (median, IQR) scaling. A zero spread is stored as scale 1, so constants stay finite.
   *
   * @param method {@code standard}, {@code min_max} or {@code robust}, for the record
   * @param center subtracted first
   * @param scale divided by next; positive
   */
  record Scale(String method, double center, double scale) implements NumericStep {
    public Scale {
      if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(center)) {
        throw new IllegalArgumentException(
            "scale needs a finite center and a positive scale, found " + center + ", " + scale);
      }
    }

    @Override
    public double apply(double x) {
      return (x - center) / scale;
    }
  }
}
