package dev.flywheel.core.spec;

/**
 * How curated rows are divided into train, validation and test sets.
 *
 * @param validation the share of rows for validation, in (0, 1)
 * @param test the share of rows for test, in (0, 1); validation + test is below 1
 * @param seed the seed of the row hash
 * @param method only {@code hash} for now: a seeded hash of each row's content decides its split,
 *     so a row keeps its split as the data grows
 * @param stratify whether class balance is kept across splits (see docs/spec.md for what this means
 *     under the hash method)
 */
public record SplitSpec(
    double validation, double test, long seed, String method, boolean stratify) {

  public static final SplitSpec DEFAULT = new SplitSpec(0.15, 0.15, 42, "hash", true);
}
