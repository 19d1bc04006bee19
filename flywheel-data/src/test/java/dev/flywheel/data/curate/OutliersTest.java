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

class OutliersTest {

  private static final CleanSpec.Outliers IQR = new CleanSpec.Outliers.Iqr(1.5);

  @Test
  void iqrFencesAreTukeysOnInterpolatedQuartiles() {
    // 1..9 and 100: Q1 at position 2.25 = 3.25, Q3 at 6.75 = 7.75, IQR 4.5, fences
    // 3.25 - 6.75 = -3.5 and 7.75 + 6.75 = 14.5. Only 100 is outside.
    Frame f =
        new Frame(List.of(new NumericColumn("x", new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 100})));
    Outliers.Result r = Outliers.remove(f, IQR, List.of("x"));
    assertThat(r.bounds().get("x")).isEqualTo(new Outliers.Bounds(-3.5, 14.5));
    assertThat(r.removed()).isEqualTo(1);
    assertThat(((NumericColumn) r.frame().column("x")).values())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    // A factor of 25 puts the upper fence at 7.75 + 112.5 = 120.25: nothing is removed.
    assertThat(Outliers.remove(f, new CleanSpec.Outliers.Iqr(25), List.of("x")).removed()).isZero();
  }

  @Test
  void zscoreUsesThePopulationStandardDeviationAndRemovesOnlyBeyondTheThreshold() {
    // Nine zeros and a 10: mean 1, variance (9·1 + 81) / 10 = 9, sd 3; the 10 has z = 3 exactly.
    double[] x = {0, 0, 0, 0, 0, 0, 0, 0, 0, 10};
    Frame f = new Frame(List.of(new NumericColumn("x", x)));
    Outliers.Result atThree = Outliers.remove(f, new CleanSpec.Outliers.ZScore(3), List.of("x"));
    assertThat(atThree.bounds().get("x")).isEqualTo(new Outliers.Bounds(-8, 10));
    assertThat(atThree.removed()).isZero();
    Outliers.Result below = Outliers.remove(f, new CleanSpec.Outliers.ZScore(2.9), List.of("x"));
    assertThat(below.removed()).isEqualTo(1);
    assertThat(below.frame().rowCount()).isEqualTo(9);
  }

  @Test
  void aRowGoesWhenAnyCheckedColumnIsOutsideAndMissingValuesAreNeverOutliers() {
    double nan = Double.NaN;
    Frame f =
        new Frame(
            List.of(
                new NumericColumn("a", new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 100, nan}),
                new NumericColumn("b", new double[] {-50, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5}),
                new CategoricalColumn(
                    "c", new String[] {"p", "q", "p", "q", "p", "q", "p", "q", "p", "q", "p"})));
    Outliers.Result r = Outliers.remove(f, IQR, Outliers.numericInputs(f, "c"));
    // a's 100 (row 9) and b's -50 (row 0) go; row 10's missing a stays.
    assertThat(r.removed()).isEqualTo(2);
    assertThat(((NumericColumn) r.frame().column("b")).values())
        .containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 5);
    // Only the listed column is checked.
    assertThat(Outliers.remove(f, IQR, List.of("a")).removed()).isEqualTo(1);
  }

  @Test
  void defaultColumnsAreTheNumericInputsWithoutTheTarget() {
    Frame f =
        new Frame(
            List.of(
                new NumericColumn("x", new double[] {1}),
                new CategoricalColumn("c", new String[] {"p"}),
                new NumericColumn("y", new double[] {2})));
    assertThat(Outliers.numericInputs(f, "y")).containsExactly("x");
  }

  @Test
  void namesAListedColumnThatIsAbsentOrText() {
    Frame f =
        new Frame(
            List.of(
                new NumericColumn("x", new double[] {1, 2}),
                new CategoricalColumn("c", new String[] {"p", "q"})));
    assertThatThrownBy(() -> Outliers.remove(f, IQR, List.of("z")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("clean.columns: 'z' is not a column")
        .hasMessageContaining("x, c");
    assertThatThrownBy(() -> Outliers.remove(f, IQR, List.of("c")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("clean.columns: 'c' holds text");
  }
}
