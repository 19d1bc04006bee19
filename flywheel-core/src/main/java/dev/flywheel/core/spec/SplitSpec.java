package dev.flywheel.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How curated rows are divided into train, validation and test sets (docs/spec.md, {@code split}).
 * A bundle's lineage stores it so that a later gate can replay the split where the method allows.
 *
 * @param validation the share of rows for validation, in (0, 1)
 * @param test the share of rows for test, in (0, 1); validation + test is below 1
 * @param seed the seed of the row hash, shuffle or fold assignment
 * @param method one of {@link #METHODS}: {@code hash} (a seeded hash of each row's content, so a
 *     row keeps its split as the data grows), {@code random}, {@code stratified}, {@code time} or
 *     {@code group}
 * @param stratify whether class balance is kept exactly across splits; it applies to {@code random}
 *     (and to k-fold); {@code hash} keeps it in expectation only, {@code stratified} always does
 * @param column the timestamp column of {@code time} or the group column of {@code group}; null for
 *     the other methods. Left out of the JSON when null, so bundles of other methods keep their
 *     bytes.
 * @param folds k of k-fold cross-validation over train + validation, or 0 for none. Left out of the
 *     JSON when 0.
 */
public record SplitSpec(
    double validation,
    double test,
    long seed,
    String method,
    boolean stratify,
    @JsonInclude(JsonInclude.Include.NON_NULL) String column,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int folds) {

  /** The split methods, as written in the spec. */
  public static final List<String> METHODS =
      List.of("hash", "random", "stratified", "time", "group");

  public static final SplitSpec DEFAULT = new SplitSpec(0.15, 0.15, 42, "hash", true);

  /** A split without a column and without k-fold (the shape of every split before issue #6). */
  public SplitSpec(double validation, double test, long seed, String method, boolean stratify) {
    this(validation, test, seed, method, stratify, null, 0);
  }
}
