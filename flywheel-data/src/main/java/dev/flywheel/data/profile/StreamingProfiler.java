package dev.flywheel.data.profile;

import dev.flywheel.core.frame.MissingValues;
import java.util.ArrayList;
import java.util.List;

/**
 * Profiles rows of text cells as they stream by, in memory bounded by the number of columns (and
 * the exact-distinct bound), never by the number of rows. Any source that yields text cells can
 * feed it: {@link #add(String[])} per row, or, for parsers with a character buffer, {@link #cell}
 * per field then {@link #commitRow()} or {@link #discardRow()}, which avoids a String per number.
 *
 * <p>Missing cells are the tokens of {@link MissingValues}. Numbers are plain decimals (see {@link
 * NumberText}), the same cells {@code FrameBuilder} reads as numbers.
 */
public final class StreamingProfiler {

  /** How many unparsed records are kept as examples. */
  public static final int MAX_EXAMPLES = 5;

  private static final byte MISSING = 0;
  private static final byte NUMBER = 1;
  private static final byte TEXT = 2;

  private ColumnStats[] columns;
  private byte[] kind;
  private double[] numbers;
  private boolean[] integers;
  private String[] texts;
  private final NumberText parser = NumberText.create();
  private long rows;
  private long unparsed;
  private final List<DataProfile.Unparsed> examples = new ArrayList<>();

  public StreamingProfiler(List<String> names) {
    columns = new ColumnStats[names.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = new ColumnStats(names.get(i));
    }
    kind = new byte[columns.length];
    numbers = new double[columns.length];
    integers = new boolean[columns.length];
    texts = new String[columns.length];
  }

  /**
   * Adds a column after rows have been added (records whose keys first appear later, as in JSON):
   * it counts as missing in every row so far.
   *
   * @return its index
   */
  public int addColumn(String name) {
    int i = columns.length;
    columns = java.util.Arrays.copyOf(columns, i + 1);
    kind = java.util.Arrays.copyOf(kind, i + 1);
    numbers = java.util.Arrays.copyOf(numbers, i + 1);
    integers = java.util.Arrays.copyOf(integers, i + 1);
    texts = java.util.Arrays.copyOf(texts, i + 1);
    columns[i] = new ColumnStats(name);
    columns[i].nulls = rows;
    return i;
  }

  public int columnCount() {
    return columns.length;
  }

  public long rows() {
    return rows;
  }

  public long unparsed() {
    return unparsed;
  }

  /** Adds one row; it must have one cell per column (null is a missing cell). */
  public void add(String[] cells) {
    if (cells.length != columns.length) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, expected " + columns.length);
    }
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] == null) {
        kind[i] = MISSING;
      } else {
        char[] chars = cells[i].toCharArray();
        cell(i, chars, 0, chars.length);
      }
    }
    commitRow();
  }

  /** Sets the cell of {@code column} in the current row from {@code buf[off, off+len)}. */
  public void cell(int column, char[] buf, int off, int len) {
    int end = off + len;
    while (off < end && buf[off] <= ' ') {
      off++;
    }
    while (end > off && buf[end - 1] <= ' ') {
      end--;
    }
    len = end - off;
    if (len == 0) {
      kind[column] = MISSING;
      return;
    }
    char first = buf[off];
    if (columns[column].numeric
        && (first <= '9' && (first >= '0' || first == '-' || first == '.' || first == '+'))
        && parser.parse(buf, off, len)) {
      kind[column] = NUMBER;
      numbers[column] = parser.value;
      integers[column] = parser.integer;
      return;
    }
    String s = new String(buf, off, len);
    if (len <= 4 && MissingValues.TOKENS.contains(s)) {
      kind[column] = MISSING;
    } else {
      kind[column] = TEXT;
      texts[column] = s;
    }
  }

  /** Adds the current row (every column's cell must have been set). */
  public void commitRow() {
    rows++;
    for (int i = 0; i < columns.length; i++) {
      ColumnStats c = columns[i];
      switch (kind[i]) {
        case NUMBER -> c.number(numbers[i], integers[i]);
        case TEXT -> {
          c.text(texts[i]);
          texts[i] = null;
        }
        default -> c.missing();
      }
    }
  }

  /** Drops the current row and counts it as unparsed. */
  public void discardRow(long line, String reason) {
    unparsed++;
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(new DataProfile.Unparsed(line, null, reason));
    }
  }

  /** Drops the current row and counts it as unparsed, keeping the start of its text. */
  public void discardRow(long line, String text, String reason) {
    unparsed++;
    if (examples.size() < MAX_EXAMPLES) {
      String shown = text == null || text.length() <= 200 ? text : text.substring(0, 200) + "...";
      examples.add(new DataProfile.Unparsed(line, shown, reason));
    }
  }

  /** Examples kept so far, to which a source may add the text of the line. */
  List<DataProfile.Unparsed> examples() {
    return examples;
  }

  public DataProfile finish(String source) {
    List<ColumnProfile> out = new ArrayList<>(columns.length);
    for (ColumnStats c : columns) {
      out.add(c.result());
    }
    return new DataProfile(source, rows, unparsed, List.copyOf(examples), out);
  }
}
