package dev.flywheel.core.metrics;

import dev.flywheel.core.model.Task;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The evaluation metrics Flywheel computes, under the names in INTERFACES.md. Definitions are in
 * {@code docs/metrics.md}. Each metric knows whether higher is better, so selection and gates can
 * compare any two scores without special cases.
 */
public enum Metric {
  ACCURACY("accuracy", Task.CLASSIFICATION, true),
  BALANCED_ACCURACY("balanced_accuracy", Task.CLASSIFICATION, true),
  PRECISION("precision", Task.CLASSIFICATION, true),
  RECALL("recall", Task.CLASSIFICATION, true),
  F1("f1", Task.CLASSIFICATION, true),
  AUC("auc", Task.CLASSIFICATION, true),
  PR_AUC("pr_auc", Task.CLASSIFICATION, true),
  LOG_LOSS("log_loss", Task.CLASSIFICATION, false),
  BRIER("brier", Task.CLASSIFICATION, false),
  RMSE("rmse", Task.REGRESSION, false),
  MAE("mae", Task.REGRESSION, false),
  R2("r2", Task.REGRESSION, true),
  MAPE("mape", Task.REGRESSION, false),
  MEDIAN_AE("median_ae", Task.REGRESSION, false);

  private final String specName;
  private final Task task;
  private final boolean higherIsBetter;

  Metric(String specName, Task task, boolean higherIsBetter) {
    this.specName = specName;
    this.task = task;
    this.higherIsBetter = higherIsBetter;
  }

  public String specName() {
    return specName;
  }

  public Task task() {
    return task;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /**
   * The improvement of {@code a} over {@code b}: positive when {@code a} is better, whatever the
   * metric's direction.
   */
  public double improvement(double a, double b) {
    return higherIsBetter ? a - b : b - a;
  }

  public static Optional<Metric> fromSpecName(String name) {
    return Arrays.stream(values()).filter(m -> m.specName.equals(name)).findFirst();
  }

  /** The metric names valid for a task, separated by {@code |}, for error messages. */
  public static String specNames(Task task) {
    return Arrays.stream(values())
        .filter(m -> m.task == task)
        .map(Metric::specName)
        .collect(Collectors.joining("|"));
  }

  /** The default selection metric: AUC for binary, accuracy for multi-class, RMSE otherwise. */
  public static Metric defaultFor(Task task, int classes) {
    return switch (task) {
      case REGRESSION -> RMSE;
      case CLASSIFICATION -> classes <= 2 ? AUC : ACCURACY;
    };
  }
}
