package dev.flywheel.data.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.core.spec.SourceSpec.BadRows;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV/TSV options, gz, globs, JSON Lines, Parquet and the bad-row policies, on real files. */
class FileSourcesTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private Path gz(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  private static SourceSpec.Csv csv(
      Path path, char delimiter, char quote, boolean header, Charset cs, BadRows bad, Path q) {
    return new SourceSpec.Csv(path, delimiter, quote, header, cs, bad, q);
  }

  private static SourceSpec.Csv csv(Path path, BadRows bad, Path q) {
    return csv(path, ',', '"', true, StandardCharsets.UTF_8, bad, q);
  }

  private static Collected read(SourceSpec source) {
    return Collector.read(source, Map.of());
  }

  private static String[] text(Frame f, String column) {
    return ((CategoricalColumn) f.column(column)).values();
  }

  private static double[] numbers(Frame f, String column) {
    return ((NumericColumn) f.column(column)).values();
  }

  @Test
  void tsvKeepsCommasInsideValues() throws IOException {
    Path file = write("x.tsv", "city\tn\nBerlin, DE\t1\nParis, FR\t2\n");

    Frame f = read(csv(file, '\t', '"', true, StandardCharsets.UTF_8, BadRows.FAIL, null)).frame();

    assertThat(text(f, "city")).containsExactly("Berlin, DE", "Paris, FR");
    assertThat(numbers(f, "n")).containsExactly(1, 2);
  }

  @Test
  void customDelimiterAndQuoteAreHonoured() throws IOException {
    Path file = write("x.csv", "name;n\n'Smith; J';1\n'it''s';2\n");

    Frame f = read(csv(file, ';', '\'', true, StandardCharsets.UTF_8, BadRows.FAIL, null)).frame();

    assertThat(text(f, "name")).containsExactly("Smith; J", "it's");
  }

  @Test
  void withoutAHeaderColumnsAreNamedC1ToCn() throws IOException {
    Path file = write("x.csv", "1,a,true\n2,b,false\n");

    Frame f = read(csv(file, ',', '"', false, StandardCharsets.UTF_8, BadRows.FAIL, null)).frame();

    assertThat(f.names()).containsExactly("c1", "c2", "c3");
    assertThat(f.rowCount()).isEqualTo(2);
    assertThat(numbers(f, "c1")).containsExactly(1, 2);
  }

  @Test
  void declaredLatin1IsDecodedAndUndeclaredLatin1NamesFileLineAndFix() throws IOException {
    Path file = dir.resolve("latin1.csv");
    Files.write(
        file, "city,n\nZ\u00fcrich,1\nGen\u00e8ve,2\n".getBytes(StandardCharsets.ISO_8859_1));

    Frame f =
        read(csv(file, ',', '"', true, StandardCharsets.ISO_8859_1, BadRows.FAIL, null)).frame();

    assertThat(text(f, "city")).containsExactly("Z\u00fcrich", "Gen\u00e8ve");
    assertThatThrownBy(() -> read(new SourceSpec.Csv(file)))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + ":2: byte 0xFC at byte 2 of the line is not UTF-8")
        .hasMessageContaining("encoding: ISO-8859-1");
  }

  @Test
  void gzippedCsvIsDecompressedOnTheFly() throws IOException {
    Path file = gz("x.csv.gz", "a,b\n1,x\n2,y\n");

    Frame f = read(new SourceSpec.Csv(file)).frame();

    assertThat(numbers(f, "a")).containsExactly(1, 2);
    assertThat(text(f, "b")).containsExactly("x", "y");
  }

  @Test
  void globReadsEveryMatchInSortedOrderAsOneDataSet() throws IOException {
    write("data/2026-03.csv", "a,b\n5,e\n6,f\n");
    gz("data/2026-01.csv.gz", "a,b\n1,a\n2,b\n");
    write("data/2026-02.csv", "a,b\n3,c\n4,d\n");
    write("data/other.csv", "a,b\n99,z\n");

    Frame f = read(new SourceSpec.Csv(dir.resolve("data/2026-*.csv*"))).frame();

    assertThat(numbers(f, "a")).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void globWithADifferentHeaderNamesBothFiles() throws IOException {
    Path one = write("data/1.csv", "a,b\n1,x\n");
    Path two = write("data/2.csv", "a,c\n2,y\n");

    assertThatThrownBy(() -> read(new SourceSpec.Csv(dir.resolve("data/*.csv"))))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(two + ":1: the header (a, c) differs from the header of " + one)
        .hasMessageContaining("same columns");
  }

  @Test
  void globMatchingNothingNamesThePatternAndTheFolder() throws IOException {
    Files.createDirectories(dir.resolve("data"));

    assertThatThrownBy(() -> read(new SourceSpec.Csv(dir.resolve("data/2027-*.csv"))))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("no file matches 2027-*.csv in the folder " + dir.resolve("data"));
  }

  private static final String ROWS = "a,b\n1,x\n2,y,extra\n3,z\n";

  @Test
  void csvRowWithWrongFieldCountFailsByDefaultNamingFileAndLine() throws IOException {
    Path file = write("x.csv", ROWS);

    assertThatThrownBy(() -> read(csv(file, BadRows.FAIL, null)))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + ":3: the row has 3 fields but the header has 2")
        .hasMessageContaining("bad_rows: skip or quarantine");
  }

  @Test
  void csvRowWithWrongFieldCountIsCountedWhenSkipped() throws IOException {
    Path file = write("x.csv", ROWS);

    Collected c = read(csv(file, BadRows.SKIP, null));

    assertThat(numbers(c.frame(), "a")).containsExactly(1, 3);
    assertThat(c.badRows()).isEqualTo(1);
    assertThat(c.quarantine()).isNull();
  }

  @Test
  void csvRowWithWrongFieldCountIsWrittenWithItsLocationWhenQuarantined() throws IOException {
    Path file = write("x.csv", ROWS);
    Path q = dir.resolve("quarantine/loans.jsonl");

    Collected c = read(csv(file, BadRows.QUARANTINE, q));

    assertThat(c.badRows()).isEqualTo(1);
    assertThat(c.quarantine()).isEqualTo(q);
    List<String> lines = Files.readAllLines(q);
    assertThat(lines).hasSize(1);
    JsonNode row = new ObjectMapper().readTree(lines.get(0));
    assertThat(row.get("file").asText()).isEqualTo(file.toString());
    assertThat(row.get("line").asLong()).isEqualTo(3);
    assertThat(row.get("raw").asText()).isEqualTo("2,y,extra");
    assertThat(row.get("error").asText()).contains("3 fields");
    assertThat(Files.list(q.getParent())).containsExactly(q);
  }

  @Test
  void quarantineFileOfAnEarlierReadIsRemovedWhenNoRowIsBad() throws IOException {
    Path q = dir.resolve("quarantine/x.jsonl");
    read(csv(write("x.csv", ROWS), BadRows.QUARANTINE, q));
    assertThat(q).exists();

    Collected c = read(csv(write("x.csv", "a,b\n1,x\n"), BadRows.QUARANTINE, q));

    assertThat(c.badRows()).isZero();
    assertThat(q).doesNotExist();
  }

  private static final String JSONL =
      """
      {"x": 1.5, "label": "yes", "flag": true}
      {"x": 2, "label": "no", "flag": false, "note": "late key"}
      not json at all
      {"x": null, "label": "yes", "flag": true}
      """;

  @Test
  void jsonlReadsNumbersTextBooleansAndNullsWithKeysInFirstSeenOrder() throws IOException {
    Path file = gz("x.jsonl.gz", JSONL.replace("not json at all\n", ""));

    Frame f = read(new SourceSpec.Jsonl(file)).frame();

    assertThat(f.names()).containsExactly("x", "label", "flag", "note");
    assertThat(numbers(f, "x")[0]).isEqualTo(1.5);
    assertThat(numbers(f, "x")[2]).isNaN();
    assertThat(text(f, "flag")).containsExactly("true", "false", "true");
    assertThat(text(f, "note")).containsExactly(null, "late key", null);
  }

  @Test
  void jsonlLineThatIsNotAnObjectFailsByDefaultNamingFileAndLine() throws IOException {
    Path file = write("x.jsonl", JSONL);

    assertThatThrownBy(() -> read(new SourceSpec.Jsonl(file)))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + ":3: the line is not valid JSON");
    Path array = write("y.jsonl", "{\"a\": 1}\n[1, 2]\n");
    assertThatThrownBy(() -> read(new SourceSpec.Jsonl(array)))
        .hasMessageStartingWith(array + ":2: the line is a JSON array, not a JSON object");
  }

  @Test
  void jsonlBadLineIsCountedWhenSkipped() throws IOException {
    Path file = write("x.jsonl", JSONL);

    Collected c = read(new SourceSpec.Jsonl(file, BadRows.SKIP, null));

    assertThat(c.frame().rowCount()).isEqualTo(3);
    assertThat(c.badRows()).isEqualTo(1);
  }

  @Test
  void jsonlBadLineIsWrittenRawWithItsLocationWhenQuarantined() throws IOException {
    Path file = write("x.jsonl", JSONL);
    Path q = dir.resolve("quarantine/m.jsonl");

    Collected c = read(new SourceSpec.Jsonl(file, BadRows.QUARANTINE, q));

    assertThat(c.frame().rowCount()).isEqualTo(3);
    assertThat(c.badRows()).isEqualTo(1);
    JsonNode row = new ObjectMapper().readTree(Files.readAllLines(q).get(0));
    assertThat(row.get("file").asText()).isEqualTo(file.toString());
    assertThat(row.get("line").asLong()).isEqualTo(3);
    assertThat(row.get("raw").asText()).isEqualTo("not json at all");
  }

  @Test
  void jsonlNestedValueIsABadRowNamingTheKey() throws IOException {
    Path file = write("x.jsonl", "{\"a\": 1}\n{\"a\": 2, \"address\": {\"city\": \"Oslo\"}}\n");

    assertThatThrownBy(() -> read(new SourceSpec.Jsonl(file)))
        .hasMessageStartingWith(file + ":2: key 'address' holds a nested object");
    Collected c = read(new SourceSpec.Jsonl(file, BadRows.SKIP, null));
    assertThat(c.frame().names()).containsExactly("a");
    assertThat(c.badRows()).isEqualTo(1);
  }

  @Test
  void parquetWrittenByDuckDbIsReadBackWithTypesAndNulls() throws Exception {
    Path one = dir.resolve("p/part-1.parquet");
    Path two = dir.resolve("p/part-2.parquet");
    Files.createDirectories(one.getParent());
    writeParquet(
        one,
        "SELECT 1 AS id, 2.5::DOUBLE AS amount, 'basic' AS plan, DATE '2026-01-02' AS day,"
            + " TIMESTAMP '2026-01-02 03:04:05' AS at, true AS ok, NULL::DOUBLE AS gap");
    writeParquet(
        two,
        "SELECT 2 AS id, 1.25::DOUBLE AS amount, NULL AS plan, DATE '2026-02-03' AS day,"
            + " TIMESTAMP '2026-02-03 00:00:00' AS at, false AS ok, 7.0::DOUBLE AS gap");

    Frame f = read(new SourceSpec.Parquet(dir.resolve("p/*.parquet"))).frame();

    assertThat(f.names()).containsExactly("id", "amount", "plan", "day", "at", "ok", "gap");
    assertThat(numbers(f, "id")).containsExactly(1, 2);
    assertThat(numbers(f, "amount")).containsExactly(2.5, 1.25);
    assertThat(text(f, "plan")).containsExactly("basic", null);
    assertThat(text(f, "day")).containsExactly("2026-01-02", "2026-02-03");
    assertThat(text(f, "at")).containsExactly("2026-01-02T03:04:05", "2026-02-03T00:00");
    assertThat(text(f, "ok")).containsExactly("true", "false");
    assertThat(numbers(f, "gap")[0]).isNaN();
  }

  @Test
  void fileThatIsNotParquetNamesTheFile() throws IOException {
    Path file = write("x.parquet", "a,b\n1,2\n");

    assertThatThrownBy(() -> read(new SourceSpec.Parquet(file)))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + " cannot be read as Parquet");
  }

  /** Writes a Parquet file with DuckDB itself, as a user's other tools would. */
  static void writeParquet(Path file, String select) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET autoinstall_known_extensions = false");
      s.execute(
          "COPY (" + select + ") TO '" + file.toString().replace("'", "''") + "' (FORMAT PARQUET)");
    }
  }
}
