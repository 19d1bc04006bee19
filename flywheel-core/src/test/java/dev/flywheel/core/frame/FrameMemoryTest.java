package dev.flywheel.core.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's memory goal: in memory, a 1M × 10 numeric frame takes at most 2× the size of its raw
 * doubles, with no lossy storage. The size is counted from the arrays the frame holds ({@link
 * Frame#estimatedBytes}); the peak heap of the building path is measured in
 * benchmarks/frame-memory.
 */
class FrameMemoryTest {

  private static final int ROWS = 1_000_000;
  private static final int COLUMNS = 10;

  @Test
  void aMillionByTenNumericFrameTakesAtMostTwiceItsRawDoublesAndKeepsEveryValue() {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < COLUMNS; c++) {
      names.add("x" + c);
    }
    FrameBuilder builder = new FrameBuilder(names);
    SplittableRandom random = new SplittableRandom(42);
    String[] row = new String[COLUMNS];
    // Spot checks: one value per column at a few rows, compared exactly after building.
    double[][] expected = new double[COLUMNS][ROWS / 99_991 + 1];
    for (int r = 0; r < ROWS; r++) {
      for (int c = 0; c < COLUMNS; c++) {
        double v = random.nextDouble(-1000, 1000);
        // As Java prints doubles, as integers, and with fixed decimals (trailing zeros are not
        // canonical, which must not cost text in the frame).
        row[c] =
            c == 9 && r % 100 == 0
                ? ""
                : c == 0
                    ? Double.toString(v)
                    : c % 2 == 0 ? Long.toString((long) v) : fourDecimals(v);
        if (r % 99_991 == 0) {
          expected[c][r / 99_991] = row[c].isEmpty() ? Double.NaN : Double.parseDouble(row[c]);
        }
      }
      builder.add(row);
    }

    Frame frame = builder.build(Map.of());

    long raw = 8L * ROWS * COLUMNS;
    assertThat(frame.rowCount()).isEqualTo(ROWS);
    assertThat(frame.columns()).allMatch(c -> c instanceof NumericColumn);
    assertThat(frame.estimatedBytes()).isBetween(raw, 2 * raw);
    for (int c = 0; c < COLUMNS; c++) {
      NumericColumn column = (NumericColumn) frame.column("x" + c);
      for (int k = 0; k < expected[c].length; k++) {
        assertThat(Double.valueOf(column.get(k * 99_991)))
            .isEqualTo(Double.valueOf(expected[c][k]));
      }
    }
    assertThat(frame.column("x9").isMissing(100)).isTrue();
  }

  /** Like {@code %.4f}, several times faster than String.format. */
  private static String fourDecimals(double v) {
    long scaled = Math.round(Math.abs(v) * 10_000);
    String fraction = Long.toString(10_000 + scaled % 10_000).substring(1);
    return (v < 0 && scaled != 0 ? "-" : "") + scaled / 10_000 + "." + fraction;
  }
}
