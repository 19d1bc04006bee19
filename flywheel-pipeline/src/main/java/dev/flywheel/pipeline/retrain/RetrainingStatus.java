package dev.flywheel.pipeline.retrain;

/**
 * A model's retraining state, as the monitoring endpoint shows it ({@code "retraining":
 * {"in_progress": false, "last": {"run_id": "r-000043", "trigger": "drift", "promoted": true}}}).
 *
 * @param inProgress whether a retrain of this model is running in this controller now
 * @param last the newest finished retraining run of the model, or null when there is none
 */
public record RetrainingStatus(boolean inProgress, Last last) {

  /**
   * A finished retraining run.
   *
   * @param runId the run, such as {@code r-000043}; null when the retrain failed before a run was
   *     recorded (no production version, say)
   * @param trigger what asked for it
   * @param promoted whether its challenger went to production
   */
  public record Last(String runId, String trigger, boolean promoted) {}
}
