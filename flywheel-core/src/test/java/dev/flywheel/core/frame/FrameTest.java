package dev.flywheel.core.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrameTest {

  private static Frame frame(double[] x, String[] c) {
    return new Frame(List.of(new NumericColumn("x", x), new CategoricalColumn("c", c)));
  }

  private static Frame sample() {
    return frame(new double[] {1, 2.5, Double.NaN}, new String[] {"a", null, "b"});
  }

  @Test
  void contentHashIsStableForEqualContent() {
    String h = sample().contentHash();

    assertThat(h).startsWith("sha256:").hasSize("sha256:".length() + 64);
    assertThat(sample().contentHash()).isEqualTo(h);
    assertThat(sample().take(new int[] {0, 1, 2}).contentHash()).isEqualTo(h);
  }

  @Test
  void contentHashIsAFixedValueAcrossRunsAndMachines() {
    // Golden value: the hash is recorded in runs and bundles, so it must never change silently.
    // It is SHA-256 over "name:type\u001e" per column, then "name=value\u001f"... "\n" per row.
    assertThat(sample().contentHash())
        .isEqualTo("sha256:03a4b56037d9de3c5fe238bfdb50b81d7cd97a6d97fb872c3a7310f1b75cacee");
  }

  @Test
  void contentHashChangesWhenAValueChanges() {
    String h = sample().contentHash();

    assertThat(
            frame(new double[] {1, 2.5000001, Double.NaN}, new String[] {"a", null, "b"})
                .contentHash())
        .isNotEqualTo(h);
    assertThat(frame(new double[] {1, 2.5, 0}, new String[] {"a", null, "b"}).contentHash())
        .isNotEqualTo(h);
    assertThat(frame(new double[] {1, 2.5, Double.NaN}, new String[] {"a", "", "b"}).contentHash())
        .isNotEqualTo(h);
  }

  @Test
  void contentHashChangesWithRowOrderColumnNamesTypesAndRowCount() {
    Frame f = sample();
    String h = f.contentHash();

    assertThat(f.take(new int[] {1, 0, 2}).contentHash()).isNotEqualTo(h);
    assertThat(f.take(new int[] {0, 1}).contentHash()).isNotEqualTo(h);
    assertThat(
            new Frame(
                    List.of(
                        new NumericColumn("y", new double[] {1, 2.5, Double.NaN}),
                        new CategoricalColumn("c", new String[] {"a", null, "b"})))
                .contentHash())
        .isNotEqualTo(h);
    Frame numbers = new Frame(List.of(new NumericColumn("x", new double[] {1, 2})));
    Frame texts = new Frame(List.of(new CategoricalColumn("x", new String[] {"1", "2"})));
    assertThat(numbers.contentHash()).isNotEqualTo(texts.contentHash());
  }

  @Test
  void canonicalTextOfNumbersIgnoresHowTheyWereWritten() {
    FrameBuilder a = new FrameBuilder(List.of("x"));
    a.add(new String[] {"1"});
    a.add(new String[] {"0.5"});
    FrameBuilder b = new FrameBuilder(List.of("x"));
    b.add(new String[] {"1.0"});
    b.add(new String[] {"5e-1"});

    assertThat(a.build(java.util.Map.of()).contentHash())
        .isEqualTo(b.build(java.util.Map.of()).contentHash());
  }

  @Test
  void rejectsColumnsOfUnequalLength() {
    assertThatThrownBy(
            () ->
                new Frame(
                    List.of(
                        new NumericColumn("x", new double[] {1, 2}),
                        new CategoricalColumn("c", new String[] {"a"}))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'c' has 1 rows but the frame has 2");
  }

  @Test
  void rejectsDuplicateColumnNames() {
    assertThatThrownBy(
            () ->
                new Frame(
                    List.of(
                        new NumericColumn("x", new double[] {1}),
                        new CategoricalColumn("x", new String[] {"a"}))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x' appears twice");
  }

  @Test
  void dropAndTakeReturnNewFramesWithoutChangingTheOriginal() {
    Frame f = sample();

    Frame dropped = f.drop("c");
    Frame taken = f.take(new int[] {2, 0});

    assertThat(dropped.names()).containsExactly("x");
    assertThat(taken.rowCount()).isEqualTo(2);
    assertThat(taken.row(0)).containsEntry("c", "b");
    assertThat(f.names()).containsExactly("x", "c");
    assertThat(f.rowCount()).isEqualTo(3);
  }

  @Test
  void namesTheKnownColumnsWhenAColumnIsAbsent() {
    assertThatThrownBy(() -> sample().column("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no column 'nope'")
        .hasMessageContaining("[x, c]");
  }

  @Test
  void concatAppendsRowsKeepingTypesAndMissingValues() {
    Frame both = sample().concat(frame(new double[] {7}, new String[] {"z"}));

    assertThat(both.rowCount()).isEqualTo(4);
    assertThat(both.row(2)).containsEntry("x", null).containsEntry("c", "b");
    assertThat(both.row(3)).containsEntry("x", 7.0).containsEntry("c", "z");
    assertThat(both.take(new int[] {0, 1, 2}).contentHash()).isEqualTo(sample().contentHash());
  }

  @Test
  void concatRefusesFramesWhoseColumnsDiffer() {
    Frame swapped =
        new Frame(
            List.of(
                new CategoricalColumn("x", new String[] {"1"}),
                new CategoricalColumn("c", new String[] {"a"})));

    assertThatThrownBy(() -> sample().concat(swapped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 'x'")
        .hasMessageContaining("numeric in one frame and categorical in the other");
    assertThatThrownBy(() -> sample().concat(sample().drop("c")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[x, c] and [x]");
  }
}
