package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flywheel data profile} on every source kind other than CSV and combined logs, against real
 * components: JSON Lines and Parquet files written here (Parquet by DuckDB), the PostgreSQL on
 * 127.0.0.1:5432 (skipped where none runs), and an HTTP server on a free port that pages its
 * records and sometimes answers 429 or 500.
 */
class DataProfileSourcesTest {

  @TempDir Path dir;

  private static JsonNode column(JsonNode profile, String name) {
    for (JsonNode c : profile.get("columns")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no column " + name + " in " + profile);
  }

  @Test
  void jsonLinesGetTheInterfaceShapeWithLateKeysAndUnparsedLines() throws IOException {
    Path file = dir.resolve("events.jsonl");
    Files.writeString(
        file,
        """
        {"x": 1.5, "kind": "a"}
        {"x": 2.5, "kind": "b", "late": 7}
        not json at all
        {"x": null, "kind": "a"}
        [1, 2]
        {"x": 4, "kind": "a", "nested": {"k": 1}}
        {"x": -1, "kind": "c"}
        """);

    CliRunner.Result r = CliRunner.run("data", "profile", "-q", file.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("source", "rows", "unparsed", "unparsed_examples", "columns");
    assertThat(json.get("source").asText()).isEqualTo("events.jsonl");
    assertThat(json.get("rows").asLong()).isEqualTo(4);
    assertThat(json.get("unparsed").asLong()).isEqualTo(3);
    JsonNode examples = json.get("unparsed_examples");
    assertThat(examples.get(0).get("line").asLong()).isEqualTo(3);
    assertThat(examples.get(0).get("text").asText()).isEqualTo("not json at all");
    assertThat(examples.get(1).get("reason").asText()).contains("array", "not a JSON object");
    assertThat(examples.get(2).get("reason").asText()).contains("'nested'", "nested object");
    JsonNode x = column(json, "x");
    assertThat(x.get("type").asText()).isEqualTo("numeric");
    assertThat(x.get("count").asLong()).isEqualTo(3);
    assertThat(x.get("nulls").asLong()).isEqualTo(1);
    assertThat(x.get("min").asDouble()).isEqualTo(-1.0);
    assertThat(x.get("quantiles").get("p50").asDouble()).isEqualTo(1.5);
    JsonNode late = column(json, "late");
    assertThat(late.get("count").asLong()).isEqualTo(1);
    assertThat(late.get("nulls").asLong()).isEqualTo(3);
    assertThat(column(json, "kind").get("top").get(0).get("value").asText()).isEqualTo("a");
  }

  @Test
  void jsonLogsKeepNestedValuesAsText() throws IOException {
    Path file = dir.resolve("app.log");
    Files.writeString(
        file,
        """
        {"level": "INFO", "ms": 12, "ctx": {"user": 1}}
        garbage line
        {"level": "WARN", "ms": 30, "ctx": {"user": 2}}
        """);

    CliRunner.Result r =
        CliRunner.run("data", "profile", "-q", file.toString(), "--format", "json", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.json().get("rows").asLong()).isEqualTo(2);
    assertThat(r.json().get("unparsed").asLong()).isEqualTo(1);
    assertThat(column(r.json(), "ctx").get("top").get(0).get("value").asText())
        .startsWith("{\"user\":");
    assertThat(column(r.json(), "ms").get("max").asDouble()).isEqualTo(30.0);
  }

  @Test
  void parquetWrittenByDuckDbIsProfiled() throws SQLException {
    Path file = dir.resolve("t.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT i AS id, i / 4.0 AS score, CASE WHEN i % 10 = 0 THEN NULL ELSE"
              + " 'k' || (i % 3) END AS kind FROM range(1, 1001) t(i)) TO '"
              + file
              + "' (FORMAT PARQUET)");
    }

    CliRunner.Result r = CliRunner.run("data", "profile", "-q", file.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("source").asText()).isEqualTo("t.parquet");
    assertThat(json.get("rows").asLong()).isEqualTo(1000);
    JsonNode id = column(json, "id");
    assertThat(id.get("type").asText()).isEqualTo("integer");
    assertThat(id.get("distinct").asLong()).isEqualTo(1000);
    assertThat(id.get("mean").asDouble()).isEqualTo(500.5);
    assertThat(column(json, "score").get("max").asDouble()).isEqualTo(250.0);
    JsonNode kind = column(json, "kind");
    assertThat(kind.get("nulls").asLong()).isEqualTo(100);
    assertThat(kind.get("distinct").asLong()).isEqualTo(3);
  }

  @Test
  void postgresQueryIsProfiledWithoutPrintingCredentials() throws SQLException {
    String url = "jdbc:postgresql://127.0.0.1:5432/test";
    String table = "flywheel_profile_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id INTEGER, amount NUMERIC(10, 2), plan TEXT)");
      s.execute(
          "INSERT INTO "
              + table
              + " SELECT g, g * 1.25, CASE WHEN g % 4 = 0 THEN NULL ELSE 'p' || (g % 2) END"
              + " FROM generate_series(1, 30000) g");
    } catch (SQLException e) {
      assumeThat(false).as("PostgreSQL at 127.0.0.1:5432 is not running: " + e).isTrue();
    }
    try {
      // Trust authentication ignores the password; it must still never be printed.
      CliRunner.Result r =
          CliRunner.run(
              "data",
              "profile",
              url + "?user=postgres",
              "--query",
              "SELECT * FROM " + table,
              "--password-env",
              "HOME",
              "--fetch-size",
              "1000",
              "--json");

      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode json = r.json();
      assertThat(json.get("source").asText()).isEqualTo(url);
      assertThat(json.get("rows").asLong()).isEqualTo(30000);
      assertThat(column(json, "id").get("type").asText()).isEqualTo("integer");
      assertThat(column(json, "amount").get("max").asDouble()).isEqualTo(37500.0);
      assertThat(column(json, "plan").get("nulls").asLong()).isEqualTo(7500);
      assertThat(r.err()).contains("profile");
      String home = System.getenv("HOME");
      if (home != null && home.length() > 3) {
        assertThat(r.out()).doesNotContain(home);
        assertThat(r.err()).doesNotContain(home);
      }
    } finally {
      try (Connection c = DriverManager.getConnection(url, "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  @Test
  void anUnreachableDatabaseExitsWithFourNamingTheHost() {
    CliRunner.Result r =
        CliRunner.run(
            "data",
            "profile",
            "-q",
            "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2",
            "--query",
            "SELECT 1");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
    assertThat(r.err()).contains("127.0.0.1:1");
  }

  @Test
  void anUnsetCredentialVariableIsNamed() {
    CliRunner.Result r =
        CliRunner.run(
            "data",
            "profile",
            "jdbc:postgresql://127.0.0.1:5432/test",
            "--query",
            "SELECT 1",
            "--user-env",
            "FLYWHEEL_SURELY_UNSET_VARIABLE");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("FLYWHEEL_SURELY_UNSET_VARIABLE", "not set");
  }

  @Test
  void anHttpApiIsProfiledPageByPageThroughRetries() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger requests = new AtomicInteger();
    Map<String, Integer> tries = new HashMap<>();
    server.createContext(
        "/items",
        exchange -> {
          requests.incrementAndGet();
          String query = exchange.getRequestURI().getQuery();
          int page = Integer.parseInt(query.replaceAll("(?:.*&)?page=(\\d+).*", "$1"));
          int seen = tries.merge(query, 1, Integer::sum);
          // The first try of page 2 is told to wait, the first of page 3 fails.
          int status = seen == 1 && page == 2 ? 429 : seen == 1 && page == 3 ? 500 : 200;
          StringBuilder body = new StringBuilder("{\"data\": [");
          if (status == 200 && page <= 4) {
            for (int i = 0; i < 25; i++) {
              int id = (page - 1) * 25 + i;
              body.append(i == 0 ? "" : ",")
                  .append("{\"id\": ")
                  .append(id)
                  .append(", \"tier\": \"")
                  .append(id % 5 == 0 ? "gold" : "basic")
                  .append("\"}");
            }
          }
          body.append("]}");
          byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
          if (status == 429) {
            exchange.getResponseHeaders().add("Retry-After", "0");
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/items";
      CliRunner.Result r =
          CliRunner.run(
              "data",
              "profile",
              "-q",
              url,
              "--records",
              "/data",
              "--page-param",
              "page",
              "--limit-param",
              "per_page",
              "--limit",
              "25",
              "--param",
              "sort=id",
              "--json");

      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode json = r.json();
      assertThat(json.get("source").asText()).isEqualTo(url);
      assertThat(json.get("rows").asLong()).isEqualTo(100);
      assertThat(json.get("unparsed").asLong()).isZero();
      assertThat(column(json, "id").get("max").asDouble()).isEqualTo(99.0);
      assertThat(column(json, "id").get("distinct").asLong()).isEqualTo(100);
      assertThat(column(json, "tier").get("top").get(1).get("count").asLong()).isEqualTo(20);
      // Pages 1 to 5 (the empty fifth ends it), plus one retry each for pages 2 and 3.
      assertThat(requests.get()).isEqualTo(7);
    } finally {
      server.stop(0);
    }
  }
}
