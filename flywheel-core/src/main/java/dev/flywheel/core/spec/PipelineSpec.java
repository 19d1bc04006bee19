package dev.flywheel.core.spec;

import dev.flywheel.core.model.Task;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated {@code flywheel.yaml}: everything a training run needs to know. Build one with {@link
 * SpecParser}; every field is checked and every default filled in.
 *
 * @param name the model's name, matching {@code [a-z0-9][a-z0-9_-]{0,62}}
 * @param task classification or regression
 * @param target the column to predict
 * @param source where the data comes from
 * @param positive the positive label of a binary task, or null for the last label in sorted order
 * @param split how rows are split
 * @param clean how rows are cleaned in training runs
 * @param features how features are prepared
 * @param candidates the candidates to train, or null for the default search
 * @param selection how the winner is chosen and gated
 * @param monitoring how the served model is watched
 * @param retraining automatic retraining, or null for none
 * @param filters row filters of training runs ({@code clean.filter}); a row stays when every one is
 *     true. Never applied at serving.
 * @param file the spec file, or null when parsed from text
 * @param text the spec's text as written, stored with each run
 * @param schema the declared schema ({@link SchemaSpec#NONE} when absent)
 * @param quality the data quality gate ({@link QualitySpec#DEFAULT} when absent)
 */
public record PipelineSpec(
    String name,
    Task task,
    String target,
    SourceSpec source,
    String positive,
    SplitSpec split,
    CleanSpec clean,
    FeaturesSpec features,
    List<CandidateSpec> candidates,
    SelectionSpec selection,
    MonitoringSpec monitoring,
    RetrainingSpec retraining,
    List<RowFilter> filters,
    Path file,
    String text,
    SchemaSpec schema,
    QualitySpec quality) {

  public PipelineSpec {
    candidates = candidates == null ? null : List.copyOf(candidates);
    clean = clean == null ? CleanSpec.DEFAULT : clean;
    filters = filters == null ? List.of() : List.copyOf(filters);
    schema = schema == null ? SchemaSpec.NONE : schema;
    quality = quality == null ? QualitySpec.DEFAULT : quality;
  }

  /** This spec reading from {@code source} instead (as {@code flywheel data validate SOURCE}). */
  public PipelineSpec withSource(SourceSpec source) {
    return new PipelineSpec(
        name,
        task,
        target,
        source,
        positive,
        split,
        clean,
        features,
        candidates,
        selection,
        monitoring,
        retraining,
        filters,
        file,
        text,
        schema,
        quality);
  }
}
