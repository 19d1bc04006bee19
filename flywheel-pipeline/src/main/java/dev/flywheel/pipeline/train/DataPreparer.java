package dev.flywheel.pipeline.train;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.core.schema.LogicalType;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.data.collect.Collected;
import dev.flywheel.data.collect.Collector;
import dev.flywheel.data.collect.Snapshots;
import dev.flywheel.data.curate.Curation;
import dev.flywheel.data.curate.Outliers;
import dev.flywheel.data.curate.RowFilters;
import dev.flywheel.data.features.FeaturePipelineFitter;
import dev.flywheel.data.split.HashSplitter;
import dev.flywheel.data.split.Splitter;
import dev.flywheel.pipeline.RunResult;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Collects, curates, splits and transforms a spec's data: the stages before training. Duplicates
 * and rows without a target go before the split; outliers are removed after it, from the training
 * rows alone, with bounds computed from them. The feature pipeline is fitted on the training split
 * alone.
 */
public final class DataPreparer {

  private DataPreparer() {}

  /**
   * The outcome of collection and curation, before splitting.
   *
   * @param filtered what the spec's row filters removed, or null when the spec has none
   */
  public record Curated(
      Frame frame, int rawRows, int missingTarget, int duplicates, Filtered filtered) {}

  /**
   * What the spec's row filters removed.
   *
   * @param total rows removed, all filters together
   * @param counts each filter with the rows it removed
   */
  public record Filtered(int total, List<RunResult.FilterCount> counts) {
    public Filtered {
      counts = List.copyOf(counts);
    }
  }

  public static Curated collectAndCurate(PipelineSpec spec, Progress progress) {
    return curate(spec, collect(spec, progress), progress);
  }

  /**
   * Reads the spec's source and checks it can be trained on: the target is a column (numeric for
   * regression; a classification target is always read as text) and there is at least one feature.
   */
  public static Frame collect(PipelineSpec spec, Progress progress) {
    return collectSource(spec, progress).frame();
  }

  /**
   * As {@link #collect} with incremental sources collected through {@code snapshots}: new rows
   * appended to their snapshots, the whole snapshots returned.
   */
  public static Frame collect(PipelineSpec spec, Progress progress, Snapshots snapshots) {
    return collectSource(spec, progress, snapshots).frame();
  }

  /** As {@link #collect}, also reporting the rows the source's {@code bad_rows} policy left out. */
  public static Collected collectSource(PipelineSpec spec, Progress progress) {
    return collectSource(spec, progress, null);
  }

