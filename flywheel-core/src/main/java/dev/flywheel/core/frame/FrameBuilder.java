package dev.flywheel.core.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Collects rows of text cells and builds a {@link Frame}, inferring each column's type: numeric
 * when every non-missing cell parses as a finite number, categorical otherwise. A caller may force
 * a type, as a classification target must stay categorical even when its labels look like numbers.
 *
 * <p>Building is typed and streaming: each column parses its numbers as they arrive into a growable
 * {@code double[]}, so a numeric column never holds its cells as text. Only a column that turns out
 * not to be numeric (or that is forced categorical at build time) gets text storage. To give back
 * the exact text of a number when that happens, a numeric column remembers the text of the few
 * cells that are not in the canonical form its double prints as ({@code 1.50}, {@code 1e3}, {@code
 * 007}); ordinary numbers cost nothing beyond their 8 bytes.
 *
 * <p>Not thread-safe; use one builder per read.
 */
public final class FrameBuilder {

  private final List<String> names;
  private ColumnBuilder[] columns;
  private int rows;

  public FrameBuilder(List<String> names) {
    this.names = new ArrayList<>(names);
    this.columns = new ColumnBuilder[names.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = new ColumnBuilder();
    }
  }

  public List<String> names() {
    return List.copyOf(names);
  }

  /**
   * Adds a column after rows have been added, for records whose keys first appear later (JSON): it
   * is missing in every row so far, and later rows must have a cell for it.
   */
  public void addColumn(String name) {
    if (names.contains(name)) {
      throw new IllegalArgumentException("column '" + name + "' is already there");
    }
    names.add(name);
    ColumnBuilder c = new ColumnBuilder();
    for (int r = 0; r < rows; r++) {
      c.add(r, null);
    }
    columns = Arrays.copyOf(columns, columns.length + 1);
    columns[columns.length - 1] = c;
  }

  /** Adds one row. Null or a missing-value token is a missing cell. */
  public void add(String[] row) {
    if (row.length != columns.length) {
      throw new IllegalArgumentException(
          "row has " + row.length + " cells but there are " + columns.length + " columns");
    }
    for (int i = 0; i < row.length; i++) {
      String cell = row[i];
      columns[i].add(rows, MissingValues.isMissing(cell) ? null : cell.strip());
    }
    rows++;
  }

  public int rowCount() {
    return rows;
  }

  /**
   * Builds the frame; {@code forced} maps column names to types that override inference. The
   * builder must not be used afterwards: the frame may share its arrays.
   */
  public Frame build(Map<String, ColumnType> forced) {
    List<Column> out = new ArrayList<>(columns.length);
    for (int i = 0; i < columns.length; i++) {
      String name = names.get(i);
      ColumnBuilder c = columns[i];
      ColumnType type = forced.getOrDefault(name, c.inferred());
      out.add(
          switch (type) {
            case NUMERIC -> new NumericColumn(name, c.numbers(rows));
            case CATEGORICAL -> new CategoricalColumn(name, c.texts(rows));
          });
    }
    return new Frame(out);
  }

  /**
   * One column while rows arrive. While every present cell is a number it holds doubles (missing is
   * NaN) plus the text of non-canonical cells; at the first other cell it turns into text.
   */
  private static final class ColumnBuilder {
    private static final int FIRST_CAPACITY = 1024;

    private double[] numbers = new double[FIRST_CAPACITY];
    private boolean anyPresent;
    // Rows whose text differs from the canonical text of their double, in row order.
    private int[] oddRows = new int[0];
    private String[] oddTexts = new String[0];
    private int odd;
    // Non-null once the column holds text.
    private String[] texts;

    void add(int row, String cell) {
      if (texts != null) {
        if (row == texts.length) {
          texts = Arrays.copyOf(texts, grow(row));
        }
        texts[row] = cell;
        return;
      }
      if (row == numbers.length) {
        numbers = Arrays.copyOf(numbers, grow(row));
      }
      if (cell == null) {
        numbers[row] = Double.NaN;
        return;
      }
      anyPresent = true;
      double value = plainNumber(cell);
      if (!Double.isNaN(value)) {
        numbers[row] = value;
        if (!isCanonical(cell)) {
          remember(row, cell);
        }
        return;
      }
      texts = textsUpTo(row, Math.max(numbers.length, FIRST_CAPACITY));
      texts[row] = cell;
      numbers = null;
      oddRows = null;
      oddTexts = null;
    }

