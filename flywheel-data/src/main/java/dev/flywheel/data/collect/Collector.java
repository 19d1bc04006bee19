package dev.flywheel.data.collect;

import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.spec.SourceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads whatever source a spec names into a frame. */
public final class Collector {

  private Collector() {}

  /**
   * @param source the spec's source
   * @param forced column types that override inference (a classification target is categorical)
   */
  public static Frame collect(SourceSpec source, Map<String, ColumnType> forced) {
    return read(source, forced).frame();
  }

  /**
   * Reads the source and reports the rows its bad-row policy left out. An incremental source is
   * read whole, as it is now, without its watermark: what a profile wants. Training runs use {@link
   * #read(SourceSpec, Map, Snapshots)}.
   */
  public static Collected read(SourceSpec source, Map<String, ColumnType> forced) {
    return read(source, forced, null);
  }

  /**
   * Reads the source; an incremental source fetches only its new rows, appends them to its snapshot
   * in {@code snapshots} and gives the whole snapshot.
   *
   * @param snapshots where watermarks and snapshots are kept; null reads incremental sources whole
   */
  public static Collected read(
      SourceSpec source, Map<String, ColumnType> forced, Snapshots snapshots) {
    return switch (source) {
      case SourceSpec.Csv csv -> new CsvSource(csv).collect(forced);
      case SourceSpec.Jsonl jsonl -> new JsonlSource(jsonl).collect(forced);
      case SourceSpec.Parquet parquet -> new ParquetSource(parquet).collect(forced);
      case SourceSpec.Http http -> new HttpSource(http).collect(forced);
      case SourceSpec.Log log -> new LogSource(log).collect(forced);
      case SourceSpec.Jdbc jdbc ->
          new Collected(
              new JdbcSource(
                      jdbc.url(),
                      jdbc.query() != null ? jdbc.query() : JdbcSource.tableQuery(jdbc.table()),
                      new JdbcSource.Credentials(jdbc.userEnv(), jdbc.passwordEnv()),
                      jdbc.fetchSize())
                  .read(forced),
              0,
              null);
      case SourceSpec.Incremental inc ->
          snapshots == null
              ? read(inc.source(), forced, null)
              : IncrementalSource.collect(inc, forced, snapshots);
      case SourceSpec.Combined combined -> combine(combined, forced, snapshots);
    };
  }

  /** Reads every source, then stacks or joins their frames; the counts add up. */
  private static Collected combine(
      SourceSpec.Combined combined, Map<String, ColumnType> forced, Snapshots snapshots) {
    List<Combiner.Part> parts = new ArrayList<>();
    long badRows = 0;
    Path quarantine = null;
    long unparsed = 0;
    List<Collected.Unparsed> examples = new ArrayList<>();
    List<Collected.Increment> increments = new ArrayList<>();
    for (SourceSpec source : combined.sources()) {
      Collected c = read(source, forced, snapshots);
      parts.add(new Combiner.Part(source.describe(), c.frame()));
      badRows += c.badRows();
      quarantine = quarantine != null ? quarantine : c.quarantine();
      unparsed += c.unparsed();
      for (Collected.Unparsed u : c.unparsedExamples()) {
        if (examples.size() < Collected.MAX_EXAMPLES) {
          examples.add(u);
        }
      }
      increments.addAll(c.increments());
    }
    Frame frame =
        switch (combined.combine()) {
          case SourceSpec.Combine.Union u -> Combiner.union(parts);
          case SourceSpec.Combine.Join j -> Combiner.join(parts, j);
        };
    return new Collected(frame, badRows, quarantine, unparsed, examples, increments);
  }
}
