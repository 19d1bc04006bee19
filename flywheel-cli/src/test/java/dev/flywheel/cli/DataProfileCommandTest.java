package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataProfileCommandTest {

  @TempDir Path dir;

  private Path csv() throws IOException {
    Path file = dir.resolve("small.csv");
    Files.writeString(file, "x,n,city\n1.5,1,a\n2.5,2,b\n,3,a\n4.0,NA,a,extra\n-1,5,c\n");
    return file;
  }

  @Test
  void profileJsonFollowsTheInterface() throws IOException {
    CliRunner.Result r = CliRunner.run("data", "profile", "-q", csv().toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("source").asText()).isEqualTo("small.csv");
    assertThat(json.get("rows").asLong()).isEqualTo(4);
    assertThat(json.get("unparsed").asLong()).isEqualTo(1);
    assertThat(json.get("unparsed_examples").get(0).get("line").asLong()).isEqualTo(5);
    JsonNode x = json.get("columns").get(0);
    assertThat(x.get("name").asText()).isEqualTo("x");
    assertThat(x.get("type").asText()).isEqualTo("numeric");
    assertThat(x.get("count").asLong()).isEqualTo(3);
    assertThat(x.get("nulls").asLong()).isEqualTo(1);
    assertThat(x.get("distinct").asLong()).isEqualTo(3);
    assertThat(x.get("min").asDouble()).isEqualTo(-1.0);
    assertThat(x.get("max").asDouble()).isEqualTo(2.5);
    assertThat(x.get("mean").asDouble()).isEqualTo(1.0);
    assertThat(x.get("quantiles").has("p99")).isTrue();
    JsonNode city = json.get("columns").get(2);
    assertThat(city.get("type").asText()).isEqualTo("categorical");
    assertThat(city.get("top").get(0).get("value").asText()).isEqualTo("a");
    assertThat(city.get("top").get(0).get("count").asLong()).isEqualTo(2);
  }

  @Test
  void profileWithoutJsonPrintsATableAndProgressGoesToStderr() throws IOException {
    CliRunner.Result r = CliRunner.run("data", "profile", csv().toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("small.csv: 4 rows, 1 unparsed", "line 5", "COLUMN", "city");
    assertThat(r.out()).contains("a (2)");
    assertThat(r.err()).contains("profile");
  }

  @Test
  void aMissingFileOrAFolderExitsWithOne() {
    CliRunner.Result missing = CliRunner.run("data", "profile", dir.resolve("no.csv").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("flywheel: error:", "does not exist");
    CliRunner.Result folder = CliRunner.run("data", "profile", dir.toString());
    assertThat(folder.exitCode()).isEqualTo(1);
    assertThat(folder.err()).contains("is a folder");
  }

  @Test
  void anUnknownExtensionIsNamedWithTheSupportedKinds() {
    CliRunner.Result r = CliRunner.run("data", "profile", dir.resolve("data.xlsx").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("'.xlsx'", ".csv", ".jsonl", ".parquet", "jdbc:", "http");
  }

  @Test
  void aDatabaseWithoutAQueryAsksForOne() {
    CliRunner.Result r = CliRunner.run("data", "profile", "jdbc:sqlite:x.db");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("add --query");
  }

  @Test
  void aLogWithoutAFormatAsksForOne() {
    CliRunner.Result r = CliRunner.run("data", "profile", dir.resolve("access.log").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--format combined", "--format json", "--pattern");
  }

  @Test
  void aTsvAndAGzippedCsvAreProfiled() throws IOException {
    Path tsv = dir.resolve("t.tsv");
    Files.writeString(tsv, "a\tb\n1\tx\n2\ty\n");
    CliRunner.Result r = CliRunner.run("data", "profile", "-q", tsv.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.json().get("columns").get(1).get("name").asText()).isEqualTo("b");
    assertThat(r.json().get("columns").get(0).get("max").asDouble()).isEqualTo(2.0);

    Path gz = dir.resolve("small.csv.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(csv()));
    }
    CliRunner.Result g = CliRunner.run("data", "profile", "-q", gz.toString(), "--json");
    assertThat(g.exitCode()).as(g.err()).isZero();
    assertThat(g.json().get("rows").asLong()).isEqualTo(4);
    assertThat(g.json().get("unparsed_examples").get(0).get("text").asText())
        .isEqualTo("4.0,NA,a,extra");
  }

  @Test
  void dataAndProfileHaveHelp() {
    assertThat(CliRunner.run("data", "--help").out()).contains("profile");
    CliRunner.Result r = CliRunner.run("data", "profile", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("SOURCE", "--json");
  }
}
