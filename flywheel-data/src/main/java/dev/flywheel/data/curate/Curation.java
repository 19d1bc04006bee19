package dev.flywheel.data.curate;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.spec.CleanSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Row cleaning before the split, for training runs only: drop rows without a target, then
 * duplicates (the first copy stays), as {@code clean.drop_missing_target} and {@code clean.dedupe}
 * say. Serving never cleans rows; it only transforms them. Outliers are removed after the split,
 * from the training rows alone: see {@link Outliers}.
 *
 * <p>Duplicates go before the split because copies of a row could otherwise land in train and in
 * test, and the test score would reward memorising them.
 */
public final class Curation {

  private Curation() {}

  /**
   * The outcome of curation.
   *
   * @param frame the curated rows, in their original order
   * @param missingTarget rows dropped because the target was missing
   * @param duplicates rows dropped as duplicates of an earlier row
   */
  public record Result(Frame frame, int missingTarget, int duplicates) {}

  /** The default cleaning: rows without a target, then exact duplicate rows. */
  public static Result curate(Frame raw, String target) {
    return curate(raw, target, CleanSpec.DEFAULT);
  }

  /**
   * Cleans {@code raw} as {@code clean} says.
   *
   * @throws BadInputException when a dedupe key is not a column, or a target is missing and {@code
   *     drop_missing_target} is false
   */
  public static Result curate(Frame raw, String target, CleanSpec clean) {
    var targetColumn = raw.column(target);
    List<Column> key = keyColumns(raw, clean.dedupe());
    int[] keep = new int[raw.rowCount()];
    int kept = 0;
    int missing = 0;
    int duplicates = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < raw.rowCount(); i++) {
      if (targetColumn.isMissing(i)) {
        if (!clean.dropMissingTarget()) {
          throw new BadInputException(
              "target: '"
                  + target
                  + "' has no value in row "
                  + (i + 1)
                  + " of the collected data, and clean.drop_missing_target is false. Fill the"
                  + " target, or set clean.drop_missing_target: true to drop such rows.");
        }
        missing++;
      } else if (key != null && !seen.add(key.isEmpty() ? raw.canonicalRow(i) : keyText(key, i))) {
        duplicates++;
      } else {
        keep[kept++] = i;
      }
    }
    return new Result(raw.take(Arrays.copyOf(keep, kept)), missing, duplicates);
  }

  /** Null: no dedupe; empty: the full row; else the key columns. */
  private static List<Column> keyColumns(Frame raw, CleanSpec.Dedupe dedupe) {
    return switch (dedupe) {
      case CleanSpec.Dedupe.Off off -> null;
      case CleanSpec.Dedupe.FullRow full -> List.of();
      case CleanSpec.Dedupe.Key k -> {
        List<Column> out = new ArrayList<>();
        for (String name : k.columns()) {
          out.add(
              raw.find(name)
                  .orElseThrow(
                      () ->
                          new BadInputException(
                              "clean.dedupe.key: '"
                                  + name
                                  + "' is not a column of the data; the columns are "
                                  + String.join(", ", raw.names())
                                  + ". Fix clean.dedupe.key in the spec.")));
        }
        yield out;
      }
    };
  }

  private static String keyText(List<Column> key, int i) {
    StringBuilder sb = new StringBuilder();
    for (Column c : key) {
      sb.append(c.canonical(i)).append('\u001f');
    }
    return sb.toString();
  }
}