  /**
   * As {@link #collectSource(PipelineSpec, Progress)}; incremental sources keep their watermarks
   * and snapshots in {@code snapshots} (null reads them whole).
   */
  public static Collected collectSource(PipelineSpec spec, Progress progress, Snapshots snapshots) {
    Map<String, ColumnType> forced = new HashMap<>();
    // A column declared categorical or text is read as text even when its values look like
    // numbers (zip codes, ids): the declared schema overrides inference.
    spec.schema()
        .columns()
        .forEach(
            (name, column) -> {
              if (column.type() == LogicalType.CATEGORICAL || column.type() == LogicalType.TEXT) {
                forced.put(name, ColumnType.CATEGORICAL);
              }
            });
    if (spec.task() == Task.CLASSIFICATION) {
      forced.put(spec.target(), ColumnType.CATEGORICAL);
    }
    Collected collected = Collector.read(spec.source(), forced, snapshots);
    Frame raw = collected.frame();
    String bad = "";
    if (collected.badRows() > 0) {
      bad =
          "; "
              + collected.badRows()
              + " bad row"
              + (collected.badRows() == 1 ? "" : "s")
              + (collected.quarantine() != null
                  ? " quarantined to " + collected.quarantine()
                  : " skipped");
    }
    if (collected.unparsed() > 0) {
      Collected.Unparsed first = collected.unparsedExamples().get(0);
      bad +=
          "; "
              + collected.unparsed()
              + " unparsed line"
              + (collected.unparsed() == 1 ? "" : "s")
              + ", first "
              + first.file()
              + ":"
              + first.line();
    }
    for (Collected.Increment inc : collected.increments()) {
      bad +=
          "; "
              + inc.newRows()
              + " new row"
              + (inc.newRows() == 1 ? "" : "s")
              + " from "
              + inc.source()
              + (inc.previous() == null
                  ? " (first run)"
                  : " (" + inc.watermark() + " > " + inc.previous() + ")")
              + ", "
              + inc.snapshotRows()
              + " in its snapshot"
              + (inc.nullWatermark() > 0
                  ? ", " + inc.nullWatermark() + " without " + inc.watermark() + " left out"
                  : "");
    }
    progress.stage(
        "collect",
        raw.rowCount()
            + " rows, "
            + raw.columns().size()
            + " columns from "
            + spec.source().describe()
            + bad);
    Column target =
        raw.find(spec.target())
            .orElseThrow(
                () ->
                    new BadInputException(
                        "target: '"
                            + spec.target()
                            + "' is not a column of "
                            + spec.source().describe()
                            + "; the columns are "
                            + String.join(", ", raw.names())
                            + ". Fix target in the spec."));
    if (spec.task() == Task.REGRESSION && target instanceof CategoricalColumn c) {
      String example =
          Arrays.stream(c.values()).filter(v -> v != null).findFirst().orElse("(none)");
      throw new BadInputException(
          "target: '"
              + spec.target()
              + "' holds text such as '"
              + example
              + "', but a regression target must be numeric. Use task: classification, or fix"
              + " the column.");
    }
    if (raw.columns().size() < 2) {
      throw new BadInputException(
          spec.source().describe()
              + " has no feature columns besides the target '"
              + spec.target()
              + "'.");
    }
    return collected;
  }

  /**
   * Applies the spec's row filters, then drops rows without a target, then duplicates (the first
   * copy stays), as the spec's {@code clean} says (by default: every row without a target, and
   * exact duplicate rows).
   */
  public static Curated curate(PipelineSpec spec, Frame raw, Progress progress) {
    Filtered cleaning = null;
    if (!spec.filters().isEmpty()) {
      RowFilters.Result f = RowFilters.apply(raw, spec.filters());
      List<RunResult.FilterCount> counts = new java.util.ArrayList<>();
      for (int i = 0; i < spec.filters().size(); i++) {
        counts.add(
            new RunResult.FilterCount(spec.filters().get(i).expression(), f.removed().get(i)));
      }
      cleaning = new Filtered(f.total(), counts);
      progress.stage(
          "filter",
          f.frame().rowCount()
              + " of "
              + raw.rowCount()
              + " rows pass "
              + spec.filters().size()
              + " filter"
              + (spec.filters().size() == 1 ? "" : "s")
              + "; removed "
              + f.total());
      raw = f.frame();
    }
    Curation.Result curated = Curation.curate(raw, spec.target(), spec.clean());
    progress.stage(
        "curate",
        curated.frame().rowCount()
            + " rows kept; dropped "
            + curated.missingTarget()
            + " without a target and "
            + curated.duplicates()
            + " duplicates");
    int rawRows = raw.rowCount() + (cleaning == null ? 0 : cleaning.total());
    return new Curated(
        curated.frame(), rawRows, curated.missingTarget(), curated.duplicates(), cleaning);
  }

