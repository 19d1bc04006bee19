package dev.flywheel.pipeline.monitor;

/**
 * The retraining part of a {@link MonitoringReport}: whether a retraining run is going on for the
 * model, and how the last one ended. The monitor does not know about retraining; whoever owns the
 * retraining controller supplies this, and {@link #NONE} stands in when nobody does.
 *
 * @param inProgress whether a retraining run for the model is running now
 * @param last the last finished retraining run, or null when there was none
 */
public record RetrainingStatus(boolean inProgress, Last last) {

  /** No retraining running and none so far: {@code {"in_progress": false, "last": null}}. */
  public static final RetrainingStatus NONE = new RetrainingStatus(false, null);

  /**
   * A finished retraining run.
   *
   * @param runId its run, such as {@code r-000043}
   * @param trigger what started it: {@code drift}, {@code performance}, or another name the
   *     controller uses (such as {@code manual})
   * @param promoted whether its model became the production version
   */
  public record Last(String runId, String trigger, boolean promoted) {}
}
