package dev.flywheel.data.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.core.spec.SourceSpec.Http.Pagination;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads records from a JSON HTTP API with GET, page by page, into a frame. Each record is a JSON
 * object of scalar values, typed as JSON Lines values are; the columns are the keys in the order
 * they first appear. 429 and 5xx answers and network errors are retried with exponential backoff,
 * honouring {@code Retry-After}; other 4xx answers are bad input. Redirects are followed only
 * within the configured host, so a request (and its credential) never leaves it. Credentials come
 * from environment variables the spec names; their values never appear in a message.
 */
public final class HttpSource {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_REDIRECTS = 10;
  private static final long MAX_RETRY_AFTER = 600;

  private final SourceSpec.Http spec;
  private final Function<String, String> env;
  private final Duration backoff;
  private final String host;

  public HttpSource(SourceSpec.Http spec) {
    this(spec, System::getenv, Duration.ofSeconds(1));
  }

  /**
   * With an explicit environment and backoff base, for tests.
   *
   * @param backoff the wait before the first retry when there is no Retry-After; it doubles
   */
  HttpSource(SourceSpec.Http spec, Function<String, String> env, Duration backoff) {
    this.spec = spec;
    this.env = env;
    this.backoff = backoff;
    this.host = URI.create(spec.url()).getHost();
  }

  public Collected collect(Map<String, ColumnType> forced) {
    JsonRows json = new JsonRows();
    RowFrame rows = new RowFrame();
    try (BadRowSink bad = new BadRowSink(spec.badRows(), spec.quarantine())) {
      stream(
          (r, where, record) -> {
            String[] row = row(r, json, bad, where, record);
            if (row != null) {
              rows.add(row, json::columns);
            }
          });
      if (rows.isEmpty()) {
        throw new BadInputException(
            spec.describe()
                + " returned no records"
                + (bad.count() > 0 ? ": all " + bad.count() + " records were bad rows." : ".")
                + " Check source.http.url, params and records (the JSON pointer to the array).");
      }
      bad.finish();
      return new Collected(rows.frame(json.columns(), forced), bad.count(), bad.quarantined());
    }
  }

  /** Where streamed records go, one JSON value at a time, with where it came from. */
  public interface Records {
    /**
     * @param where the page's URL (without its query) and number, for messages
     * @param number the record's position among all records read, from 1
     */
    void record(JsonNode record, String where, long number);
  }

  /** Reads every page, handing each record to {@code records} as its page arrives. */
  public void stream(Records records) {
    Map<String, String> headers = headers();
    try (HttpClient client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(spec.timeout())
            .build()) {
      Pagination pagination = spec.pagination();
      long page = pagination instanceof Pagination.Page p ? p.start() : 0;
      long offset = 0;
      long record = 0;
      String cursor = null;
      URI next = null;
      boolean more = true;
      int pages = 0;
      while (more) {
        if (pages == spec.maxPages()) {
          throw new BadInputException(
              spec.describe()
                  + " still returned records after "
                  + pages
                  + " pages (source.http.max_pages). Raise max_pages, or narrow the request with"
                  + " params.");
        }
        URI uri =
            switch (pagination) {
              case Pagination.None n -> withQuery(Map.of());
              case Pagination.Page p ->
                  withQuery(
                      p.sizeParam() == null
                          ? Map.of(p.param(), Long.toString(page))
                          : ordered(p.param(), Long.toString(page), p.sizeParam(), "" + p.size()));
              case Pagination.Offset o ->
                  withQuery(
                      ordered(o.param(), Long.toString(offset), o.limitParam(), "" + o.limit()));
              case Pagination.Cursor c ->
                  withQuery(cursor == null ? Map.of() : Map.of(c.param(), cursor));
              case Pagination.NextLink l -> next == null ? withQuery(Map.of()) : next;
            };
        pages++;
        JsonNode body = get(client, uri, headers);
        JsonNode array = records(body, uri);
        String where = safe(uri) + " (page " + pages + ") record";
        for (JsonNode r : array) {
          records.record(r, where, ++record);
        }
        if (array.isEmpty()) {
          break;
        }
        switch (pagination) {
          case Pagination.None n -> more = false;
          case Pagination.Page p -> page++;
          case Pagination.Offset o -> offset += array.size();
          case Pagination.Cursor c -> {
            cursor = text(body.at(c.cursor()));
            more = cursor != null;
          }
          case Pagination.NextLink l -> {
            String link = text(body.at(l.next()));
            if (link == null) {
              more = false;
            } else {
              next = resolve(uri, link, "next link");
              checkHost(uri, next, "next link");
            }
          }
        }
      }
    }
  }

