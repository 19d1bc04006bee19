package dev.flywheel.core.serving;

import java.time.Instant;

/**
 * One logged prediction: what was asked, what was answered, and by which model version. The id is
 * what callers send back with feedback, and it leads to the version, the run and the data
 * (lineage).
 *
 * @param id the prediction id (a ULID)
 * @param time when the prediction was made
 * @param model the model's name
 * @param version the model version that answered
 * @param inputs the instance as received, as a JSON object
 * @param output the prediction as answered, as a JSON object
 */
public record PredictionRecord(
    String id, Instant time, String model, int version, String inputs, String output) {}
