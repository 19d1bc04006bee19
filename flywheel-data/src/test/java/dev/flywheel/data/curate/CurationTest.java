package dev.flywheel.data.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.CleanSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurationTest {

  private static Frame frame(double[] x, String[] note, String[] label) {
    return new Frame(
        List.of(
            new NumericColumn("x", x),
            new CategoricalColumn("note", note),
            new CategoricalColumn("label", label)));
  }

  @Test
  void dropsRowsWithoutATargetAndCountsThem() {
    Frame raw =
        frame(
            new double[] {1, 2, 3, 4},
            new String[] {"a", "b", "c", "d"},
            new String[] {"yes", null, "no", null});

    Curation.Result r = Curation.curate(raw, "label");

    assertThat(r.missingTarget()).isEqualTo(2);
    assertThat(r.duplicates()).isZero();
    assertThat(((NumericColumn) r.frame().column("x")).values()).containsExactly(1.0, 3.0);
  }

  @Test
  void dropsExactDuplicatesKeepingTheFirstAndCountsThem() {
    Frame raw =
        frame(
            new double[] {1, 2, 1, 1, 2, Double.NaN, Double.NaN},
            new String[] {"a", "b", "a", "a", "b", null, null},
            new String[] {"yes", "no", "yes", "no", "no", "yes", "yes"});

    Curation.Result r = Curation.curate(raw, "label");

    // Rows 2 and 4 copy rows 0 and 1; row 3 differs in its label; row 6 copies row 5 (missing
    // values count as equal).
    assertThat(r.duplicates()).isEqualTo(3);
    assertThat(r.missingTarget()).isZero();
    assertThat(r.frame().rowCount()).isEqualTo(4);
    assertThat(r.frame().row(0)).containsEntry("x", 1.0).containsEntry("label", "yes");
    assertThat(r.frame().row(1)).containsEntry("x", 2.0);
    assertThat(r.frame().row(2)).containsEntry("x", 1.0).containsEntry("label", "no");
    assertThat(r.frame().row(3)).containsEntry("x", null).containsEntry("note", null);
  }

  @Test
  void countsARowWithoutTargetOnlyAsMissingEvenWhenItIsAlsoADuplicate() {
    Frame raw =
        frame(new double[] {1, 1, 1}, new String[] {"a", "a", "a"}, new String[] {null, null, "y"});

    Curation.Result r = Curation.curate(raw, "label");

    assertThat(r.missingTarget()).isEqualTo(2);
    assertThat(r.duplicates()).isZero();
    assertThat(r.frame().rowCount()).isEqualTo(1);
  }

  @Test
  void keepsTheOriginalRowOrder() {
    Frame raw =
        frame(
            new double[] {5, 3, 9, 3, 1},
            new String[] {"e", "c", "i", "c", "a"},
            new String[] {"p", "q", "r", "q", "s"});

    Curation.Result r = Curation.curate(raw, "label");

    assertThat(((NumericColumn) r.frame().column("x")).values()).containsExactly(5, 3, 9, 1);
    assertThat(r.frame().names()).containsExactly("x", "note", "label");
  }

  @Test
  void treatsNumbersWrittenDifferentlyAsTheSameValue() {
    Frame raw = frame(new double[] {0.5, 5e-1}, new String[] {"a", "a"}, new String[] {"y", "y"});

    assertThat(Curation.curate(raw, "label").duplicates()).isEqualTo(1);
  }

  @Test
  void dropsRowsWithAMissingNumericTarget() {
    Frame raw =
        new Frame(
            List.of(
                new NumericColumn("x", new double[] {1, 2, 3}),
                new NumericColumn("y", new double[] {10, Double.NaN, 30})));

    Curation.Result r = Curation.curate(raw, "y");

    assertThat(r.missingTarget()).isEqualTo(1);
    assertThat(((NumericColumn) r.frame().column("y")).values()).containsExactly(10, 30);
  }

  @Test
  void namesTheColumnsWhenTheTargetIsAbsent() {
    Frame raw = frame(new double[] {1}, new String[] {"a"}, new String[] {"y"});

    assertThatThrownBy(() -> Curation.curate(raw, "price"))
        .hasMessageContaining("'price'")
        .hasMessageContaining("[x, note, label]");
  }

  private static final Frame CUSTOMERS =
      frame(
          new double[] {1, 1, 2, 3, 1, 2},
          new String[] {"a", "a", "b", "c", "z", "b"},
          new String[] {"yes", "yes", "no", null, "no", "no"});

  @Test
  void dedupesOnAKeyKeepingTheFirstRowOfEachKey() {
    // Key x: rows 0, 1, 4 share x=1 and rows 2, 5 share x=2; row 3 has no target.
    CleanSpec byX = new CleanSpec(new CleanSpec.Dedupe.Key(List.of("x")), true, null, null);
    Curation.Result r = Curation.curate(CUSTOMERS, "label", byX);
    assertThat(r.missingTarget()).isEqualTo(1);
    assertThat(r.duplicates()).isEqualTo(3);
    assertThat(((CategoricalColumn) r.frame().column("note")).values()).containsExactly("a", "b");
  }

  @Test
  void keepsDuplicatesWhenDedupeIsOff() {
    CleanSpec off = new CleanSpec(new CleanSpec.Dedupe.Off(), true, null, null);
    Curation.Result r = Curation.curate(CUSTOMERS, "label", off);
    assertThat(r.duplicates()).isZero();
    assertThat(r.frame().rowCount()).isEqualTo(5);
    // The default drops the exact copies: rows 1 (of 0) and 5 (of 2).
    assertThat(Curation.curate(CUSTOMERS, "label").duplicates()).isEqualTo(2);
  }

  @Test
  void aMissingTargetStopsTheRunWhenItMayNotBeDropped() {
    CleanSpec strict = new CleanSpec(new CleanSpec.Dedupe.FullRow(), false, null, null);
    assertThatThrownBy(() -> Curation.curate(CUSTOMERS, "label", strict))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'label' has no value in row 4")
        .hasMessageContaining("clean.drop_missing_target");
  }

  @Test
  void namesTheDedupeKeyWhenItIsNotAColumn() {
    CleanSpec byId = new CleanSpec(new CleanSpec.Dedupe.Key(List.of("id")), true, null, null);
    assertThatThrownBy(() -> Curation.curate(CUSTOMERS, "label", byId))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("clean.dedupe.key: 'id' is not a column")
        .hasMessageContaining("x, note, label");
  }
}
