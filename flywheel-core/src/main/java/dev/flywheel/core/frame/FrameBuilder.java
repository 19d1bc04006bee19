package dev.flywheel.core.frame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects rows of text cells and builds a {@link Frame}, inferring each column's type: numeric
 * when every non-missing cell parses as a finite number, categorical otherwise. A caller may force
 * a type, as a classification target must stay categorical even when its labels look like numbers.
 */
public final class FrameBuilder {

  private final List<String> names;
  private final List<List<String>> cells;

  public FrameBuilder(List<String> names) {
    this.names = List.copyOf(names);
    this.cells = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      cells.add(new ArrayList<>());
    }
  }

  public List<String> names() {
    return names;
  }

  /** Adds one row. Null or a missing-value token is a missing cell. */
  public void add(String[] row) {
    if (row.length != names.size()) {
      throw new IllegalArgumentException(
          "row has " + row.length + " cells but there are " + names.size() + " columns");
    }
    for (int i = 0; i < row.length; i++) {
      cells.get(i).add(MissingValues.isMissing(row[i]) ? null : row[i].strip());
    }
  }

  public int rowCount() {
    return cells.isEmpty() ? 0 : cells.get(0).size();
  }

  /** Builds the frame; {@code forced} maps column names to types that override inference. */
  public Frame build(Map<String, ColumnType> forced) {
    List<Column> columns = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      List<String> values = cells.get(i);
      ColumnType type = forced.getOrDefault(name, infer(values));
      columns.add(
          switch (type) {
            case NUMERIC -> new NumericColumn(name, parseNumbers(values));
            case CATEGORICAL -> new CategoricalColumn(name, values.toArray(String[]::new));
          });
    }
    return new Frame(columns);
  }

  static ColumnType infer(List<String> values) {
    boolean any = false;
    for (String v : values) {
      if (v == null) {
        continue;
      }
      any = true;
      if (!isNumber(v)) {
        return ColumnType.CATEGORICAL;
      }
    }
    return any ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
  }

  private static double[] parseNumbers(List<String> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      String v = values.get(i);
      out[i] = v == null ? Double.NaN : parse(v);
    }
    return out;
  }

  private static double parse(String v) {
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
    int n = v.length();
    if (n == 0) {
      return false;
    }
    char last = v.charAt(n - 1);
    if (!(Character.isDigit(last) || last == '.')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      if (!(Character.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return Double.isFinite(parse(v)) && !v.equals(".");
  }
}