  public static PreparedData prepare(PipelineSpec spec, Frame curated, Progress progress) {
    HashSplitter.Splits splits = Splitter.split(curated, spec.split(), spec.target());
    Frame train = curated.take(splits.train());
    Frame validation = curated.take(splits.validation());
    Frame test = curated.take(splits.test());
    int outliers = 0;
    if (spec.clean().outliers() != null) {
      List<String> columns =
          spec.clean().outlierColumns() != null
              ? spec.clean().outlierColumns()
              : Outliers.numericInputs(train, spec.target());
      Outliers.Result removed = Outliers.remove(train, spec.clean().outliers(), columns);
      outliers = removed.removed();
      train = removed.frame();
      progress.stage(
          "clean", "dropped " + outliers + " outlier" + (outliers == 1 ? "" : "s") + " from train");
    }
    if (train.rowCount() < 10 || validation.rowCount() < 1 || test.rowCount() < 1) {
      throw new BadInputException(
          "after curation there are "
              + curated.rowCount()
              + " rows, split into train "
              + train.rowCount()
              + ", validation "
              + validation.rowCount()
              + " and test "
              + test.rowCount()
              + "; each needs rows (train at least 10). Add data, or change split.validation and"
              + " split.test.");
    }
    progress.stage(
        "split",
        "train "
            + train.rowCount()
            + ", validation "
            + validation.rowCount()
            + ", test "
            + test.rowCount()
            + " ("
            + spec.split().method()
            + (spec.split().column() != null ? " on " + spec.split().column() : "")
            + ", seed "
            + spec.split().seed()
            + ")");
    int[] folds =
        spec.split().folds() > 0
            ? Splitter.folds(train.concat(validation), spec.split(), spec.target())
            : null;

    List<String> features = curated.names().stream().filter(n -> !n.equals(spec.target())).toList();
    FeaturePipeline pipeline = FeaturePipelineFitter.fit(train, features, spec.features());
    progress.stage(
        "features", features.size() + " input columns → " + pipeline.width() + " model inputs");

    List<String> classes = List.of();
    String positive = null;
    int positiveIndex = -1;
    if (spec.task() == Task.CLASSIFICATION) {
      classes =
          List.copyOf(
              new TreeSet<>(
                  Arrays.asList(((CategoricalColumn) curated.column(spec.target())).values())));
      long inTrain =
          Arrays.stream(((CategoricalColumn) train.column(spec.target())).values())
              .distinct()
              .count();
      if (inTrain < 2) {
        throw new BadInputException(
            "target: '"
                + spec.target()
                + "' has "
                + inTrain
                + " distinct label(s) in the training split; classification needs at least 2.");
      }
      if (classes.size() == 2) {
        positive = spec.positive() != null ? spec.positive() : classes.get(1);
        positiveIndex = classes.indexOf(positive);
        if (positiveIndex < 0) {
          throw new BadInputException(
              "positive: '"
                  + spec.positive()
                  + "' is not a label of '"
                  + spec.target()
                  + "'; the labels are "
                  + String.join(", ", classes)
                  + ". Fix positive in the spec.");
        }
      }
    }
    TrainingSet trainingSet =
        new TrainingSet(
            pipeline.transform(train),
            pipeline.outputNames(),
            spec.task(),
            classes,
            labels(train.column(spec.target()), classes),
            values(train.column(spec.target())));
    Truth validationTruth =
        truth(spec.task(), validation.column(spec.target()), classes, positiveIndex);
    Truth testTruth = truth(spec.task(), test.column(spec.target()), classes, positiveIndex);
    return new PreparedData(
        curated,
        train,
        validation,
        test,
        features,
        pipeline,
        trainingSet,
        pipeline.transform(validation),
        validationTruth,
        pipeline.transform(test),
        testTruth,
        classes,
        positive,
        outliers,
        folds);
  }

  /** The answers in {@code target}, as class indices into {@code classes} or as values. */
  public static Truth truth(Task task, Column target, List<String> classes, int positive) {
    return new Truth(task, labels(target, classes), values(target), positive);
  }

  private static int[] labels(Column target, List<String> classes) {
    if (!(target instanceof CategoricalColumn c)) {
      return null;
    }
    int[] out = new int[c.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = classes.indexOf(c.get(i));
    }
    return out;
  }

  private static double[] values(Column target) {
    return target instanceof NumericColumn n ? n.values() : null;
  }
}
