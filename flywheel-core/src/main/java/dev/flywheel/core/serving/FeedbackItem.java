package dev.flywheel.core.serving;

/**
 * A ground-truth label for one earlier prediction.
 *
 * @param predictionId the id the prediction response carried
 * @param label the true label (its text form; a number's text for regression)
 */
public record FeedbackItem(String predictionId, String label) {}
