package dev.flywheel.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.SplitSpec;
import dev.flywheel.data.split.HashSplitter.Part;
import dev.flywheel.data.split.HashSplitter.Splits;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SplitterTest {

  private static SplitSpec spec(String method, long seed, String column, boolean stratify) {
    return new SplitSpec(0.2, 0.1, seed, method, stratify, column, 0);
  }

  /** Rows with an id, a customer (group), a time, a numeric time and a skewed label. */
  private static Frame rows(int from, int to, long dataSeed) {
    Random r = new Random(dataSeed);
    int n = to - from;
    double[] id = new double[n];
    String[] customer = new String[n];
    double[] ts = new double[n];
    String[] label = new String[n];
    for (int i = 0; i < n; i++) {
      id[i] = from + i;
      customer[i] = "c" + r.nextInt(120);
      // Few distinct times, so many ties land on the boundaries.
      ts[i] = r.nextInt(40);
      int u = r.nextInt(100);
      label[i] = u < 70 ? "a" : u < 95 ? "b" : "c";
    }
    return new Frame(
        List.of(
            new NumericColumn("id", id),
            new CategoricalColumn("customer", customer),
            new NumericColumn("ts", ts),
            new CategoricalColumn("label", label)));
  }

  private static Part[] parts(int n, Splits s) {
    Part[] out = new Part[n];
    for (int i : s.train()) {
      out[i] = Part.TRAIN;
    }
    for (int i : s.validation()) {
      out[i] = Part.VALIDATION;
    }
    for (int i : s.test()) {
      out[i] = Part.TEST;
    }
    return out;
  }

  private static void assertPartition(int n, Splits s) {
    int[] all =
        java.util.stream.IntStream.concat(
                java.util.stream.IntStream.concat(
                    Arrays.stream(s.train()), Arrays.stream(s.validation())),
                Arrays.stream(s.test()))
            .sorted()
            .toArray();
    assertThat(all).containsExactly(java.util.stream.IntStream.range(0, n).toArray());
  }

  // ---- group

  @Test
  void noGroupAppearsInTwoSplits() {
    for (long seed = 1; seed <= 5; seed++) {
      Frame f = rows(0, 3000, seed);
      Splits s = Splitter.split(f, spec("group", seed, "customer", true), "label");
      assertPartition(3000, s);
      Part[] parts = parts(3000, s);
      CategoricalColumn customer = (CategoricalColumn) f.column("customer");
      Map<String, Part> groupPart = new HashMap<>();
      for (int i = 0; i < 3000; i++) {
        Part before = groupPart.putIfAbsent(customer.get(i), parts[i]);
        assertThat(before == null || before == parts[i])
            .as("customer %s is in %s and %s", customer.get(i), before, parts[i])
            .isTrue();
      }
      // All three splits are used: 120 groups hashed at 20% / 10%.
      assertThat(new HashSet<>(groupPart.values())).hasSize(3);
    }
  }

  @Test
  void aGroupKeepsItsSplitAsTheDataGrows() {
    SplitSpec spec = spec("group", 42, "customer", true);
    Frame before = rows(0, 1000, 7);
    Frame after = before.concat(rows(1000, 2500, 8));
    Part[] old = parts(1000, Splitter.split(before, spec, "label"));
    Part[] now = parts(2500, Splitter.split(after, spec, "label"));
    assertThat(Arrays.copyOf(now, 1000)).containsExactly(old);
  }

  @Test
  void aGroupIdReadAsANumberOrAsTextHashesAlike() {
    SplitSpec spec = spec("group", 42, "g", false);
    Frame numbers = new Frame(List.of(new NumericColumn("g", new double[] {7, 8, 9, 10})));
    Frame texts =
        new Frame(List.of(new CategoricalColumn("g", new String[] {"7", "8", "9", "10"})));
    assertThat(parts(4, Splitter.split(numbers, spec, null)))
        .containsExactly(parts(4, Splitter.split(texts, spec, null)));
  }

  @Test
  void groupSplitsAreReplayableRowByRow() {
    SplitSpec spec = spec("group", 3, "customer", true);
    Frame f = rows(0, 500, 3);
    Part[] parts = parts(500, Splitter.split(f, spec, "label"));
    assertThat(Splitter.replayable(spec)).isTrue();
    for (int i = 0; i < 500; i++) {
      assertThat(Splitter.replay(f, i, spec)).isEqualTo(parts[i]);
    }
    assertThat(Splitter.replayable(spec("random", 3, null, true))).isFalse();
    assertThat(Splitter.replayable(spec("time", 3, "ts", true))).isFalse();
    assertThat(Splitter.replayable(SplitSpec.DEFAULT)).isTrue();
  }

  @Test
  void rowsWithoutAGroupAreSplitByTheirOwnHash() {
    SplitSpec spec = spec("group", 42, "g", false);
    Frame f =
        new Frame(
            List.of(
                new CategoricalColumn("g", new String[] {null, null}),
                new NumericColumn("x", new double[] {1, 2})));
    Part[] parts = parts(2, Splitter.split(f, spec, null));
    assertThat(parts[0]).isEqualTo(HashSplitter.assign(f.canonicalRow(0), spec));
    assertThat(parts[1]).isEqualTo(HashSplitter.assign(f.canonicalRow(1), spec));
  }

  // ---- time

  @Test
  void timeSplitPutsOlderRowsInTrainAndTiesAtABoundaryInTheLaterSplit() {
    // Ten rows, given newest first; times 1..9 with 6 twice. 20% test = 2 rows, 20% validation =
    // 2 rows. By position in time order: train 0-5, validation 6-7, test 8-9. Position 6 has time
    // 6, and so has position 5, which therefore moves to validation.
    double[] ts = {9, 8, 7, 6, 6, 5, 4, 3, 2, 1};
    Frame f = new Frame(List.of(new NumericColumn("ts", ts)));
    Splits s = Splitter.split(f, new SplitSpec(0.2, 0.2, 1, "time", false, "ts", 0), null);
    assertThat(s.test()).containsExactly(0, 1);
    assertThat(s.validation()).containsExactly(2, 3, 4);
    assertThat(s.train()).containsExactly(5, 6, 7, 8, 9);
  }

  @Test
  void timeSplitReadsIsoTextWithOffsetsDatesAndLocalTimes() {
    // In UTC: row 0 is 2024-01-02T10:00Z, row 1 the same instant written with +02:00, row 2
    // 2024-01-01 (midnight), row 3 2024-01-03T00:00 (midnight), row 4 2024-01-02T09:59:59.
    String[] ts = {
      "2024-01-02T10:00:00Z",
      "2024-01-02T12:00:00+02:00",
      "2024-01-01",
      "2024-01-03T00:00:00",
      "2024-01-02T09:59:59",
    };
    Frame f = new Frame(List.of(new CategoricalColumn("ts", ts)));
    // 5 rows: test round(1.0) = 1 row, validation round(1.0) = 1 row, train 3.
    // Time order: 2, 4, {0, 1}, 3. Validation's first row ties with row 0/1: both join it.
    Splits s = Splitter.split(f, new SplitSpec(0.2, 0.2, 1, "time", false, "ts", 0), null);
    assertThat(s.test()).containsExactly(3);
    assertThat(s.validation()).containsExactly(0, 1);
    assertThat(s.train()).containsExactly(2, 4);
  }

  @Test
  void everyTrainTimeIsBeforeEveryValidationTimeWhichIsBeforeEveryTestTime() {
    for (long seed = 1; seed <= 20; seed++) {
      Frame f = rows(0, 50 + (int) seed * 37, seed);
      int n = f.rowCount();
      Splits s = Splitter.split(f, spec("time", seed, "ts", true), "label");
      assertPartition(n, s);
      double[] ts = ((NumericColumn) f.column("ts")).values();
      double trainMax = Arrays.stream(s.train()).mapToDouble(i -> ts[i]).max().orElse(-1);
      double validationMin =
          Arrays.stream(s.validation()).mapToDouble(i -> ts[i]).min().orElse(1e9);
      double validationMax = Arrays.stream(s.validation()).mapToDouble(i -> ts[i]).max().orElse(-1);
      double testMin = Arrays.stream(s.test()).mapToDouble(i -> ts[i]).min().orElse(1e9);
      // Ties go to the later split, so the order is strict.
      assertThat(trainMax).isLessThan(validationMin);
      assertThat(trainMax).isLessThan(testMin);
      assertThat(validationMax).isLessThan(testMin);
    }
  }

  @Test
  void timeSplitNamesTheColumnWhenItIsAbsentEmptyOrNotATime() {
    Frame f =
        new Frame(
            List.of(
                new CategoricalColumn("when", new String[] {"2024-01-01", "last tuesday", null}),
                new NumericColumn("x", new double[] {1, Double.NaN, 3})));
    assertThatThrownBy(
            () -> Splitter.split(f, new SplitSpec(0.2, 0.2, 1, "time", false, "ts", 0), null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("split.column: 'ts' is not a column")
        .hasMessageContaining("when, x");
    assertThatThrownBy(
            () -> Splitter.split(f, new SplitSpec(0.2, 0.2, 1, "time", false, "x", 0), null))
        .hasMessageContaining("'x' has no value in 1 row(s) (the first is curated row 2)");
    assertThatThrownBy(
            () ->
                Splitter.split(
                    f.take(new int[] {0, 1}),
                    new SplitSpec(0.2, 0.2, 1, "time", false, "when", 0),
                    null))
        .hasMessageContaining("holds 'last tuesday' in curated row 2, which is not a time")
        .hasMessageContaining("ISO-8601");
  }

  // ---- stratified and random

  @Test
  void stratifiedKeepsEveryClassShareWithinOneRow() {
    for (long seed = 1; seed <= 10; seed++) {
      Frame f = rows(0, 200 + (int) seed * 53, seed);
      int n = f.rowCount();
      SplitSpec spec = spec("stratified", seed, null, false);
      Splits s = Splitter.split(f, spec, "label");
      assertPartition(n, s);
      String[] label = ((CategoricalColumn) f.column("label")).values();
      Map<String, Integer> total = count(label, java.util.stream.IntStream.range(0, n).toArray());
      Map<String, Integer> test = count(label, s.test());
      Map<String, Integer> validation = count(label, s.validation());
      Map<String, Integer> train = count(label, s.train());
      for (String c : total.keySet()) {
        int t = total.get(c);
        assertThat(Math.abs(test.getOrDefault(c, 0) - t * 0.1)).isLessThanOrEqualTo(1.0);
        assertThat(Math.abs(validation.getOrDefault(c, 0) - t * 0.2)).isLessThanOrEqualTo(1.0);
        assertThat(Math.abs(train.getOrDefault(c, 0) - t * 0.7)).isLessThanOrEqualTo(1.0);
      }
    }
  }

  @Test
  void stratifiedCountsAreRoundedSharesOfEachClass() {
    // 10 of class a, 5 of class b; test 0.2 → a 2, b 1; validation 0.2 → a 2, b 1.
    String[] label = new String[15];
    Arrays.fill(label, 0, 10, "a");
    Arrays.fill(label, 10, 15, "b");
    Frame f = new Frame(List.of(new CategoricalColumn("y", label)));
    Splits s = Splitter.split(f, new SplitSpec(0.2, 0.2, 9, "stratified", true, null, 0), "y");
    assertThat(count(label, s.test())).isEqualTo(Map.of("a", 2, "b", 1));
    assertThat(count(label, s.validation())).isEqualTo(Map.of("a", 2, "b", 1));
    assertThat(count(label, s.train())).isEqualTo(Map.of("a", 6, "b", 3));
  }

  @Test
  void randomWithStratifyOnAClassTargetIsStratified() {
    Frame f = rows(0, 700, 5);
    assertThat(parts(700, Splitter.split(f, spec("random", 11, null, true), "label")))
        .containsExactly(
            parts(700, Splitter.split(f, spec("stratified", 11, null, true), "label")));
  }

  @Test
  void seededRandomIsReproducibleExactInSizeAndDiffersBetweenSeeds() {
    Frame f = rows(0, 1000, 5);
    Splits a = Splitter.split(f, spec("random", 1, null, false), "label");
    Splits b = Splitter.split(f, spec("random", 1, null, false), "label");
    Splits c = Splitter.split(f, spec("random", 2, null, false), "label");
    assertPartition(1000, a);
    assertThat(parts(1000, a)).containsExactly(parts(1000, b));
    assertThat(parts(1000, a)).isNotEqualTo(parts(1000, c));
    assertThat(a.test()).hasSize(100);
    assertThat(a.validation()).hasSize(200);
    assertThat(a.train()).hasSize(700);
    // A numeric (regression) target is split plainly even with stratify on.
    assertThat(parts(1000, Splitter.split(f, spec("random", 1, null, true), "id")))
        .containsExactly(parts(1000, a));
  }

  @Test
  void stratifiedNeedsAClassTarget() {
    Frame f = rows(0, 50, 5);
    assertThatThrownBy(() -> Splitter.split(f, spec("stratified", 1, null, true), "id"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("target 'id' is not a column of classes");
  }

  // ---- hash

  @Test
  void hashMethodIsTheHashSplitterAndStableUnderGrowth() {
    SplitSpec spec = spec("hash", 42, null, true);
    Frame before = rows(0, 1000, 1);
    Frame after = before.concat(rows(1000, 3000, 2));
    Part[] old = parts(1000, Splitter.split(before, spec, "label"));
    Part[] now = parts(3000, Splitter.split(after, spec, "label"));
    assertThat(Arrays.copyOf(now, 1000)).containsExactly(old);
    Splits direct = HashSplitter.split(after, spec);
    assertThat(now).containsExactly(parts(3000, direct));
  }

  // ---- folds

  @Test
  void foldsFollowTheSplitMethod() {
    Frame f = rows(0, 600, 4);
    SplitSpec grouped = new SplitSpec(0.2, 0.1, 4, "group", true, "customer", 5);
    int[] fold = Splitter.folds(f, grouped, "label");
    CategoricalColumn customer = (CategoricalColumn) f.column("customer");
    Map<String, Set<Integer>> foldsOfGroup = new TreeMap<>();
    for (int i = 0; i < 600; i++) {
      foldsOfGroup.computeIfAbsent(customer.get(i), k -> new HashSet<>()).add(fold[i]);
    }
    assertThat(foldsOfGroup.values()).allSatisfy(s -> assertThat(s).hasSize(1));

    SplitSpec stratified = new SplitSpec(0.2, 0.1, 4, "hash", true, null, 5);
    assertThat(Splitter.folds(f, stratified, "label"))
        .containsExactly(
            KFold.assignStratified(((CategoricalColumn) f.column("label")).values(), 5, 4));
    SplitSpec plain = new SplitSpec(0.2, 0.1, 4, "hash", false, null, 5);
    assertThat(Splitter.folds(f, plain, "label")).containsExactly(KFold.assign(600, 5, 4));
  }

  private static Map<String, Integer> count(String[] label, int[] rows) {
    Map<String, Integer> out = new TreeMap<>();
    for (int i : rows) {
      out.merge(label[i], 1, Integer::sum);
    }
    return out;
  }
}
