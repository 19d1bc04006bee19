package dev.flywheel.core.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameBuilderTest {

  private static Frame oneColumn(String... cells) {
    return oneColumn(Map.of(), cells);
  }

  private static Frame oneColumn(Map<String, ColumnType> forced, String... cells) {
    FrameBuilder b = new FrameBuilder(List.of("x"));
    for (String c : cells) {
      b.add(new String[] {c});
    }
    return b.build(forced);
  }

  @Test
  void infersNumericWhenEveryPresentCellIsADecimalNumber() {
    Frame f = oneColumn("1", "-2.5", "+3", "1e3", "2.5E-2", ".5", "7.");

    assertThat(f.column("x")).isInstanceOf(NumericColumn.class);
    assertThat(((NumericColumn) f.column("x")).values())
        .containsExactly(1, -2.5, 3, 1000, 0.025, 0.5, 7.0);
  }

  @Test
  void treatsMissingTokensAsMissingAndKeepsTheColumnNumeric() {
    Frame f = oneColumn("1", "", "NA", "?", "  ", "N/A", "null", "NaN", "None", "2");

    NumericColumn x = (NumericColumn) f.column("x");
    assertThat(x.get(0)).isEqualTo(1.0);
    for (int i = 1; i <= 8; i++) {
      assertThat(x.isMissing(i)).as("row %d", i).isTrue();
      assertThat(x.value(i)).isNull();
    }
    assertThat(x.get(9)).isEqualTo(2.0);
  }

  @Test
  void stripsWhitespaceAroundCells() {
    Frame f = oneColumn(" 1 ", "\t2");
    assertThat(((NumericColumn) f.column("x")).values()).containsExactly(1.0, 2.0);

    Frame text = oneColumn(" a ", "b ");
    assertThat(((CategoricalColumn) text.column("x")).values()).containsExactly("a", "b");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0x10", "Infinity", "-Infinity", "1f", "1d", "0x1p3", "1e", "1e400", "-", "."})
  void doesNotTreatJavaOnlyOrNonFiniteFormsAsNumbers(String cell) {
    assertThat(FrameBuilder.isNumber(cell)).isFalse();

    Frame f = oneColumn("1", cell);
    assertThat(f.column("x")).isInstanceOf(CategoricalColumn.class);
    assertThat(((CategoricalColumn) f.column("x")).values()).containsExactly("1", cell);
  }

  @Test
  void infersCategoricalWhenAnyCellIsText() {
    Frame f = oneColumn("1", "2", "three");
    assertThat(f.column("x").type()).isEqualTo(ColumnType.CATEGORICAL);
  }

  @Test
  void makesAnAllMissingColumnCategorical() {
    Frame f = oneColumn("", "NA");
    assertThat(f.column("x").type()).isEqualTo(ColumnType.CATEGORICAL);
    assertThat(f.column("x").isMissing(0)).isTrue();
    assertThat(f.column("x").isMissing(1)).isTrue();
  }

  @Test
  void forcedCategoricalKeepsNumberLikeLabelsAsWritten() {
    Frame f = oneColumn(Map.of("x", ColumnType.CATEGORICAL), "1", "0", "1.0", "");

    CategoricalColumn x = (CategoricalColumn) f.column("x");
    assertThat(x.values()).containsExactly("1", "0", "1.0", null);
  }

  @Test
  void forcedNumericParsesNumbersAndLeavesMissingAsNaN() {
    Frame f = oneColumn(Map.of("x", ColumnType.NUMERIC), "4", "", "1e3");

    NumericColumn x = (NumericColumn) f.column("x");
    assertThat(x.get(0)).isEqualTo(4.0);
    assertThat(x.isMissing(1)).isTrue();
    assertThat(x.get(2)).isEqualTo(1000.0);
  }

  @Test
  void forcingAnUnknownColumnChangesNothing() {
    Frame f = oneColumn(Map.of("other", ColumnType.CATEGORICAL), "1", "2");
    assertThat(f.column("x").type()).isEqualTo(ColumnType.NUMERIC);
  }

  @Test
  void rejectsARowWithTheWrongNumberOfCells() {
    FrameBuilder b = new FrameBuilder(List.of("a", "b"));
    assertThatThrownBy(() -> b.add(new String[] {"1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 cells")
        .hasMessageContaining("2 columns");
  }

  @Test
  void keepsColumnOrderAndCountsRows() {
    FrameBuilder b = new FrameBuilder(List.of("b", "a"));
    b.add(new String[] {"1", "x"});
    b.add(new String[] {"2", "y"});

    Frame f = b.build(Map.of());
    assertThat(b.rowCount()).isEqualTo(2);
    assertThat(f.names()).containsExactly("b", "a");
    assertThat(f.rowCount()).isEqualTo(2);
    assertThat(f.row(1)).containsExactly(Map.entry("b", 2.0), Map.entry("a", "y"));
  }
}
