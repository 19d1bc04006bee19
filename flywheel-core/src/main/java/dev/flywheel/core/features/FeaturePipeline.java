package dev.flywheel.core.features;

import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted feature pipeline: raw input values in, a numeric vector out. It is part of every bundle,
 * and the server applies this exact code to each request, so training and serving cannot disagree.
 * The batch path and the per-row path share {@link #encode}: a test holds them equal.
 *
 * <p>Fit one with the data module's {@code FeaturePipelineFitter}, on the training split only.
 */
public final class FeaturePipeline {

  private final List<InputFeature> inputs;
  private final List<String> outputNames;
  private final List<Map<String, Integer>> categoryIndex;

  public FeaturePipeline(List<InputFeature> inputs) {
    this.inputs = List.copyOf(inputs);
    List<String> names = new ArrayList<>();
    List<Map<String, Integer>> index = new ArrayList<>();
    for (InputFeature f : inputs) {
      switch (f) {
        case InputFeature.Numeric n -> {
          names.add(n.name());
          index.add(Map.of());
        }
        case InputFeature.Categorical c -> {
          Map<String, Integer> m = new HashMap<>();
          for (int i = 0; i < c.categories().size(); i++) {
            names.add(c.name() + "=" + c.categories().get(i));
            m.put(c.categories().get(i), i);
          }
          index.add(Collections.unmodifiableMap(m));
        }
      }
    }
    this.outputNames = List.copyOf(names);
    this.categoryIndex = List.copyOf(index);
  }

  public List<InputFeature> inputs() {
    return inputs;
  }

  /** The model inputs, such as {@code age} or {@code plan=basic}, in vector order. */
  public List<String> outputNames() {
    return outputNames;
  }

  public int width() {
    return outputNames.size();
  }

  /**
   * Transforms one row. Values are {@code Number} for numeric features and text for categorical
   * ones; null is missing. Callers validate presence and types first (the server does, with JSON
   * pointers); here a missing key is treated as a missing value.
   */
  public double[] transform(Map<String, ?> row) {
    double[] out = new double[width()];
    int offset = 0;
    for (int f = 0; f < inputs.size(); f++) {
      offset = encode(f, row.get(inputs.get(f).name()), out, offset);
    }
    return out;
  }

  /** Transforms every row of a frame, which must hold every input column. */
  public double[][] transform(Frame frame) {
    List<Column> columns = new ArrayList<>(inputs.size());
    for (InputFeature f : inputs) {
      columns.add(frame.column(f.name()));
    }
    double[][] out = new double[frame.rowCount()][];
    for (int r = 0; r < out.length; r++) {
      double[] vector = new double[width()];
      int offset = 0;
      for (int f = 0; f < inputs.size(); f++) {
        offset = encode(f, columns.get(f).value(r), vector, offset);
      }
      out[r] = vector;
    }
    return out;
  }

  /** Writes feature {@code f}'s outputs for {@code value} at {@code offset}; returns the next. */
  private int encode(int f, Object value, double[] out, int offset) {
    return switch (inputs.get(f)) {
      case InputFeature.Numeric n -> {
        double v = value instanceof Number num ? num.doubleValue() : Double.NaN;
        out[offset] = Double.isNaN(v) ? n.fill() : v;
        yield offset + 1;
      }
      case InputFeature.Categorical c -> {
        String s = value == null ? c.fill() : value.toString();
        Integer i = categoryIndex.get(f).get(s);
        if (i != null) {
          out[offset + i] = 1.0;
        }
        yield offset + c.width();
      }
    };
  }
}
