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

  /**
   * The heap this frame's data takes, in bytes, counted from the arrays it holds: for a numeric
   * column its {@code double[]} (8 bytes a row), for a categorical one its array of references plus
   * each distinct String once. It assumes a 64-bit JVM with compressed references (heaps under 32
   * GB): 16-byte array headers, 4-byte references, 24-byte String objects with a Latin-1 or UTF-16
   * byte array. Small per-object overheads of the frame itself are left out; use a heap profiler
   * when those matter.
   */
  public long estimatedBytes() {
    long total = 0;
    for (Column c : columns) {
      total +=
          switch (c) {
            case NumericColumn n -> ARRAY_HEADER + 8L * n.values().length;
            case CategoricalColumn k -> {
              long bytes = ARRAY_HEADER + 4L * k.values().length;
              java.util.Set<String> seen =
                  java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
              for (String v : k.values()) {
                if (v != null && seen.add(v)) {
                  boolean latin1 = v.chars().allMatch(ch -> ch < 256);
                  bytes += STRING_OBJECT + align(ARRAY_HEADER + (latin1 ? 1L : 2L) * v.length());
                }
              }
              yield bytes;
            }
          };
    }
    return total;
  }

  private static final long ARRAY_HEADER = 16;
  private static final long STRING_OBJECT = 24;

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
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