    private static int grow(int size) {
      return Math.max(FIRST_CAPACITY, size + (size >> 1));
    }

    private void remember(int row, String cell) {
      if (odd == oddRows.length) {
        int n = Math.max(16, odd * 2);
        oddRows = Arrays.copyOf(oddRows, n);
        oddTexts = Arrays.copyOf(oddTexts, n);
      }
      oddRows[odd] = row;
      oddTexts[odd] = cell;
      odd++;
    }

    ColumnType inferred() {
      return texts == null && anyPresent ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
    }

    double[] numbers(int rows) {
      if (texts == null) {
        return numbers.length == rows ? numbers : Arrays.copyOf(numbers, rows);
      }
      // Forced numeric over text: any cell Java parses to a finite double counts, as before.
      double[] out = new double[rows];
      for (int i = 0; i < rows; i++) {
        out[i] = texts[i] == null ? Double.NaN : lenientParse(texts[i]);
      }
      return out;
    }

    String[] texts(int rows) {
      if (texts != null) {
        return texts.length == rows ? texts : Arrays.copyOf(texts, rows);
      }
      return textsUpTo(rows, rows);
    }

    /** The exact text of rows {@code [0, rows)} of a numeric column, in an array of {@code n}. */
    private String[] textsUpTo(int rows, int n) {
      String[] out = new String[n];
      int next = 0;
      for (int i = 0; i < rows; i++) {
        if (next < odd && oddRows[next] == i) {
          out[i] = oddTexts[next++];
        } else {
          double v = numbers[i];
          out[i] = Double.isNaN(v) ? null : canonical(v);
        }
      }
      return out;
    }
  }

  /** The text a double prints as: {@code NumericColumn#canonical} for present values. */
  static String canonical(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * True when a cell that {@link #isNumber} accepts is exactly {@link #canonical} of its double, so
   * its text need not be kept. Decided from the characters alone: an integer without sign, leading
   * zero or more than 15 digits, or a plain fraction in [0.001, 10^7) with at most 15 significant
   * digits and no trailing zero. Up to 15 significant digits a decimal is the shortest text that
   * reads back as its double, which is what {@link Double#toString} prints (JDK 19 and later) in
   * that range. Anything else returns false, which only costs keeping the text.
   */
  static boolean isCanonical(String v) {
    int n = v.length();
    int i = 0;
    if (v.charAt(0) == '-') {
      i = 1;
      if (n == 1) {
        return false;
      }
    }
    int intStart = i;
    while (i < n && isDigit(v.charAt(i))) {
      i++;
    }
    int intDigits = i - intStart;
    if (intDigits == 0 || (intDigits > 1 && v.charAt(intStart) == '0')) {
      return false;
    }
    if (i == n) {
      // An integer; "-0" prints as "0".
      return intDigits <= 15 && !(intStart == 1 && intDigits == 1 && v.charAt(1) == '0');
    }
    if (v.charAt(i) != '.' || intDigits > 7) {
      return false;
    }
    int fracStart = ++i;
    while (i < n && isDigit(v.charAt(i))) {
      i++;
    }
    if (i != n || i == fracStart || v.charAt(n - 1) == '0') {
      return false;
    }
    boolean zeroInt = intDigits == 1 && v.charAt(intStart) == '0';
    int significant;
    if (zeroInt) {
      int zeros = 0;
      while (v.charAt(fracStart + zeros) == '0') {
        zeros++;
      }
      if (zeros > 2) {
        return false; // below 0.001 Double.toString uses an exponent
      }
      significant = n - fracStart - zeros;
    } else {
      significant = intDigits + (n - fracStart);
    }
    return significant <= 15;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static double lenientParse(String v) {
    try {
      double d = Double.parseDouble(v);
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * True for plain decimal numbers; rejects Java-only forms such as "1f", "0x1p3" or "Infinity".
   */
  static boolean isNumber(String v) {
    return !Double.isNaN(plainNumber(v));
  }

  /** The value of a plain decimal number (see {@link #isNumber}), or NaN when it is not one. */
  static double plainNumber(String v) {
    int n = v.length();
    if (n == 0) {
      return Double.NaN;
    }
    char last = v.charAt(n - 1);
    if (!(Character.isDigit(last) || last == '.')) {
      return Double.NaN;
    }
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      if (!(Character.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return Double.NaN;
      }
    }
    return v.equals(".") ? Double.NaN : lenientParse(v);
  }
}
