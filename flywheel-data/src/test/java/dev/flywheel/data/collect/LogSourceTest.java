package dev.flywheel.data.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.core.spec.SourceSpec.LogFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log files: the combined preset over a rotated set, regex patterns, JSON logs, unparsed lines. */
class LogSourceTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private Path gz(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  private static Collected read(SourceSpec.Log spec) {
    return Collector.read(spec, Map.of());
  }

  private static String[] text(Frame f, String column) {
    return ((CategoricalColumn) f.column(column)).values();
  }

  private static double[] numbers(Frame f, String column) {
    return ((NumericColumn) f.column(column)).values();
  }

  /** One combined-format line; request i of a given day. */
  static String combined(int i) {
    String method = i % 3 == 0 ? "POST" : "GET";
    int status = i % 10 == 0 ? 500 : i % 7 == 0 ? 404 : 200;
    String bytes = i % 11 == 0 ? "-" : String.valueOf(100 + i);
    String user = i % 4 == 0 ? "alice" : "-";
    return "10.0.0."
        + (i % 250)
        + " - "
        + user
        + " [26/Nov/2026:10:"
        + String.format("%02d", i % 60)
        + ":00 +0000] \""
        + method
        + " /api/items/"
        + i
        + " HTTP/1.1\" "
        + status
        + " "
        + bytes
        + " \""
        + (i % 5 == 0 ? "-" : "https://example.com/")
        + "\" \"Mozilla/5.0 (X11; \\\"quoted\\\")\"";
  }

  /** Lines {@code from} to {@code to} (exclusive), with a malformed line every 50th. */
  static String combinedLog(int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append(i % 50 == 49 ? "garbage line " + i : combined(i)).append('\n');
    }
    return b.toString();
  }

  @Test
  void combinedPresetReadsARotatedSetOldestFirstWithUnparsedLinesCounted() throws IOException {
    gz("access.log.2.gz", combinedLog(0, 100));
    write("access.log.1", combinedLog(100, 200));
    write("access.log", combinedLog(200, 300) + "\n");
    write("other.txt", "not a log\n");

    Collected c = read(new SourceSpec.Log(dir.resolve("access.log*"), LogFormat.COMBINED, null));
    Frame f = c.frame();

    assertThat(f.names()).containsExactlyElementsOf(LogSource.COMBINED_COLUMNS);
    assertThat(f.rowCount()).isEqualTo(294);
    assertThat(c.unparsed()).isEqualTo(6);
    assertThat(c.unparsedExamples()).hasSize(5);
    // Oldest first: the .gz file's lines come first, with their line numbers in that file.
    assertThat(c.unparsedExamples().get(0))
        .isEqualTo(
            new Collected.Unparsed(
                dir.resolve("access.log.2.gz").toString(), 50, "garbage line 49"));
    assertThat(c.unparsedExamples().get(2).file())
        .isEqualTo(dir.resolve("access.log.1").toString());
    assertThat(c.unparsedExamples().get(2).line()).isEqualTo(50);
    assertThat(text(f, "path")[0]).isEqualTo("/api/items/0");
    assertThat(text(f, "path")[f.rowCount() - 1]).isEqualTo("/api/items/298");
    // Numbers stay numbers; "-" is missing.
    double[] status = numbers(f, "status");
    assertThat(status[0]).isEqualTo(500);
    assertThat(status[1]).isEqualTo(200);
    double[] bytes = numbers(f, "bytes");
    assertThat(bytes[0]).isNaN();
    assertThat(bytes[1]).isEqualTo(101);
    assertThat(text(f, "remote_user")[0]).isEqualTo("alice");
    assertThat(text(f, "remote_user")[1]).isNull();
    assertThat(text(f, "referer")[0]).isNull();
    assertThat(text(f, "method")[0]).isEqualTo("POST");
    assertThat(text(f, "protocol")[0]).isEqualTo("HTTP/1.1");
    assertThat(text(f, "time")[0]).isEqualTo("26/Nov/2026:10:00:00 +0000");
    assertThat(text(f, "user_agent")[0]).isEqualTo("Mozilla/5.0 (X11; \\\"quoted\\\")");
  }

  @Test
  void rotationOrderPutsHigherNumbersFirstAndTheCurrentFileLast() {
    List<Path> sorted =
        List.of(
            Path.of("/l/access.log"),
            Path.of("/l/access.log.1"),
            Path.of("/l/access.log.10.gz"),
            Path.of("/l/access.log.2.gz"),
            Path.of("/l/error.log"));

    assertThat(LogSource.rotationOrder(sorted))
        .containsExactly(
            Path.of("/l/access.log.10.gz"),
            Path.of("/l/access.log.2.gz"),
            Path.of("/l/access.log.1"),
            Path.of("/l/access.log"),
            Path.of("/l/error.log"));
  }

  @Test
  void regexNamedGroupsBecomeColumnsInPatternOrder() throws IOException {
    Path file =
        write(
            "app.log",
            """
            2026-11-26T10:00:00 INFO took=12ms user=ann
            2026-11-26T10:00:01 ERROR took=250ms user=-
            Traceback (most recent call last):
            2026-11-26T10:00:02 WARN took=7ms user=bob
            """);

    Collected c =
        read(
            new SourceSpec.Log(
                file,
                LogFormat.REGEX,
                "(?<ts>\\S+) (?<level>[A-Z]+) took=(?<ms>\\d+)ms user=(?<user>\\S+)"));

    assertThat(c.frame().names()).containsExactly("ts", "level", "ms", "user");
    assertThat(numbers(c.frame(), "ms")).containsExactly(12, 250, 7);
    assertThat(text(c.frame(), "user")).containsExactly("ann", null, "bob");
    assertThat(c.unparsed()).isEqualTo(1);
    assertThat(c.unparsedExamples())
        .containsExactly(
            new Collected.Unparsed(file.toString(), 3, "Traceback (most recent call last):"));
  }

  @Test
  void jsonLogKeepsNestedValuesAsTextAndCountsNonObjectLines() throws IOException {
    Path file =
        write(
            "app.json.log",
            """
            {"level": "info", "ms": 12, "ctx": {"a": 1}}
            not json
            {"level": "error", "ms": 250, "path": "/x"}
            [1, 2]
            """);

    Collected c = read(new SourceSpec.Log(file, LogFormat.JSON, null));

    assertThat(c.frame().names()).containsExactly("level", "ms", "ctx", "path");
    assertThat(numbers(c.frame(), "ms")).containsExactly(12, 250);
    assertThat(text(c.frame(), "ctx")).containsExactly("{\"a\":1}", null);
    assertThat(c.unparsed()).isEqualTo(2);
    assertThat(c.unparsedExamples()).extracting(Collected.Unparsed::line).containsExactly(2L, 4L);
  }

  @Test
  void aLogWithNoParsableLineIsAnErrorShowingOne() throws IOException {
    Path file = write("x.log", "hello\nworld\n");

    assertThatThrownBy(() -> read(new SourceSpec.Log(file, LogFormat.COMBINED, null)))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("no line that parses as a combined log")
        .hasMessageContaining("all 2 lines are unparsed")
        .hasMessageContaining(file + ":1: hello")
        .hasMessageContaining("source.log.format");
  }

  @Test
  void aMissingFileNamesTheKey() {
    assertThatThrownBy(
            () -> read(new SourceSpec.Log(dir.resolve("nope.log"), LogFormat.JSON, null)))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("nope.log does not exist")
        .hasMessageContaining("source.log.path");
  }
}
