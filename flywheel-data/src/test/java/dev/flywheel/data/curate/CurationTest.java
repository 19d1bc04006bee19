package dev.flywheel.data.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
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
}
