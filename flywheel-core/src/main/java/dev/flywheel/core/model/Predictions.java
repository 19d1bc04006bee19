package dev.flywheel.core.model;

import java.util.List;

/** A batch of model outputs: class probabilities, or regression values. */
public sealed interface Predictions {

  int size();

  /**
   * Class probabilities, one row per example, in the order of {@code classes}.
   *
   * @param classes the labels, as text, in the model's output order
   * @param probabilities {@code [rows][classes]}; each row sums to 1
   */
  record Probabilities(List<String> classes, double[][] probabilities) implements Predictions {
    public Probabilities {
      classes = List.copyOf(classes);
    }

    @Override
    public int size() {
      return probabilities.length;
    }

    /** The index of the most probable class of row {@code i}; ties go to the earlier class. */
    public int argmax(int i) {
      double[] p = probabilities[i];
      int best = 0;
      for (int k = 1; k < p.length; k++) {
        if (p[k] > p[best]) {
          best = k;
        }
      }
      return best;
    }

    public String label(int i) {
      return classes.get(argmax(i));
    }
  }

  /** Regression outputs. */
  record Values(double[] values) implements Predictions {
    @Override
    public int size() {
      return values.length;
    }
  }
}
