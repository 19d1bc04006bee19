package dev.flywheel.core.serving;

import java.time.Instant;

/**
 * A logged prediction joined with the ground-truth label fed back for it: what live performance is
 * computed from, and what a retraining run adds to its data.
 *
 * @param prediction the prediction as it was logged
 * @param label the first label received for it (the text form; a number's text for regression)
 * @param receivedAt when that label was received
 */
public record LabelledPrediction(PredictionRecord prediction, String label, Instant receivedAt) {}
