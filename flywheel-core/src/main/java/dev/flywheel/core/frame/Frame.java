package dev.flywheel.core.frame;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A columnar table: named, typed columns of equal length. Frames are values: operations return new
 * frames and never change the columns they share.
 */
public final class Frame {

  private final List<Column> columns;
  private final Map<String, Column> byName;
  private final int rows;

  public Frame(List<Column> columns) {
    this.columns = List.copyOf(columns);
    this.byName = new LinkedHashMap<>();
    int n = columns.isEmpty() ? 0 : columns.get(0).size();
    for (Column c : columns) {
      if (c.size() != n) {
        throw new IllegalArgumentException(
            "column '" + c.name() + "' has " + c.size() + " rows but the frame has " + n);
      }
      if (byName.put(c.name(), c) != null) {
        throw new IllegalArgumentException("column '" + c.name() + "' appears twice");
      }
    }
    this.rows = n;
  }

  public int rowCount() {
    return rows;
  }

  public List<Column> columns() {
    return columns;
  }

  public List<String> names() {
    return columns.stream().map(Column::name).toList();
  }

  public Optional<Column> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Column column(String name) {
    Column c = byName.get(name);
    if (c == null) {
      throw new IllegalArgumentException("no column '" + name + "'; columns are " + names());
    }
    return c;
  }

  /** The rows at the given indices, in that order. */
  public Frame take(int[] rowIndices) {
    List<Column> out = new ArrayList<>(columns.size());
    for (Column c : columns) {
      out.add(c.take(rowIndices));
    }
    return new Frame(out);
  }

  /**
   * This frame's rows followed by {@code other}'s. Both must have the same column names, in the
   * same order, with the same types: concatenation never converts a value.
   *
   * @throws IllegalArgumentException when the columns differ, naming the first difference
   */
  public Frame concat(Frame other) {
    if (!names().equals(other.names())) {
      throw new IllegalArgumentException(
          "cannot concatenate frames with columns " + names() + " and " + other.names());
    }
    List<Column> out = new ArrayList<>(columns.size());
    for (int c = 0; c < columns.size(); c++) {
      Column a = columns.get(c);
      Column b = other.columns.get(c);
      out.add(
          switch (a) {
            case NumericColumn n when b instanceof NumericColumn m -> {
              double[] v = java.util.Arrays.copyOf(n.values(), n.size() + m.size());
              System.arraycopy(m.values(), 0, v, n.size(), m.size());
              yield new NumericColumn(a.name(), v);
            }
            case CategoricalColumn n when b instanceof CategoricalColumn m -> {
              String[] v = java.util.Arrays.copyOf(n.values(), n.size() + m.size());
              System.arraycopy(m.values(), 0, v, n.size(), m.size());
              yield new CategoricalColumn(a.name(), v);
            }
            default ->
                throw new IllegalArgumentException(
                    "cannot concatenate column '"
                        + a.name()
                        + "': it is "
                        + a.type().specName()
                        + " in one frame and "
                        + b.type().specName()
                        + " in the other");
          });
    }
    return new Frame(out);
  }

  /** This frame without the named column. */
  public Frame drop(String name) {
    return new Frame(columns.stream().filter(c -> !c.name().equals(name)).toList());
  }

  /** One row as a map from column name to value ({@code Double}, {@code String} or null). */
  public Map<String, Object> row(int i) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Column c : columns) {
      out.put(c.name(), c.value(i));
    }
    return out;
  }

  /** Canonical text of one row: stable across runs, used for row hashes and duplicates. */
  public String canonicalRow(int i) {
    StringBuilder sb = new StringBuilder();
    for (Column c : columns) {
      sb.append(c.name()).append('=').append(c.canonical(i)).append('\u001f');
    }
    return sb.toString();
  }

  /** A SHA-256 of the column names, types and every value, as {@code sha256:<hex>}. */
  public String contentHash() {
    MessageDigest digest = sha256();
    for (Column c : columns) {
      digest.update(
          (c.name() + ":" + c.type().specName() + "\u001e").getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < rows; i++) {
      digest.update(canonicalRow(i).getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
