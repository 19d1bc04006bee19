package dev.flywheel.data.collect;

import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.FrameBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Rows whose columns may grow as they arrive (JSON keys that first appear late, log parsers), fed
 * straight into a {@link FrameBuilder} so numbers are held as doubles, never as a list of text
 * rows. A row shorter than the columns so far lacks the later ones: they are missing there, as are
 * the new columns in every earlier row. One instance per read; not thread-safe.
 */
final class RowFrame {

  private final FrameBuilder builder = new FrameBuilder(List.of());
  private String[] full = new String[0];

  /**
   * Adds one row.
   *
   * @param columns the column names so far, asked only when the row brings new ones
   */
  void add(String[] row, Supplier<List<String>> columns) {
    if (row.length > full.length) {
      List<String> names = columns.get();
      for (int i = full.length; i < row.length; i++) {
        builder.addColumn(names.get(i));
      }
      full = new String[row.length];
    }
    if (row.length == full.length) {
      builder.add(row);
    } else {
      Arrays.fill(full, null);
      System.arraycopy(row, 0, full, 0, row.length);
      builder.add(full);
    }
  }

  boolean isEmpty() {
    return builder.rowCount() == 0;
  }

  /** The frame, with every column named so far (also those no row has a value for). */
  Frame frame(List<String> columns, Map<String, ColumnType> forced) {
    for (int i = full.length; i < columns.size(); i++) {
      builder.addColumn(columns.get(i));
    }
    return builder.build(forced);
  }
}
