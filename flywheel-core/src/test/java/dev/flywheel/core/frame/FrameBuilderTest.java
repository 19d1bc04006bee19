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

  @Test
  void givesBackEveryNumberExactlyAsWrittenWhenTextTurnsUpLater() {
    String[] numbers = {
      "1.50",
      "007",
      "1e3",
      "2",
      "-0",
      "0.5",
      "+3",
      ".5",
      "7.",
      "-12.25",
      "0.0001",
      "1234567.5",
      "12345678.5",
      "3.0",
      "123456789012345678",
      "0.1234567890123456",
      "-0.001"
    };
    String[] cells = java.util.Arrays.copyOf(numbers, numbers.length + 2);
    cells[numbers.length] = "";
    cells[numbers.length + 1] = "text";

    Frame f = oneColumn(cells);

    String[] expected = java.util.Arrays.copyOf(numbers, numbers.length + 2);
    expected[numbers.length + 1] = "text";
    assertThat(((CategoricalColumn) f.column("x")).values()).containsExactly(expected);
  }

  @Test
  void forcedCategoricalAtBuildTimeGivesBackRandomNumbersAsWritten() {
    java.util.Random random = new java.util.Random(7);
    List<String> written = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      double v = random.nextGaussian() * Math.pow(10, random.nextInt(-6, 12));
      written.add(
          switch (i % 5) {
            case 0 -> Double.toString(v);
            case 1 -> Long.toString(Math.round(v));
            case 2 -> String.format(java.util.Locale.ROOT, "%.3f", v);
            case 3 -> String.format(java.util.Locale.ROOT, "%.6e", v);
            default -> new java.math.BigDecimal(v).round(new java.math.MathContext(15)).toString();
          });
    }

    Frame f = oneColumn(Map.of("x", ColumnType.CATEGORICAL), written.toArray(String[]::new));

    assertThat(((CategoricalColumn) f.column("x")).values())
        .containsExactly(written.toArray(String[]::new));
  }

  @Test
  void isCanonicalAgreesWithHowADoublePrints() {
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 50_000; i++) {
      double v = random.nextGaussian() * Math.pow(10, random.nextInt(-5, 17));
      for (String text :
          List.of(
              Double.toString(v),
              Long.toString((long) v),
              new java.math.BigDecimal(v)
                  .round(new java.math.MathContext(1 + i % 17))
                  .toPlainString(),
              String.format(java.util.Locale.ROOT, "%." + (i % 9) + "f", v))) {
        if (FrameBuilder.isNumber(text) && FrameBuilder.isCanonical(text)) {
          assertThat(FrameBuilder.canonical(Double.parseDouble(text))).as(text).isEqualTo(text);
        }
      }
    }
  }

  @Test
  void keepsANumericColumnAsDoublesWithoutItsText() {
    FrameBuilder b = new FrameBuilder(List.of("x", "y"));
    for (int i = 0; i < 10_000; i++) {
      b.add(new String[] {Integer.toString(i), i % 10 == 0 ? "" : i + ".25"});
    }

    Frame f = b.build(Map.of());

    NumericColumn y = (NumericColumn) f.column("y");
    assertThat(y.values()).hasSize(10_000);
    assertThat(y.get(3)).isEqualTo(3.25);
    assertThat(y.isMissing(10)).isTrue();
    assertThat(f.estimatedBytes()).isEqualTo(2 * (16 + 8L * 10_000));
  }

  @Test
  void aColumnAddedLateIsMissingInEarlierRows() {
    FrameBuilder b = new FrameBuilder(List.of("a"));
    b.add(new String[] {"1"});
    b.add(new String[] {"2"});
    b.addColumn("b");
    b.add(new String[] {"3", "x"});

    Frame f = b.build(Map.of());

    assertThat(f.names()).containsExactly("a", "b");
    assertThat(((CategoricalColumn) f.column("b")).values()).containsExactly(null, null, "x");
    assertThatThrownBy(() -> b.addColumn("a")).hasMessageContaining("'a' is already there");
  }
}
