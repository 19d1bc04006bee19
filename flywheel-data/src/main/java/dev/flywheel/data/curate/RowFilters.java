package dev.flywheel.data.curate;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.expr.BoundExpression;
import dev.flywheel.core.expr.Expression;
import dev.flywheel.core.expr.ValueType;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.RowFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the spec's row filters ({@code clean.filter}) to a training run's rows: a row stays when
 * every filter is true for it; false or missing (such as {@code age >= 18} for a row without an
 * age) drops it. Filters run in training only (DESIGN rule 1): the server never drops a request.
 */
public final class RowFilters {

  private RowFilters() {}

  /**
   * The outcome.
   *
   * @param frame the rows kept, in their original order
   * @param removed rows dropped by each filter, in spec order; a row counts against the first
   *     filter that drops it
   */
  public record Result(Frame frame, List<Integer> removed) {
    public Result {
      removed = List.copyOf(removed);
    }

    /** Rows dropped by all filters together. */
    public int total() {
      return removed.stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * @throws BadInputException when a filter names a column the data lacks, compares the wrong
   *     types, or gives a number instead of true/false; the message names the spec line
   */
  public static Result apply(Frame raw, List<RowFilter> filters) {
    if (filters.isEmpty()) {
      return new Result(raw, List.of());
    }
    Map<String, ValueType> types = new LinkedHashMap<>();
    Map<String, Column> columns = new LinkedHashMap<>();
    for (Column c : raw.columns()) {
      types.put(
          c.name(),
          switch (c) {
            case NumericColumn n -> ValueType.NUMBER;
            case CategoricalColumn t -> ValueType.TEXT;
          });
      columns.put(c.name(), c);
    }
    List<BoundExpression> bound = new ArrayList<>();
    for (RowFilter f : filters) {
      BoundExpression e;
      try {
        e = Expression.parse(f.expression()).bind(types);
      } catch (BadInputException ex) {
        throw new BadInputException(f.where() + ": " + ex.getMessage(), ex);
      }
      if (e.type() != ValueType.BOOLEAN) {
        throw new BadInputException(
            f.where()
                + ": filter '"
                + f.expression()
                + "' gives "
                + (e.type() == ValueType.TEXT ? "text" : "a number")
                + ", not true/false; write a condition such as age >= 18 or country == 'US'.");
      }
      bound.add(e);
    }
    int[] removed = new int[filters.size()];
    int[] keep = new int[raw.rowCount()];
    int kept = 0;
    for (int r = 0; r < raw.rowCount(); r++) {
      int row = r;
      boolean stays = true;
      for (int f = 0; f < bound.size(); f++) {
        if (!bound.get(f).test(name -> columns.get(name).value(row))) {
          removed[f]++;
          stays = false;
          break;
        }
      }
      if (stays) {
        keep[kept++] = r;
      }
    }
    List<Integer> counts = Arrays.stream(removed).boxed().toList();
    return new Result(kept == raw.rowCount() ? raw : raw.take(Arrays.copyOf(keep, kept)), counts);
  }
}
