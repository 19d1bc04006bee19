package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flywheel data profile LOG --format combined | --pattern REGEX}. */
class DataProfileLogTest {

  @TempDir Path dir;

  private static final String A =
      "10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 512 \"-\" \"curl/8\"\n";
  private static final String B =
      "10.0.0.2 - bob [26/Nov/2026:10:00:01 +0000] \"POST /b HTTP/1.1\" 500 - \"-\" \"curl/8\"\n";

  private void logs() throws IOException {
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("access.log.1.gz")))) {
      out.write((A + "not a log line\n" + B).getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(dir.resolve("access.log"), A + A + "\n" + B + "oops\n");
  }

  @Test
  void combinedFormatProfilesARotatedSetWithUnparsedLines() throws IOException {
    logs();
    CliRunner.Result r =
        CliRunner.run(
            "data",
            "profile",
            "-q",
            dir.resolve("access.log*").toString(),
            "--format",
            "combined",
            "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("source").asText()).isEqualTo("access.log*");
    assertThat(json.get("rows").asLong()).isEqualTo(5);
    assertThat(json.get("unparsed").asLong()).isEqualTo(2);
    JsonNode first = json.get("unparsed_examples").get(0);
    assertThat(first.get("line").asLong()).isEqualTo(2);
    assertThat(first.get("text").asText()).isEqualTo("not a log line");
    assertThat(first.get("reason").asText()).contains("combined").contains("access.log.1.gz");
    assertThat(json.get("unparsed_examples").get(1).get("line").asLong()).isEqualTo(5);
    JsonNode status = json.get("columns").get(6);
    assertThat(status.get("name").asText()).isEqualTo("status");
    assertThat(status.get("type").asText()).isEqualTo("integer");
    assertThat(status.get("max").asDouble()).isEqualTo(500.0);
    JsonNode bytes = json.get("columns").get(7);
    assertThat(bytes.get("nulls").asLong()).isEqualTo(2);
    assertThat(json.get("columns").get(3).get("type").asText()).isEqualTo("categorical");
  }

  @Test
  void patternNamedGroupsAreTheColumns() throws IOException {
    Path file = Files.writeString(dir.resolve("app.log"), "INFO 12\nERROR 250\nstack trace\n");
    CliRunner.Result r =
        CliRunner.run(
            "data",
            "profile",
            "-q",
            file.toString(),
            "--pattern",
            "(?<level>[A-Z]+) (?<ms>\\d+)",
            "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("rows").asLong()).isEqualTo(2);
    assertThat(json.get("unparsed").asLong()).isEqualTo(1);
    assertThat(json.get("unparsed_examples").get(0).get("line").asLong()).isEqualTo(3);
    assertThat(json.get("columns").get(0).get("name").asText()).isEqualTo("level");
    assertThat(json.get("columns").get(1).get("mean").asDouble()).isEqualTo(131.0);
  }

  @Test
  void badOptionsAreClearErrors() throws IOException {
    Path file = Files.writeString(dir.resolve("app.log"), "INFO 12\n");
    CliRunner.Result noGroup =
        CliRunner.run("data", "profile", file.toString(), "--pattern", "([A-Z]+) (\\d+)");
    assertThat(noGroup.exitCode()).isEqualTo(1);
    assertThat(noGroup.err()).contains("has no named group");
    CliRunner.Result broken =
        CliRunner.run("data", "profile", file.toString(), "--pattern", "(?<a>[A-Z+");
    assertThat(broken.err()).contains("is not a valid regular expression");
    CliRunner.Result format =
        CliRunner.run("data", "profile", file.toString(), "--format", "apache");
    assertThat(format.err()).contains("--format 'apache' is not known");
  }
}