  private static Map<String, String> ordered(String k1, String v1, String k2, String v2) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static String text(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull() || !n.isValueNode()) {
      return null;
    }
    String t = n.asText();
    return t.isEmpty() ? null : t;
  }

  private Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    SourceSpec.Http.HttpAuth auth = spec.auth();
    if (auth != null && auth.bearerEnv() != null) {
      h.put("Authorization", "Bearer " + secret("auth.bearer_env", auth.bearerEnv()));
    } else if (auth != null && auth.apiKeyEnv() != null) {
      h.put(auth.header(), secret("auth.api_key_env", auth.apiKeyEnv()));
    }
    return h;
  }

  private String secret(String key, String variable) {
    String value = env.apply(variable);
    if (value == null || value.isEmpty()) {
      throw new BadInputException(
          "source.http."
              + key
              + " names the environment variable "
              + variable
              + ", which is not set. Export it before the run (its value is never printed).");
    }
    return value;
  }

  /** The spec's URL with its params and the paging parameters, each URL-encoded. */
  private URI withQuery(Map<String, String> paging) {
    Map<String, String> all = new LinkedHashMap<>(spec.params());
    all.putAll(paging);
    StringBuilder sb = new StringBuilder(spec.url());
    boolean first = !spec.url().contains("?");
    for (Map.Entry<String, String> e : all.entrySet()) {
      sb.append(first ? '?' : '&');
      first = false;
      sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return URI.create(sb.toString());
  }

  /** The URL without its query, which may carry a key. */
  static String safe(URI uri) {
    String s = uri.toString();
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }

  private static URI resolve(URI from, String link, String what) {
    try {
      return from.resolve(link);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(
          safe(from) + " sent a " + what + " that is not a URL: '" + start(link) + "'.", e);
    }
  }

  private void checkHost(URI from, URI to, String what) {
    if ("https".equals(from.getScheme()) && !"https".equals(to.getScheme())) {
      // A credential sent over https must not follow a link to plain http.
      throw new BadInputException(
          safe(from)
              + " sent a "
              + what
              + " from https to "
              + safe(to)
              + "; Flywheel refuses it, so a request and its credentials are never sent"
              + " unencrypted. Point source.http.url at the final address.");
    }
    if (to.getHost() == null || !to.getHost().equalsIgnoreCase(host)) {
      throw new BadInputException(
          safe(from)
              + " sent a "
              + what
              + " to another host, "
              + (to.getHost() == null ? safe(to) : to.getHost())
              + "; Flywheel refuses it, so a request and its credentials never leave "
              + host
              + ". Point source.http.url at the final host.");
    }
  }

  /** One GET: redirects within the host, retries on 429, 5xx and network errors. */
  private JsonNode get(HttpClient client, URI start, Map<String, String> headers) {
    String last = null;
    IOException lastError = null;
    for (int attempt = 0; attempt <= spec.retries(); attempt++) {
      Duration wait = backoff.multipliedBy(1L << Math.min(attempt, 20));
      URI uri = start;
      try {
        HttpResponse<String> response = null;
        for (int hop = 0; ; hop++) {
          HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(spec.timeout());
          b.header("Accept", "application/json");
          headers.forEach(b::header);
          response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
          int status = response.statusCode();
          if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null || hop >= MAX_REDIRECTS) {
              throw new BadInputException(
                  safe(uri)
                      + " answered HTTP "
                      + status
                      + (location == null ? " without a Location" : " after too many redirects")
                      + ". Point source.http.url at the final address.");
            }
            URI to = resolve(uri, location, "redirect");
            checkHost(uri, to, "redirect");
            uri = to;
            continue;
          }
          break;
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          try {
            return MAPPER.readTree(response.body());
          } catch (IOException e) {
            throw new BadInputException(
                safe(uri)
                    + " did not answer JSON: "
                    + start(response.body())
                    + ". source.http reads JSON APIs.");
          }
        }
        if (status == 429 || status >= 500) {
          last = "HTTP " + status;
          wait = retryAfter(response).orElse(wait);
        } else {
          throw new BadInputException(
              "GET "
                  + safe(uri)
                  + " answered HTTP "
                  + status
                  + ": "
                  + start(response.body())
                  + (status == 401 || status == 403
                      ? ". Check source.http.auth and the credential's environment variable."
                      : ". Check source.http.url and params."));
        }
      } catch (IOException e) {
        lastError = e;
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InfrastructureException("interrupted while reading " + safe(uri), e);
      }
      if (attempt < spec.retries()) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InfrastructureException("interrupted while reading " + safe(start), e);
        }
      }
    }
    throw new InfrastructureException(
        "GET "
            + safe(start)
            + " failed after "
            + (spec.retries() + 1)
            + " attempts; the last was "
            + last
            + ". The API is down or overloaded: try again later, or raise source.http.retries.",
        lastError);
  }

  private static java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .filter(v -> v.trim().matches("\\d{1,6}"))
        // Honoured, but capped: a broken server must not park a run for days.
        .map(v -> Duration.ofSeconds(Math.min(Long.parseLong(v.trim()), MAX_RETRY_AFTER)));
  }

  private static String start(String body) {
    String b = Objects.requireNonNullElse(body, "").strip().replaceAll("\\s+", " ");
    return b.isEmpty() ? "(empty body)" : b.length() > 200 ? b.substring(0, 200) + "..." : b;
  }

  private JsonNode records(JsonNode body, URI uri) {
    JsonNode array = body == null ? null : body.at(spec.records());
    if (array == null || !array.isArray()) {
      String found =
          array == null || array.isMissingNode()
              ? "nothing"
              : "a JSON " + array.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
      throw new BadInputException(
          "the response of "
              + safe(uri)
              + " has "
              + found
              + " at '"
              + spec.records()
              + "', not a list of records. Set source.http.records to the JSON pointer of the"
              + " list, such as /data or /result/items.");
    }
    return array;
  }

  /** One record's values by column index, or null when it is a bad row. */
  private static String[] row(
      JsonNode node, JsonRows json, BadRowSink bad, String where, long record) {
    if (!node.isObject()) {
      bad.reject(
          where,
          record,
          "the record is a JSON "
              + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
              + ", not an object such as {\"x\": 1, \"y\": \"a\"}.",
          node.toString());
      return null;
    }
    String nested = JsonRows.nestedKey(node);
    if (nested != null) {
      bad.reject(
          where,
          record,
          "key '"
              + nested
              + "' holds a nested "
              + (node.get(nested).isObject() ? "object" : "list")
              + "; values must be numbers, text, true/false or null. Flatten it in the API's"
              + " response, or point records at a list of flat objects.",
          node.toString());
      return null;
    }
    return json.row(node, false);
  }
}
