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
    return switch (source) {
      case SourceSpec.Csv csv -> new CsvSource(csv.path()).read(forced);
      case SourceSpec.Jdbc jdbc -> new JdbcSource(jdbc.url(), jdbc.query()).read(forced);
    };
  }
}
