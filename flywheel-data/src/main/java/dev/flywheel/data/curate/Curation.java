package dev.flywheel.data.curate;

import dev.flywheel.core.frame.Frame;
import java.util.HashSet;
import java.util.Set;

/**
 * Row cleaning for training runs: drop rows without a target, then exact duplicate rows (the first
 * copy is kept). Serving never cleans rows; it only transforms them.
 */
public final class Curation {

  private Curation() {}

  /**
   * The outcome of curation.
   *
   * @param frame the curated rows, in their original order
   * @param missingTarget rows dropped because the target was missing
   * @param duplicates rows dropped as exact copies of an earlier row
   */
  public record Result(Frame frame, int missingTarget, int duplicates) {}

  public static Result curate(Frame raw, String target) {
    var targetColumn = raw.column(target);
    int[] keep = new int[raw.rowCount()];
    int kept = 0;
    int missing = 0;
    int duplicates = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < raw.rowCount(); i++) {
      if (targetColumn.isMissing(i)) {
        missing++;
      } else if (!seen.add(raw.canonicalRow(i))) {
        duplicates++;
      } else {
        keep[kept++] = i;
      }
    }
    return new Result(raw.take(java.util.Arrays.copyOf(keep, kept)), missing, duplicates);
  }
}
