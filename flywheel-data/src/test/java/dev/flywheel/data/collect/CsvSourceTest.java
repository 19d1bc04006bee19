package dev.flywheel.data.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.testkit.HouseData;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {

  @TempDir Path dir;

  private Path csv(String content) throws IOException {
    Path file = dir.resolve("file.csv");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static Frame read(Path file) {
    return new CsvSource(file).read(Map.of());
  }

  @Test
  void readsQuotedFieldsWithCommasQuotesAndNewlines() throws IOException {
    Frame f = read(csv("name,note,n\n\"Smith, J\",\"said \"\"hi\"\"\",1\n\"a\nb\",plain,2\n"));

    assertThat(f.rowCount()).isEqualTo(2);
    assertThat(((CategoricalColumn) f.column("name")).values()).containsExactly("Smith, J", "a\nb");
    assertThat(((CategoricalColumn) f.column("note")).values())
        .containsExactly("said \"hi\"", "plain");
    assertThat(((NumericColumn) f.column("n")).values()).containsExactly(1.0, 2.0);
  }

  @Test
  void readsAHeaderThatStartsWithAByteOrderMark() throws IOException {
    Frame f = read(csv("\uFEFFid,label\n1,a\n2,b\n"));

    assertThat(f.names()).containsExactly("id", "label");
    assertThat(f.column("id").type()).isEqualTo(ColumnType.NUMERIC);
  }

  @Test
  void skipsEmptyLines() throws IOException {
    Frame f = read(csv("a,b\n\n1,x\n\n\n2,y\n\n"));

    assertThat(f.rowCount()).isEqualTo(2);
    assertThat(((NumericColumn) f.column("a")).values()).containsExactly(1.0, 2.0);
  }

  @Test
  void readsWindowsLineEndings() throws IOException {
    Frame f = read(csv("a,b\r\n1,x\r\n2,y\r\n"));

    assertThat(f.rowCount()).isEqualTo(2);
    assertThat(((CategoricalColumn) f.column("b")).values()).containsExactly("x", "y");
  }

  @Test
  void stripsSpacesAroundHeaderNames() throws IOException {
    assertThat(read(csv(" a , b\n1,2\n")).names()).containsExactly("a", "b");
  }

  @Test
  void readsMissingTokensAsMissingValues() throws IOException {
    Frame f = read(csv("x,c\n1,a\n,NA\nNA,?\n?,b\n"));

    NumericColumn x = (NumericColumn) f.column("x");
    assertThat(x.get(0)).isEqualTo(1.0);
    assertThat(x.isMissing(1)).isTrue();
    assertThat(x.isMissing(2)).isTrue();
    assertThat(x.isMissing(3)).isTrue();
    assertThat(((CategoricalColumn) f.column("c")).values()).containsExactly("a", null, null, "b");
  }

  @Test
  void appliesForcedTypes() throws IOException {
    Frame f =
        new CsvSource(csv("x,label\n1,0\n2,1\n")).read(Map.of("label", ColumnType.CATEGORICAL));

    assertThat(f.column("x").type()).isEqualTo(ColumnType.NUMERIC);
    assertThat(((CategoricalColumn) f.column("label")).values()).containsExactly("0", "1");
  }

  @Test
  void reportsFileAndLineForRowWithWrongFieldCount() throws IOException {
    Path file = csv("a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n");

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + ":4: ")
        .hasMessageContaining("2 fields")
        .hasMessageContaining("header has 3");
  }

  @Test
  void reportsTheLineOfARowWithTooManyFields() throws IOException {
    Path file = csv("a,b\n1,2\n3,4,5\n");

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("file.csv:3: ")
        .hasMessageContaining("3 fields")
        .hasMessageContaining("quote values that contain commas");
  }

  @Test
  void countsPhysicalLinesWhenReportingABadRowAfterEmptyLinesAndQuotedNewlines()
      throws IOException {
    // Line 1 header, line 2 empty, lines 3-4 one record with a quoted newline, line 5 bad.
    Path file = csv("a,b\n\n\"x\ny\",1\n1,2,3\n");

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + ":5: ");
  }

  @Test
  void reportsAMissingFileNamingItAndTheSpecKey() {
    Path file = dir.resolve("nope.csv");

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("source.csv");
  }

  @Test
  void reportsAnEmptyFile() throws IOException {
    Path file = csv("");

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is empty")
        .hasMessageContaining("header row");
  }

  @Test
  void reportsAFileOfOnlyEmptyLinesAsEmpty() throws IOException {
    assertThatThrownBy(() -> read(csv("\n\n\r\n")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("is empty");
  }

  @Test
  void reportsAHeaderOnlyFile() throws IOException {
    Path file = csv("a,b\n");

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("header but no data rows");
  }

  @Test
  void reportsADuplicateHeaderName() throws IOException {
    Path file = csv("a,b,a\n1,2,3\n");

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + ":1: ")
        .hasMessageContaining("'a' twice")
        .hasMessageContaining("Rename one");
  }

  @Test
  void reportsDuplicateHeaderNamesThatDifferOnlyInSurroundingSpaces() throws IOException {
    assertThatThrownBy(() -> read(csv("a, a\n1,2\n")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'a' twice");
  }

  @Test
  void reportsABlankHeaderName() throws IOException {
    Path file = csv("a, ,c\n1,2,3\n");

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + ":1: ")
        .hasMessageContaining("column 2 of the header has no name");
  }

  @Test
  void reportsADirectoryAsBadInput() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("data.csv"));

    assertThatThrownBy(() -> read(sub))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(sub.toString())
        .hasMessageContaining("is a folder");
  }

  @Test
  void reportsTextThatIsNotUtf8WithFileAndLine() throws IOException {
    Path file = dir.resolve("latin1.csv");
    Files.write(file, "city,n\nParis,1\nZ\u00fcrich,2\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + ":3: byte 0xFC at byte 2 of the line is not UTF-8")
        .hasMessageContaining("Save the file as UTF-8");
  }

  @Test
  void readsUtf8TextBeyondAscii() throws IOException {
    Frame f = read(csv("\uFEFF\"city\",n\nZ\u00fcrich,1\n\u6771\u4eac \ud83d\ude80,2\n"));

    assertThat(f.names()).containsExactly("city", "n");
    assertThat(((CategoricalColumn) f.column("city")).values())
        .containsExactly("Z\u00fcrich", "\u6771\u4eac \ud83d\ude80");
  }

  @Test
  void readsGeneratedLoanDataWithItsMissingValues() {
    Path file = LoanData.writeCsv(dir.resolve("loans.csv"), 2_000, 11, 0.0);

    Frame f =
        Collector.collect(new SourceSpec.Csv(file), Map.of("default", ColumnType.CATEGORICAL));

    assertThat(f.rowCount()).isEqualTo(2_000);
    assertThat(f.names()).containsExactlyElementsOf(LoanData.COLUMNS);
    assertThat(f.column("income").type()).isEqualTo(ColumnType.NUMERIC);
    assertThat(f.column("plan").type()).isEqualTo(ColumnType.CATEGORICAL);
    assertThat(f.column("default").type()).isEqualTo(ColumnType.CATEGORICAL);
    long missingIncome =
        java.util.stream.IntStream.range(0, 2_000).filter(f.column("income")::isMissing).count();
    assertThat(missingIncome).isBetween(40L, 180L);
  }

  @Test
  void readsGeneratedHouseData() {
    Path file = HouseData.writeCsv(dir.resolve("houses.csv"), 500, 3);

    Frame f = read(file);

    assertThat(f.rowCount()).isEqualTo(500);
    assertThat(f.column("price").type()).isEqualTo(ColumnType.NUMERIC);
    assertThat(f.column("location").type()).isEqualTo(ColumnType.CATEGORICAL);
  }
}
