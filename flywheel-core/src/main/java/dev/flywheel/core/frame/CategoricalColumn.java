package dev.flywheel.core.frame;

/** A column of text values. A missing value is {@code null}. */
public record CategoricalColumn(String name, String[] values) implements Column {

  @Override
  public ColumnType type() {
    return ColumnType.CATEGORICAL;
  }

  @Override
  public int size() {
    return values.length;
  }

  @Override
  public boolean isMissing(int row) {
    return values[row] == null;
  }

  @Override
  public Object value(int row) {
    return values[row];
  }

  public String get(int row) {
    return values[row];
  }

  @Override
  public CategoricalColumn take(int[] rows) {
    String[] out = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new CategoricalColumn(name, out);
  }

  @Override
  public String canonical(int row) {
    return values[row] == null ? "\u0000" : values[row];
  }
}
