package dev.flywheel.data.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.core.spec.SourceSpec.Http.HttpAuth;
import dev.flywheel.core.spec.SourceSpec.Http.Pagination;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real HTTP server on a random port: pagination, retries, auth and redirects. */
class HttpSourceTest {

  private static final Duration FAST = Duration.ofMillis(10);

  private HttpServer server;
  private String base;
  private final List<URI> requests = new ArrayList<>();
  private final List<Map<String, List<String>>> requestHeaders = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private interface Handler {
    Reply handle(URI uri, int call);
  }

  private record Reply(int status, String body, Map<String, String> headers) {
    static Reply json(String body) {
      return new Reply(200, body, Map.of());
    }
  }

  private void serve(String path, Handler handler) {
    AtomicInteger calls = new AtomicInteger();
    server.createContext(
        path,
        (HttpExchange ex) -> {
          synchronized (requests) {
            requests.add(ex.getRequestURI());
            requestHeaders.add(new HashMap<>(ex.getRequestHeaders()));
          }
          Reply r = handler.handle(ex.getRequestURI(), calls.incrementAndGet());
          r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
          byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
          if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
          }
          ex.close();
        });
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> q = new HashMap<>();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        int eq = kv.indexOf('=');
        q.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return q;
  }

  /** Records 1..total as {"id": i, "name": "n<i>"}, from index from (0-based), at most n. */
  private static String items(int from, int n, int total) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = from; i < Math.min(from + n, total); i++) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append("{\"id\":").append(i + 1).append(",\"name\":\"n").append(i + 1).append("\"}");
    }
    return sb.append(']').toString();
  }

  private SourceSpec.Http spec(String path, String records, Pagination pagination) {
    return spec(path, records, pagination, null, 5);
  }

  private SourceSpec.Http spec(
      String path, String records, Pagination pagination, HttpAuth auth, int retries) {
    return new SourceSpec.Http(
        base + path,
        Map.of("q", "a b"),
        records,
        auth,
        pagination,
        Duration.ofSeconds(5),
        retries,
        1000,
        SourceSpec.BadRows.FAIL,
        null);
  }

  private Frame read(SourceSpec.Http spec) {
    return read(spec, name -> null);
  }

  private Frame read(SourceSpec.Http spec, Function<String, String> env) {
    return new HttpSource(spec, env, FAST).collect(Map.of()).frame();
  }

  private static List<String> ids(Frame f) {
    List<String> out = new ArrayList<>();
    for (int r = 0; r < f.rowCount(); r++) {
      out.add(String.valueOf(f.row(r).get("name")));
    }
    return out;
  }

  @Test
  void pageNumbersUntilAnEmptyPage() {
    serve(
        "/items",
        (uri, call) -> {
          Map<String, String> q = query(uri);
          int page = Integer.parseInt(q.get("p"));
          int size = Integer.parseInt(q.get("per_page"));
          return Reply.json("{\"data\":" + items((page - 1) * size, size, 7) + "}");
        });

    Frame f = read(spec("/items", "/data", new Pagination.Page("p", 1, "per_page", 3)));

    assertThat(f.rowCount()).isEqualTo(7);
    assertThat(f.names()).containsExactly("id", "name");
    assertThat(ids(f)).containsExactly("n1", "n2", "n3", "n4", "n5", "n6", "n7");
    assertThat(requests).hasSize(4);
    assertThat(requests.get(0).getRawQuery()).isEqualTo("q=a+b&p=1&per_page=3");
  }

  @Test
  void offsetAndLimit() {
    serve(
        "/items",
        (uri, call) -> {
          Map<String, String> q = query(uri);
          return Reply.json(
              items(Integer.parseInt(q.get("offset")), Integer.parseInt(q.get("limit")), 5));
        });

    Frame f = read(spec("/items", "", new Pagination.Offset("offset", "limit", 2)));

    assertThat(ids(f)).containsExactly("n1", "n2", "n3", "n4", "n5");
    assertThat(requests)
        .extracting(u -> query(u).get("offset"))
        .containsExactly("0", "2", "4", "5");
  }

  @Test
  void cursorTokensUntilNone() {
    serve(
        "/items",
        (uri, call) -> {
          String c = query(uri).get("after");
          int from = c == null ? 0 : Integer.parseInt(c.substring(3));
          String next = from + 2 >= 5 ? "null" : "\"tok" + (from + 2) + "\"";
          return Reply.json(
              "{\"result\":{\"items\":"
                  + items(from, 2, 5)
                  + "},\"meta\":{\"next\":"
                  + next
                  + "}}");
        });

    Frame f = read(spec("/items", "/result/items", new Pagination.Cursor("after", "/meta/next")));

    assertThat(ids(f)).containsExactly("n1", "n2", "n3", "n4", "n5");
    assertThat(requests).hasSize(3);
  }

  @Test
  void nextLinksRelativeOrAbsoluteOnTheSameHost() {
    serve(
        "/items",
        (uri, call) -> {
          String s = query(uri).get("start");
          int from = s == null ? 0 : Integer.parseInt(s);
          String next =
              from + 2 >= 5
                  ? ""
                  : ",\"links\":{\"next\":\""
                      + (from == 0 ? base : "")
                      + "/items?start="
                      + (from + 2)
                      + "\"}";
          return Reply.json("{\"data\":" + items(from, 2, 5) + next + "}");
        });

    Frame f = read(spec("/items", "/data", new Pagination.NextLink("/links/next")));

    assertThat(ids(f)).containsExactly("n1", "n2", "n3", "n4", "n5");
    assertThat(requests).hasSize(3);
  }

  @Test
  void retriesA429HonouringRetryAfterAndA500ThenReadsEveryRecordOnce() {
    serve(
        "/items",
        (uri, call) -> {
          int page = Integer.parseInt(query(uri).get("page"));
          if (page == 2 && call == 2) {
            return new Reply(429, "slow down", Map.of("Retry-After", "1"));
          }
          if (page == 2 && call == 3) {
            return new Reply(500, "oops", Map.of());
          }
          return Reply.json(items((page - 1) * 2, 2, 5));
        });

    long t0 = System.nanoTime();
    Frame f = read(spec("/items", "", new Pagination.Page("page", 1, null, 0)));
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(ids(f)).containsExactly("n1", "n2", "n3", "n4", "n5");
    assertThat(ms).as("Retry-After: 1 was honoured").isGreaterThanOrEqualTo(1000);
    assertThat(requests).hasSize(6); // 1, 2 (429), 2 (500), 2, 3, 4 (empty)
  }

  @Test
  void anApiThatKeepsFailingIsAnInfrastructureErrorNamingTheUrlWithoutItsQuery() {
    serve("/items", (uri, call) -> new Reply(503, "down", Map.of()));

    assertThatThrownBy(() -> read(spec("/items", "", new Pagination.None(), null, 2)))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("GET " + base + "/items failed after 3 attempts")
        .hasMessageContaining("HTTP 503")
        .hasMessageNotContaining("q=");
    assertThat(requests).hasSize(3);
  }

  @Test
  void aClientErrorIsBadInputShowingTheStartOfTheBody() {
    serve("/items", (uri, call) -> new Reply(404, "{\"error\": \"no such collection\"}", Map.of()));

    assertThatThrownBy(() -> read(spec("/items", "", new Pagination.None())))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(base + "/items answered HTTP 404")
        .hasMessageContaining("no such collection");
    assertThat(requests).hasSize(1);
  }

  @Test
  void bearerTokenAndApiKeyComeFromTheEnvironment() {
    serve("/items", (uri, call) -> Reply.json(items(0, 1, 1)));
    Function<String, String> env = Map.of("TOKEN", "t0k3n", "KEY", "k3y")::get;

    read(spec("/items", "", new Pagination.None(), new HttpAuth("TOKEN", null, null), 0), env);
    read(spec("/items", "", new Pagination.None(), new HttpAuth(null, "KEY", "X-Api-Key"), 0), env);

    assertThat(requestHeaders.get(0).get("Authorization")).containsExactly("Bearer t0k3n");
    assertThat(requestHeaders.get(1).get("X-api-key")).containsExactly("k3y");
    assertThatThrownBy(
            () ->
                read(
                    spec("/items", "", new Pagination.None(), new HttpAuth("NOPE", null, null), 0),
                    env))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("source.http.auth.bearer_env names the environment variable NOPE");
  }

  @Test
  void redirectsAreFollowedOnTheSameHostAndRefusedToAnother() {
    serve("/old", (uri, call) -> new Reply(301, "", Map.of("Location", "/items")));
    serve("/items", (uri, call) -> Reply.json(items(0, 2, 2)));
    serve(
        "/away",
        (uri, call) -> new Reply(302, "", Map.of("Location", "http://example.invalid/steal")));

    assertThat(ids(read(spec("/old", "", new Pagination.None())))).containsExactly("n1", "n2");
    assertThatThrownBy(() -> read(spec("/away", "", new Pagination.None())))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("redirect to another host, example.invalid")
        .hasMessageContaining("refuses it");
  }

  @Test
  void nestedValuesAreBadRowsNamingTheKeyUnderEachPolicy(@TempDir Path dir) throws IOException {
    serve(
        "/items",
        (uri, call) ->
            Reply.json("[{\"id\":1,\"name\":\"a\"},{\"id\":2,\"name\":{\"x\":1}},{\"id\":3}]"));

    assertThatThrownBy(() -> read(spec("/items", "", new Pagination.None())))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(base + "/items (page 1) record:2: key 'name' holds a nested object");

    Path q = dir.resolve("quarantine/x.jsonl");
    SourceSpec.Http s = spec("/items", "", new Pagination.None());
    Collected c =
        new HttpSource(
                new SourceSpec.Http(
                    s.url(),
                    s.params(),
                    "",
                    null,
                    s.pagination(),
                    s.timeout(),
                    0,
                    10,
                    SourceSpec.BadRows.QUARANTINE,
                    q),
                n -> null,
                FAST)
            .collect(Map.of());
    assertThat(c.frame().rowCount()).isEqualTo(2);
    assertThat(c.badRows()).isEqualTo(1);
    assertThat(Files.readString(q)).contains("\"line\":2", "nested object", "\"raw\":");
  }

  @Test
  void recordsPointerThatMissesTheListIsExplained() {
    serve("/items", (uri, call) -> Reply.json("{\"data\": {\"rows\": []}}"));

    assertThatThrownBy(() -> read(spec("/items", "/rows", new Pagination.None())))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("has nothing at '/rows', not a list of records");
  }

  @Test
  void aSlowApiTimesOutAndIsRetriedThenFails() {
    serve(
        "/slow",
        (uri, call) -> {
          try {
            Thread.sleep(1500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Reply.json("[]");
        });
    SourceSpec.Http s = spec("/slow", "", new Pagination.None());
    SourceSpec.Http slow =
        new SourceSpec.Http(
            s.url(),
            s.params(),
            "",
            null,
            s.pagination(),
            Duration.ofMillis(200),
            1,
            10,
            SourceSpec.BadRows.FAIL,
            null);

    assertThatThrownBy(() -> read(slow))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("GET " + base + "/slow failed after 2 attempts")
        .hasMessageContaining("HttpTimeoutException");
  }

  @Test
  void aNextLinkToAnotherHostIsRefused() {
    serve(
        "/items",
        (uri, call) ->
            Reply.json("{\"data\":" + items(0, 2, 2) + ",\"next\":\"http://other.invalid/p2\"}"));

    assertThatThrownBy(() -> read(spec("/items", "/data", new Pagination.NextLink("/next"))))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("next link to another host, other.invalid");
    assertThat(requests).hasSize(1);
  }

  @Test
  void morePagesThanMaxPagesIsAnErrorNotASilentCut() {
    serve("/items", (uri, call) -> Reply.json(items(0, 2, 2)));
    SourceSpec.Http s = spec("/items", "", new Pagination.Page("page", 1, null, 0));
    SourceSpec.Http capped =
        new SourceSpec.Http(
            s.url(),
            s.params(),
            "",
            null,
            s.pagination(),
            s.timeout(),
            0,
            3,
            SourceSpec.BadRows.FAIL,
            null);

    assertThatThrownBy(() -> read(capped))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(base + "/items still returned records after 3 pages")
        .hasMessageContaining("Raise max_pages");
    assertThat(requests).hasSize(3);
  }
}
