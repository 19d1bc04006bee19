package dev.flywheel.data.profile;

import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.data.collect.JdbcSource;
import dev.flywheel.data.collect.ParquetSource;
import java.nio.file.Path;
import java.util.List;

/**
 * Profiles sources whose rows arrive with a fixed set of columns from a JDBC result set: a SQL
 * query over any JDBC driver, or Parquet files through the in-process DuckDB. Rows stream through
 * with the source's fetch size; memory is bounded by the number of columns, never the rows. Every
 * row of a result set parses, so {@code unparsed} is always 0 here.
 */
public final class TableProfiler {

  private static final int PROGRESS_EVERY = 1 << 16;

  private TableProfiler() {}

  /**
   * The rows of a query.
   *
   * @param source what the profile names as its source: the URL without parameters
   */
  public static DataProfile jdbc(JdbcSource jdbc, String source, Progress progress) {
    Sink sink = new Sink(progress);
    progress.start("profile", 0);
    try {
      jdbc.stream(sink);
      sink.done();
    } finally {
      progress.finish();
    }
    return sink.profiler.finish(source);
  }

  /** A Parquet file, or a glob of files with the same columns. */
  public static DataProfile parquet(Path path, Progress progress) {
    Sink sink = new Sink(progress);
    progress.start("profile", 0);
    try {
      new ParquetSource(new SourceSpec.Parquet(path)).stream(sink);
      sink.done();
    } finally {
      progress.finish();
    }
    return sink.profiler.finish(path.getFileName().toString());
  }

  private static final class Sink implements JdbcSource.Rows {
    private final Progress progress;
    StreamingProfiler profiler;

    Sink(Progress progress) {
      this.progress = progress;
    }

    void done() {
      progress.step(profiler == null ? 0 : profiler.rows());
    }

    @Override
    public void columns(List<String> names) {
      profiler = new StreamingProfiler(names);
    }

    @Override
    public void row(String[] cells) {
      profiler.add(cells);
      if ((profiler.rows() & (PROGRESS_EVERY - 1)) == 0) {
        progress.step(profiler.rows());
      }
    }
  }
}
