package dev.flywheel.core.store;

import java.time.Instant;

/**
 * One training run as the metadata store holds it.
 *
 * @param runId such as {@code r-000042}
 * @param model the model's name
 * @param status {@code running}, {@code succeeded} (whether or not the gate promoted), {@code
 *     skipped} (a retraining run that refused to train, such as too few holdout rows; its result
 *     says why) or {@code failed}
 * @param startedAt when it started
 * @param finishedAt when it finished, or null while running
 * @param specText the spec exactly as written
 * @param resultJson the {@code run --json} document, or null while running
 * @param specPath the spec file's absolute path, or null
 */
public record RunRecord(
    String runId,
    String model,
    String status,
    Instant startedAt,
    Instant finishedAt,
    String specText,
    String resultJson,
    String specPath) {}
