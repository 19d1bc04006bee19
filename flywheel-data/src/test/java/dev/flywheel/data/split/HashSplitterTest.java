package dev.flywheel.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.SplitSpec;
import dev.flywheel.data.split.HashSplitter.Part;
import dev.flywheel.data.split.HashSplitter.Splits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HashSplitterTest {

  private static final SplitSpec SPEC = SplitSpec.DEFAULT;

  /** Rows {@code from..to-1}: an id, a derived number and a label. */
  private static Frame rows(int from, int to) {
    int n = to - from;
    double[] id = new double[n];
    double[] x = new double[n];
    String[] label = new String[n];
    for (int i = 0; i < n; i++) {
      id[i] = from + i;
      x[i] = Math.sin(from + i) * 100;
      label[i] = (from + i) % 3 == 0 ? "yes" : "no";
    }
    return new Frame(
        List.of(
            new NumericColumn("id", id),
            new NumericColumn("x", x),
            new CategoricalColumn("label", label)));
  }

  private static Map<String, Part> partsByRow(Frame f, Splits s) {
    Map<String, Part> out = new HashMap<>();
    for (int i : s.train()) {
      out.put(f.canonicalRow(i), Part.TRAIN);
    }
    for (int i : s.validation()) {
      out.put(f.canonicalRow(i), Part.VALIDATION);
    }
    for (int i : s.test()) {
      out.put(f.canonicalRow(i), Part.TEST);
    }
    return out;
  }

  @Test
  void sharesMatchTheSpecOnTenThousandRows() {
    Splits s = HashSplitter.split(rows(0, 10_000), SPEC);

    assertThat(s.test().length / 10_000.0).isCloseTo(0.15, within(0.02));
    assertThat(s.validation().length / 10_000.0).isCloseTo(0.15, within(0.02));
    assertThat(s.train().length / 10_000.0).isCloseTo(0.70, within(0.02));
  }

  @Test
  void sharesFollowOtherSettings() {
    Splits s = HashSplitter.split(rows(0, 10_000), new SplitSpec(0.3, 0.1, 7, "hash", false));

    assertThat(s.validation().length / 10_000.0).isCloseTo(0.30, within(0.02));
    assertThat(s.test().length / 10_000.0).isCloseTo(0.10, within(0.02));
  }

  @Test
  void everyRowLandsInExactlyOnePartInAscendingOrder() {
    Frame f = rows(0, 2_000);

    Splits s = HashSplitter.split(f, SPEC);

    List<Integer> all = new ArrayList<>();
    for (int[] part : List.of(s.train(), s.validation(), s.test())) {
      assertThat(part).isSorted();
      IntStream.of(part).forEach(all::add);
    }
    Collections.sort(all);
    assertThat(all).containsExactlyElementsOf(IntStream.range(0, 2_000).boxed().toList());
  }

  @Test
  void isDeterministic() {
    Splits a = HashSplitter.split(rows(0, 3_000), SPEC);
    Splits b = HashSplitter.split(rows(0, 3_000), SPEC);

    assertThat(b.train()).isEqualTo(a.train());
    assertThat(b.validation()).isEqualTo(a.validation());
    assertThat(b.test()).isEqualTo(a.test());
  }

  @Test
  void aRowKeepsItsSplitWhenMoreRowsAreAddedInAnyOrder() {
    Frame before = rows(0, 5_000);
    Map<String, Part> old = partsByRow(before, HashSplitter.split(before, SPEC));

    // The grown data set: the old rows plus 5000 new ones, shuffled.
    Frame grown = rows(0, 10_000);
    List<Integer> order = new ArrayList<>(IntStream.range(0, 10_000).boxed().toList());
    Collections.shuffle(order, new Random(3));
    Frame shuffled = grown.take(order.stream().mapToInt(Integer::intValue).toArray());
    Map<String, Part> now = partsByRow(shuffled, HashSplitter.split(shuffled, SPEC));

    assertThat(now).hasSize(10_000);
    old.forEach((row, part) -> assertThat(now.get(row)).as(row).isEqualTo(part));
  }

  @Test
  void theSplitOfARowDependsOnlyOnSeedSharesAndContent() {
    Frame f = rows(0, 1_000);
    Splits s = HashSplitter.split(f, SPEC);

    for (int i : s.test()) {
      assertThat(HashSplitter.assign(f.canonicalRow(i), SPEC)).isEqualTo(Part.TEST);
    }
    for (int i : s.validation()) {
      assertThat(HashSplitter.assign(f.canonicalRow(i), SPEC)).isEqualTo(Part.VALIDATION);
    }
    // The same row alone in a frame of one gets the same part.
    int row = s.validation()[0];
    Splits alone = HashSplitter.split(f.take(new int[] {row}), SPEC);
    assertThat(alone.validation()).containsExactly(0);
  }

  @Test
  void aDifferentSeedGivesADifferentSplit() {
    Frame f = rows(0, 5_000);
    Map<String, Part> a = partsByRow(f, HashSplitter.split(f, SPEC));
    Map<String, Part> b =
        partsByRow(f, HashSplitter.split(f, new SplitSpec(0.15, 0.15, 43, "hash", true)));

    long moved = a.keySet().stream().filter(row -> a.get(row) != b.get(row)).count();

    // Independent splits with shares .7/.15/.15 disagree on 1 - (.49 + .0225 + .0225) = 46.5%.
    assertThat(moved / 5_000.0).isCloseTo(0.465, within(0.05));
  }

  @Test
  void unitValuesAreSpreadOverZeroToOne() {
    double[] u =
        IntStream.range(0, 10_000).mapToDouble(i -> HashSplitter.unit("row " + i, 42)).toArray();

    assertThat(Arrays.stream(u).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
    assertThat(Arrays.stream(u).max().orElseThrow()).isLessThan(1.0);
    assertThat(IntStream.range(0, 10_000).filter(i -> u[i] < 0.5).count() / 10_000.0)
        .isCloseTo(0.5, within(0.02));
  }

  @Test
  void unitValueIsAFixedFunctionOfSeedAndRow() {
    // Golden values (computed independently: the first 53 bits of SHA-256 of the seed as 8
    // big-endian bytes followed by the row's UTF-8). A change here would move rows between splits
    // for every existing model, and later gates could no longer tell which rows a model saw.
    assertThat(HashSplitter.unit("id=1\u001f", 42)).isEqualTo(0.45370936700426);
    assertThat(HashSplitter.unit("x=2.5\u001fc=a\u001f", 7)).isEqualTo(0.8553981430443787);
  }
}
