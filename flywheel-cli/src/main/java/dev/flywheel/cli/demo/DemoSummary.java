package dev.flywheel.cli.demo;

/**
 * {@code DIR/demo-summary.json}, with the fields and meanings of INTERFACES.md.
 *
 * @param initialVersion the production version when traffic started, read from the registry
 * @param finalVersion the production version at the end, read from the registry
 * @param driftDetected whether the server's monitoring reported drift
 * @param retrained whether the server's own trigger ran a retraining (its monitoring reports it)
 * @param promoted whether the registry's production version moved past the initial one
 * @param predictionsServed predictions answered during the demo
 * @param feedbackReceived labels the server accepted
 * @param accuracyBeforeDrift the first model on traffic before the drift
 * @param accuracyAfterDriftOldModel the first model on drifted traffic, before any promotion
 * @param accuracyAfterRetrain the promoted model on drifted traffic that arrived after its
 *     promotion and that it never trained on
 * @param retrainingRun the retraining run's id, or null
 * @param trigger what started the retraining, or null
 * @param seconds how long the demo took
 * @param url where the server listened
 */
public record DemoSummary(
    int initialVersion,
    int finalVersion,
    boolean driftDetected,
    boolean retrained,
    boolean promoted,
    long predictionsServed,
    long feedbackReceived,
    double accuracyBeforeDrift,
    double accuracyAfterDriftOldModel,
    Double accuracyAfterRetrain,
    String retrainingRun,
    String trigger,
    double seconds,
    String url) {}
