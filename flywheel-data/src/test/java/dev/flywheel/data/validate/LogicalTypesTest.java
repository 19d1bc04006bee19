package dev.flywheel.data.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.schema.LogicalType;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LogicalTypesTest {

  private static LogicalType text(String... values) {
    return LogicalTypes.infer(new CategoricalColumn("c", values));
  }

  private static LogicalType numbers(double... values) {
    return LogicalTypes.infer(new NumericColumn("c", values));
  }

  @Test
  void numbersAreIntegerWhenAllWholeAndMissingValuesDoNotCount() {
    assertThat(numbers(1, 2, Double.NaN, -7)).isEqualTo(LogicalType.INTEGER);
    assertThat(numbers(1, 2.5)).isEqualTo(LogicalType.NUMERIC);
    assertThat(numbers(0, 1, 1, 0)).isEqualTo(LogicalType.INTEGER);
  }

  @Test
  void textIsBooleanTimestampTextOrCategorical() {
    assertThat(text("true", "FALSE", null, "True")).isEqualTo(LogicalType.BOOLEAN);
    assertThat(text("yes", "no")).isEqualTo(LogicalType.CATEGORICAL);
    assertThat(
            text("2026-11-26", "2026-01-01T10:00:00", "2026-01-01 10:00:00.5", "2026-01-01T10:00Z"))
        .isEqualTo(LogicalType.TIMESTAMP);
    assertThat(text("2026-11-26", "2026-13-01")).isEqualTo(LogicalType.CATEGORICAL);
    assertThat(text("basic", "plus", "pro", "basic")).isEqualTo(LogicalType.CATEGORICAL);
    assertThat(text("x".repeat(51))).isEqualTo(LogicalType.TEXT);
    String[] ids = IntStream.range(0, 60).mapToObj(i -> "id-" + i).toArray(String[]::new);
    assertThat(text(ids)).isEqualTo(LogicalType.TEXT);
    String[] fifty = IntStream.range(0, 100).mapToObj(i -> "v" + (i % 50)).toArray(String[]::new);
    assertThat(text(fifty)).isEqualTo(LogicalType.CATEGORICAL);
    assertThat(text(null, null)).isEqualTo(LogicalType.CATEGORICAL);
  }

  @Test
  void valuesFitTheirDeclaredTypes() {
    assertThat(LogicalTypes.fits(LogicalType.INTEGER, 3.0)).isTrue();
    assertThat(LogicalTypes.fits(LogicalType.INTEGER, 3.5)).isFalse();
    assertThat(LogicalTypes.fits(LogicalType.INTEGER, "12")).isTrue();
    assertThat(LogicalTypes.fits(LogicalType.NUMERIC, "abc")).isFalse();
    assertThat(LogicalTypes.fits(LogicalType.NUMERIC, "1e3")).isTrue();
    assertThat(LogicalTypes.fits(LogicalType.BOOLEAN, 1.0)).isTrue();
    assertThat(LogicalTypes.fits(LogicalType.BOOLEAN, 2.0)).isFalse();
    assertThat(LogicalTypes.fits(LogicalType.BOOLEAN, "False")).isTrue();
    assertThat(LogicalTypes.fits(LogicalType.BOOLEAN, "yes")).isFalse();
    assertThat(LogicalTypes.fits(LogicalType.TIMESTAMP, "2026-02-30")).isFalse();
    assertThat(LogicalTypes.fits(LogicalType.TIMESTAMP, 20260101.0)).isFalse();
    assertThat(LogicalTypes.fits(LogicalType.CATEGORICAL, 4.0)).isTrue();
    assertThat(LogicalTypes.fits(LogicalType.TEXT, "anything")).isTrue();
  }
}
