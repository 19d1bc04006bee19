package dev.flywheel.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flywheel.core.Json;
import dev.flywheel.data.validate.ValidationReport;
import dev.flywheel.ml.metrics.CalibrationCurve;
import dev.flywheel.ml.metrics.ConfusionMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a training run: the {@code flywheel run --json} document of INTERFACES.md. Field
 * names are written in snake case. A retraining run adds {@link Retraining}; a retraining run that
 * refused to train (status {@code skipped}) has only the run's identity, {@code promoted: false}
 * and its {@code retraining} object with the reason. A run whose data failed the quality gate
 * (status {@code rejected}) has its {@code dataset} without splits and its {@code validation}
 * report, and no leaderboard, gate or model version. {@code tags} are the user's labels from {@code
 * flywheel run --tag k=v}; null (absent) when there are none. {@code artifacts} are the
 * artifact-store keys the run wrote, by role.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(
    String runId,
    String model,
    String task,
    String status,
    Dataset dataset,
    String selectionMetric,
    List<LeaderboardEntry> leaderboard,
    Selected selected,
    Gate gate,
    Integer modelVersion,
    boolean promoted,
    Retraining retraining,
    ValidationReport validation,
    List<DatasetVersionRef> datasetVersions,
    Map<String, String> tags,
    Map<String, String> artifacts) {

  /** A result with validation and dataset versions, without tags or artifacts. */
  public RunResult(
      String runId,
      String model,
      String task,
      String status,
      Dataset dataset,
      String selectionMetric,
      List<LeaderboardEntry> leaderboard,
      Selected selected,
      Gate gate,
      Integer modelVersion,
      boolean promoted,
      Retraining retraining,
      ValidationReport validation,
      List<DatasetVersionRef> datasetVersions) {
    this(
        runId,
        model,
        task,
        status,
        dataset,
        selectionMetric,
        leaderboard,
        selected,
        gate,
        modelVersion,
        promoted,
        retraining,
        validation,
        datasetVersions,
        null,
        null);
  }

  /** A plain run's result, without a retraining section. */
  public RunResult(
      String runId,
      String model,
      String task,
      String status,
      Dataset dataset,
      String selectionMetric,
      List<LeaderboardEntry> leaderboard,
      Selected selected,
      Gate gate,
      Integer modelVersion,
      boolean promoted) {
    this(
        runId,
        model,
        task,
        status,
        dataset,
        selectionMetric,
        leaderboard,
        selected,
        gate,
        modelVersion,
        promoted,
        null,
        null,
        null,
        null,
        null);
  }

  /** This result with its retraining section. */
  public RunResult withRetraining(Retraining r) {
    return new RunResult(
        runId,
        model,
        task,
        status,
        dataset,
        selectionMetric,
        leaderboard,
        selected,
        gate,
        modelVersion,
        promoted,
        r,
        validation,
        datasetVersions,
        tags,
        artifacts);
  }

  /** This result with the run's tags (null or empty: none). */
  public RunResult withTags(Map<String, String> t) {
    return new RunResult(
        runId,
        model,
        task,
        status,
        dataset,
        selectionMetric,
        leaderboard,
        selected,
        gate,
        modelVersion,
        promoted,
        retraining,
        validation,
        datasetVersions,
        t == null || t.isEmpty() ? null : Map.copyOf(new java.util.TreeMap<>(t)),
        artifacts);
  }

  /** This result with the artifact-store keys the run wrote, by role. */
  public RunResult withArtifacts(Map<String, String> a) {
    return new RunResult(
        runId,
        model,
        task,
        status,
        dataset,
        selectionMetric,
        leaderboard,
        selected,
        gate,
        modelVersion,
        promoted,
        retraining,
        validation,
        datasetVersions,
        tags,
        a == null || a.isEmpty() ? null : Map.copyOf(a));
  }

  /** This result with its data validation report and the dataset versions it used. */
  public RunResult withData(ValidationReport v, List<DatasetVersionRef> versions) {
    return new RunResult(
        runId,
        model,
        task,
        status,
        dataset,
        selectionMetric,
        leaderboard,
        selected,
        gate,
        modelVersion,
        promoted,
        retraining,
        v,
        versions,
        tags,
        artifacts);
  }

  /**
   * A dataset version a run used (docs/spec.md, "Dataset versions").
   *
   * @param model the model whose data it is
   * @param version its number, per model
   * @param hash its content hash, the run's {@code dataset.hash}
   * @param rows its curated rows
   * @param reused true when an earlier run wrote it (the data had not changed)
   */
  public record DatasetVersionRef(
      String model, int version, String hash, long rows, boolean reused) {}

  /**
   * The data the run used.
   *
   * @param rows rows after curation
   * @param badRows rows of a file source left out by its {@code bad_rows} policy ({@code skip} or
   *     {@code quarantine}); 0 otherwise
   * @param quarantine the file holding the quarantined rows, when there were any
   * @param unparsed lines of a log source that did not parse (counted, never in {@code rows}); 0
   *     for other sources
   * @param unparsedExamples up to 5 of them with file and line; null for sources other than logs
   * @param newRows rows that incremental sources appended to their snapshots in this run; null when
   *     no source is incremental
   * @param incremental what each incremental source did; null when none is
   * @param cleaning rows each cleaning step removed (filters, duplicates, missing targets,
   *     outliers); null in runs recorded before it existed
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Dataset(
      int rows,
      String hash,
      Map<String, Integer> splits,
      int missingTarget,
      int duplicates,
      long badRows,
      String quarantine,
      long unparsed,
      List<UnparsedLine> unparsedExamples,
      Long newRows,
      List<IncrementalSource> incremental,
      Cleaning cleaning) {}

  /**
   * One row filter and the rows it removed.
   *
   * @param filter the expression
   * @param removed rows it dropped
   */
  public record FilterCount(String filter, int removed) {}

  /**
   * One incremental source in a run (docs/spec.md, "Incremental collection").
   *
   * @param source the source as people read it
   * @param watermark the watermark column
   * @param from the watermark before the run, or null on the first run
   * @param to the watermark after the run
   * @param newRows rows above {@code from}, appended to the snapshot
   * @param snapshotRows rows in the snapshot after the run, all of which training read
   * @param nullWatermark rows without a watermark value, left out
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IncrementalSource(
      String source,
      String watermark,
      String from,
      String to,
      long newRows,
      long snapshotRows,
      long nullWatermark) {}

  /**
   * Rows removed by each cleaning step of a training run ({@code clean} in docs/spec.md).
   *
   * @param duplicates duplicates dropped before the split
   * @param missingTarget rows without a target dropped before the split
   * @param outliers training rows dropped as outliers after the split
   * @param filtered rows the spec's filters ({@code clean.filter}) removed, all together; null when
   *     the spec has none
   * @param filters each filter with the rows it removed, a row counting against the first filter
   *     that drops it; null when the spec has none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cleaning(
      int duplicates,
      int missingTarget,
      int outliers,
      Integer filtered,
      List<FilterCount> filters) {
    public Cleaning {
      filters = filters == null ? null : List.copyOf(filters);
    }

    /** Cleaning without row filters. */
    public Cleaning(int duplicates, int missingTarget, int outliers) {
      this(duplicates, missingTarget, outliers, null, null);
    }
  }

  /** A log line that did not parse: its file, its line number there, and its text. */
  public record UnparsedLine(String file, long line, String text) {}

  /**
   * One trained candidate and parameter set, scored on validation: on the validation split, or,
   * under cross-validation, the mean over folds with {@code validationSd} beside it. {@code
   * bestIteration} is the kept round of boosted trees that stopped early.
   *
   * <p>{@code modelBytes} is the size of the model's serialised form (its file and attachments in
   * the bundle). {@code predictUs} is the median time in microseconds of a single-row predict on
   * the model's input vectors, over {@link dev.flywheel.pipeline.train.Footprint#ROWS} validation
   * rows after as many warm-up calls; like {@code trainSeconds} it is a measurement, not a result,
   * and varies between identical runs. Both are null for a cross-validated setting that was not
   * refit (no model exists), and in results recorded before they existed.
   *
   * <p>{@code steps} holds metrics recorded step by step while training, by name, one value per
   * step: for boosted trees that stop early, XGBoost's validation loss per round ({@code
   * validation_logloss}, {@code validation_mlogloss} or {@code validation_rmse}), including the
   * rounds after {@code bestIteration} that early stopping waited through. Null when the model
   * records none.
   *
   * <p>{@code features} is how many features (input columns and derived features) the entry's model
   * reads: fewer than the pipeline's when {@code features.select} dropped some.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LeaderboardEntry(
      String candidate,
      String algorithm,
      Map<String, Number> params,
      Map<String, Double> validation,
      double trainSeconds,
      Map<String, Double> validationSd,
      Integer bestIteration,
      Long modelBytes,
      Double predictUs,
      Map<String, List<Double>> steps,
      Integer features) {}

  /**
   * The winner on validation, with its test scores.
   *
   * @param test test metrics; for a binary classifier the label metrics (accuracy, precision,
   *     recall, F1…) score the labels decided by {@code threshold}
   * @param threshold a binary classifier's decision threshold on P(positive), chosen on validation;
   *     null (absent) otherwise
   * @param thresholdMethod how it was chosen: {@code f1}, {@code accuracy}, {@code cost} or {@code
   *     fixed}
   * @param testDetails the confusion matrix and calibration curve on the test split; null for
   *     regression (and in results recorded before they existed)
   * @param features the input columns (and derived features) the model reads after {@code
   *     features.select}; null without selection
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Selected(
      String candidate,
      String algorithm,
      Map<String, Number> params,
      Map<String, Double> validation,
      Map<String, Double> test,
      Double threshold,
      String thresholdMethod,
      TestDetails testDetails,
      List<String> features) {}

  /**
   * What a classifier did on the test split beyond its scores (docs/metrics.md).
   *
   * @param confusionMatrix truth by predicted class, every class of the task
   * @param calibration the positive class's calibration curve over 10 uniform bins; null for more
   *     than two classes
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TestDetails(ConfusionMatrix confusionMatrix, CalibrationCurve calibration) {}

  /** The promotion gate: every check, and the statistical evidence against production. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Gate(boolean passed, List<Check> checks, Evidence evidence) {}

  /** One gate check. */
  public record Check(String name, boolean passed, String detail) {}

  /**
   * The statistical comparison with production ({@code gate.evidence}); docs/spec.md, "The
   * production gate", defines each test's verdict.
   *
   * @param test {@code paired_bootstrap}, {@code mcnemar} or {@code delong}
   * @param metric the metric compared: the selection metric for the bootstrap, {@code accuracy} for
   *     McNemar, {@code auc} for DeLong
   * @param challenger the challenger's score on the gate rows
   * @param production production's score on the gate rows
   * @param productionVersion the version compared against
   * @param improvement challenger minus production, oriented so positive is better
   * @param interval the lower and upper bounds of the interval for the improvement at {@code
   *     confidence} (for McNemar and DeLong the asymptotic interval that matches the p-value's
   *     verdict)
   * @param confidence the interval's confidence
   * @param resamples the bootstrap resamples (defined ones); null for the other tests
   * @param rows the rows both were scored on
   * @param tolerance how much worse the challenger may be
   * @param verdict {@code pass} or {@code fail}
   * @param computedOn the rows compared: {@code test} (the test split, for {@code flywheel run}) or
   *     {@code holdout} (the retraining holdout of labelled production rows)
   * @param pValue McNemar and DeLong: the one-sided p-value of "the challenger is worse by {@code
   *     tolerance} or more"; null for the bootstrap, and when undefined (the two models agree on
   *     every row)
   * @param alpha McNemar and DeLong: the level p must not exceed to pass, (1 − confidence)/2
   * @param statistics test-specific counts: McNemar's {@code challenger_only} and {@code
   *     production_only} (rows only that model got right); DeLong's {@code positives}, {@code
   *     negatives} and {@code se}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Evidence(
      String test,
      String metric,
      double challenger,
      double production,
      int productionVersion,
      double improvement,
      List<Double> interval,
      double confidence,
      Integer resamples,
      int rows,
      double tolerance,
      String verdict,
      String computedOn,
      Double pValue,
      Double alpha,
      Map<String, Number> statistics) {}

  /**
   * What a retraining run decided and why (docs/retraining.md).
   *
   * @param trigger what asked for the run: {@code manual}, {@code drift}, {@code performance}…
   * @param outcome {@code promoted}, {@code not_promoted} (the gate refused) or {@code skipped}
   *     (the run refused to train, for example too few holdout rows)
   * @param reason why it was not promoted or skipped; null when promoted
   * @param championVersion the production version the challenger was compared with
   * @param championFeedbackUntil the champion's {@code lineage.feedback_until}: holdout rows are
   *     all predicted after it (null: the champion trained on no production rows)
   * @param data the rows the run used
   * @param holdout the rows held out for the comparison
   * @param comparison the challenger against the champion on the holdout; null when skipped, or
   *     when the two could not be compared
   * @param feedbackUntil the challenger's {@code lineage.feedback_until}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Retraining(
      String trigger,
      String outcome,
      String reason,
      Integer championVersion,
      Instant championFeedbackUntil,
      RetrainingData data,
      HoldoutRows holdout,
      Comparison comparison,
      Instant feedbackUntil) {}

  /**
   * The rows of a retraining run.
   *
   * @param sourceRows rows read from the spec's source
   * @param labelledRows labelled production rows of the model (its feedback joined to its
   *     predictions)
   * @param unusableRows labelled rows left out of both holdout and training: the label is missing
   *     or not a value of the target (a regression label that is not a number), or the logged
   *     instance is not a JSON object
   * @param includeFeedback the spec's {@code retraining.include_feedback}
   * @param feedbackRows labelled rows added to the training data (before curation, which may drop
   *     some as duplicates; then split by hash like source rows)
   * @param feedbackExcludedAsHoldoutCopies labelled rows outside the holdout left out of the
   *     training data because their features and label equal a holdout row's
   * @param missingValues feature values of labelled rows read as missing because they are absent
   *     from the logged instance or do not fit the column's type
   */
  public record RetrainingData(
      int sourceRows,
      int labelledRows,
      int unusableRows,
      boolean includeFeedback,
      int feedbackRows,
      int feedbackExcludedAsHoldoutCopies,
      int missingValues) {}

  /**
   * The retraining holdout: the newest labelled rows that neither model trained on.
   *
   * @param rows the rows held out (0 when skipped for too few)
   * @param needed the rows required: the larger of {@code share} × labelled rows and {@code
   *     min_labels}
   * @param eligible labelled rows that could be held out: predicted after the champion's {@code
   *     feedback_until}, and not a copy of a source row
   * @param share the spec's {@code retraining.holdout}
   * @param minLabels the spec's {@code monitoring.performance.min_labels}
   * @param from the oldest held-out row's prediction time
   * @param to the newest held-out row's prediction time
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HoldoutRows(
      int rows, int needed, int eligible, double share, int minLabels, Instant from, Instant to) {}

  /**
   * Challenger against champion on the holdout, as in {@code gate.evidence}.
   *
   * @param metric the selection metric
   * @param challenger the challenger's score
   * @param champion the champion's score
   * @param improvement challenger minus champion, positive is better
   * @param interval the paired-bootstrap interval of the improvement
   * @param tolerance how much worse the challenger may be
   * @param verdict {@code pass} or {@code fail}
   */
  public record Comparison(
      String metric,
      double challenger,
      double champion,
      double improvement,
      List<Double> interval,
      double tolerance,
      String verdict) {}

  /** Reads a stored result document back. */
  public static RunResult fromJson(String json) {
    try {
      return Json.mapper().readValue(json, RunResult.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String toJson() {
    try {
      return Json.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
