package dev.flywheel.data.collect;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.SourceSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Combines the frames of several sources (docs/spec.md, "Several sources"): a union stacks rows,
 * matching columns by name; a join matches rows on a key column. Values are never converted: a
 * column that is numeric in one source and text in another is an error naming both, except that a
 * column with no values at all in a source takes the other source's type (inference cannot tell the
 * type of an empty column).
 */
public final class Combiner {

  private Combiner() {}

  /** A frame and the source it came from, for messages. */
  public record Part(String source, Frame frame) {}

  /**
   * Rows of every part, in order; the columns in the order they first appear, a column a part lacks
   * is missing in its rows.
   */
  public static Frame union(List<Part> parts) {
    Map<String, ColumnType> types = new LinkedHashMap<>();
    Map<String, String> typedBy = new HashMap<>();
    for (Part p : parts) {
      for (Column c : p.frame().columns()) {
        if (allMissing(c)) {
          types.putIfAbsent(c.name(), null);
          continue;
        }
        ColumnType seen = types.get(c.name());
        if (seen == null) {
          types.put(c.name(), c.type());
          typedBy.put(c.name(), p.source());
        } else if (seen != c.type()) {
          throw new BadInputException(
              "combine: union: column '"
                  + c.name()
                  + "' is "
                  + seen.specName()
                  + " in "
                  + typedBy.get(c.name())
                  + " but "
                  + c.type().specName()
                  + " in "
                  + p.source()
                  + (c instanceof CategoricalColumn k ? " (such as '" + firstText(k) + "')" : "")
                  + ". Make the column hold the same kind of value in every source (fix or"
                  + " convert it in the source, e.g. CAST in a query), or rename one of them.");
        }
      }
    }
    int rows = parts.stream().mapToInt(p -> p.frame().rowCount()).sum();
    List<Column> out = new ArrayList<>(types.size());
    for (var e : types.entrySet()) {
      String name = e.getKey();
      ColumnType type = e.getValue() == null ? ColumnType.CATEGORICAL : e.getValue();
      if (type == ColumnType.NUMERIC) {
        double[] v = new double[rows];
        int at = 0;
        for (Part p : parts) {
          int n = p.frame().rowCount();
          Column c = p.frame().find(name).orElse(null);
          if (c instanceof NumericColumn num) {
            System.arraycopy(num.values(), 0, v, at, n);
          } else {
            Arrays.fill(v, at, at + n, Double.NaN); // absent, or a column with no values
          }
          at += n;
        }
        out.add(new NumericColumn(name, v));
      } else {
        String[] v = new String[rows];
        int at = 0;
        for (Part p : parts) {
          int n = p.frame().rowCount();
          if (p.frame().find(name).orElse(null) instanceof CategoricalColumn cat) {
            System.arraycopy(cat.values(), 0, v, at, n);
          }
          at += n;
        }
        out.add(new CategoricalColumn(name, v));
      }
    }
    return new Frame(out);
  }

  /**
   * Joins the parts left to right on {@code key}: the first part is the left side, each further
   * part is joined to the result so far. A right part must hold each key at most once (a left part
   * may repeat keys: many orders to one customer). Rows with a missing key never match. Row order
   * is the left side's.
   */
  public static Frame join(List<Part> parts, SourceSpec.Combine.Join join) {
    String key = join.key();
    for (Part p : parts) {
      if (p.frame().find(key).isEmpty()) {
        throw new BadInputException(
            "combine.join: the key column '"
                + key
                + "' is not a column of "
                + p.source()
                + "; its columns are "
                + String.join(", ", p.frame().names())
                + ". Every source needs the key column under the same name.");
      }
    }
    Frame left = parts.get(0).frame();
    String leftName = parts.get(0).source();
    for (int i = 1; i < parts.size(); i++) {
      left = joinTwo(left, leftName, parts.get(i), key, join.how());
      leftName = leftName + " ⋈ " + parts.get(i).source();
    }
    return left;
  }

  private static Frame joinTwo(
      Frame left, String leftName, Part right, String key, SourceSpec.JoinType how) {
    Column lk = left.column(key);
    Column rk = right.frame().column(key);
    if (!allMissing(lk) && !allMissing(rk) && lk.type() != rk.type()) {
      throw new BadInputException(
          "combine.join: the key column '"
              + key
              + "' is "
              + lk.type().specName()
              + " in "
              + leftName
              + " but "
              + rk.type().specName()
              + " in "
              + right.source()
              + ", so no key could match. Make both hold the same kind of value (e.g. CAST in a"
              + " query).");
    }
    for (String name : right.frame().names()) {
      if (!name.equals(key) && left.find(name).isPresent()) {
        throw new BadInputException(
            "combine.join: column '"
                + name
                + "' is in both "
                + leftName
                + " and "
                + right.source()
                + "; a join keeps one column of each name besides the key '"
                + key
                + "'. Leave it out of one source, or give it another name (e.g. AS in a query).");
      }
    }
    Map<String, Integer> index = new HashMap<>();
    for (int r = 0; r < rk.size(); r++) {
      if (rk.isMissing(r)) {
        continue;
      }
      String k = rk.canonical(r);
      Integer before = index.put(k, r);
      if (before != null) {
        throw new BadInputException(
            "combine.join: the key "
                + key
                + " = "
                + display(rk, r)
                + " appears more than once in "
                + right.source()
                + " (rows "
                + (before + 1)
                + " and "
                + (r + 1)
                + "); the right side of a join must hold each key once, or rows would be"
                + " repeated. Remove the duplicates, or aggregate them in the source.");
      }
    }
    int[] leftRows = new int[left.rowCount()];
    int[] rightRows = new int[left.rowCount()];
    int n = 0;
    for (int r = 0; r < left.rowCount(); r++) {
      Integer match = lk.isMissing(r) ? null : index.get(lk.canonical(r));
      if (match == null && how == SourceSpec.JoinType.INNER) {
        continue;
      }
      leftRows[n] = r;
      rightRows[n] = match == null ? -1 : match;
      n++;
    }
    leftRows = Arrays.copyOf(leftRows, n);
    rightRows = Arrays.copyOf(rightRows, n);
    List<Column> out = new ArrayList<>(left.take(leftRows).columns());
    for (Column c : right.frame().columns()) {
      if (!c.name().equals(key)) {
        out.add(takeOrMissing(c, rightRows));
      }
    }
    return new Frame(out);
  }

  /** The column's values at {@code rows}, missing where a row is -1. */
  private static Column takeOrMissing(Column c, int[] rows) {
    return switch (c) {
      case NumericColumn num -> {
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
          v[i] = rows[i] < 0 ? Double.NaN : num.values()[rows[i]];
        }
        yield new NumericColumn(c.name(), v);
      }
      case CategoricalColumn cat -> {
        String[] v = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
          v[i] = rows[i] < 0 ? null : cat.values()[rows[i]];
        }
        yield new CategoricalColumn(c.name(), v);
      }
    };
  }

  static boolean allMissing(Column c) {
    for (int r = 0; r < c.size(); r++) {
      if (!c.isMissing(r)) {
        return false;
      }
    }
    return true;
  }

  private static String firstText(CategoricalColumn c) {
    for (String v : c.values()) {
      if (v != null) {
        return v;
      }
    }
    return "";
  }

  private static String display(Column c, int row) {
    return c instanceof CategoricalColumn ? "'" + c.value(row) + "'" : c.canonical(row);
  }
}
