package dev.flywheel.core.frame;

/** A column of doubles. A missing value is {@code NaN}. */
public record NumericColumn(String name, double[] values) implements Column {

  @Override
  public ColumnType type() {
    return ColumnType.NUMERIC;
  }

  @Override
  public int size() {
    return values.length;
  }

  @Override
  public boolean isMissing(int row) {
    return Double.isNaN(values[row]);
  }

  @Override
  public Object value(int row) {
    return isMissing(row) ? null : values[row];
  }

  public double get(int row) {
    return values[row];
  }

  @Override
  public NumericColumn take(int[] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new NumericColumn(name, out);
  }

  @Override
  public String canonical(int row) {
    double v = values[row];
    if (Double.isNaN(v)) {
      return "\u0000";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
