package dev.flywheel.data.profile;

import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import java.util.ArrayList;
import java.util.List;

/**
 * Profiles a {@link Frame} already in memory, with the same statistics and sketches as {@link
 * StreamingProfiler} (the {@code flywheel data profile} document). Use the streaming profilers for
 * files, which they read without holding the rows.
 */
public final class FrameProfiler {

  private FrameProfiler() {}

  public static DataProfile profile(Frame frame, String source) {
    List<ColumnProfile> columns = new ArrayList<>(frame.columns().size());
    for (Column column : frame.columns()) {
      ColumnStats stats = new ColumnStats(column.name());
      switch (column) {
        case NumericColumn n -> {
          for (double v : n.values()) {
            if (Double.isNaN(v)) {
              stats.missing();
            } else {
              stats.number(v, v == Math.rint(v));
            }
          }
        }
        case CategoricalColumn c -> {
          for (String v : c.values()) {
            if (v == null) {
              stats.missing();
            } else {
              stats.text(v);
            }
          }
        }
      }
      columns.add(stats.result());
    }
    return new DataProfile(source, frame.rowCount(), 0, List.of(), columns);
  }
}
