package dev.flywheel.data.collect;

import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.spec.SourceSpec;
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

  /** Reads the source and reports the rows its bad-row policy left out. */
  public static Collected read(SourceSpec source, Map<String, ColumnType> forced) {
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
    };
  }
}
