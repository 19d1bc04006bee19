package dev.flywheel.core.spec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a training run reads its data. The set of kinds grows with the data issues. A plain kind
 * ({@link Csv}, {@link Jdbc}, ...) may be wrapped once in {@link Incremental}; {@link Combined}
 * holds two or more of those and says how their rows are combined. Neither wrapper nests.
 */
public sealed interface SourceSpec {

  /** A one-line description for progress output and run records. Never holds credentials. */
  String describe();

  /** What a file source does with a row it cannot read (docs/spec.md, "Bad rows"). */
  enum BadRows {
    /** The run stops at the first bad row, naming its file and line (the default). */
    FAIL,
    /** Bad rows are left out and counted. */
    SKIP,
    /** Bad rows are left out, counted and written, raw, with file and line, to a file. */
    QUARANTINE;

    /** The spec's spelling: {@code fail}, {@code skip} or {@code quarantine}. */
    public String specName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A file source: a path or a glob, and its bad-row policy. */
  sealed interface FileSource extends SourceSpec {
    /** The file or glob, resolved against the spec's folder. */
    Path path();

    BadRows badRows();

    /** Where quarantined rows are written; null unless {@link #badRows()} is QUARANTINE. */
    Path quarantine();

    @Override
    default String describe() {
      return path().toString();
    }
  }

  /**
   * Delimited text (CSV, TSV). The path is already resolved against the spec's folder; it may be a
   * glob, and files ending in {@code .gz} are decompressed as they are read.
   *
   * @param delimiter the field separator ({@code ','}; {@code '\t'} for TSV)
   * @param quote the quote character
   * @param header whether the first row names the columns; without one they are c1..cN
   * @param encoding the text's charset, decoded strictly
   */
  record Csv(
      Path path,
      char delimiter,
      char quote,
      boolean header,
      Charset encoding,
      BadRows badRows,
      Path quarantine)
      implements FileSource {

    public Csv {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(encoding, "encoding");
      Objects.requireNonNull(badRows, "badRows");
    }

    /** A UTF-8, comma-separated file with a header, failing on bad rows: {@code csv: PATH}. */
    public Csv(Path path) {
      this(path, ',', '"', true, StandardCharsets.UTF_8, BadRows.FAIL, null);
    }
  }

  /** JSON Lines: one JSON object per line, UTF-8; a path or glob, {@code .gz} allowed. */
  record Jsonl(Path path, BadRows badRows, Path quarantine) implements FileSource {

    public Jsonl {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(badRows, "badRows");
    }

    public Jsonl(Path path) {
      this(path, BadRows.FAIL, null);
    }
  }

  /**
   * Parquet files, read in-process through DuckDB. Parquet is typed, so there are no bad rows: a
   * file that cannot be read fails the run.
   */
  record Parquet(Path path) implements FileSource {
    public Parquet {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public BadRows badRows() {
      return BadRows.FAIL;
    }

    @Override
    public Path quarantine() {
      return null;
    }
  }

  /**
   * A JDBC query, or a whole table.
   *
   * @param url the JDBC URL; a relative SQLite path is already resolved against the spec's folder
   * @param query the SQL to run, or null when {@code table} is given
   * @param table a table to read whole, or null when {@code query} is given
   * @param userEnv the environment variable holding the user name, or null
   * @param passwordEnv the environment variable holding the password, or null
   * @param fetchSize rows fetched per round trip
   */
  record Jdbc(
      String url, String query, String table, String userEnv, String passwordEnv, int fetchSize)
      implements SourceSpec {

    /** Rows fetched per round trip unless the spec says otherwise. */
    public static final int DEFAULT_FETCH_SIZE = 10_000;

    /** A query with no credentials and the default fetch size. */
    public Jdbc(String url, String query) {
      this(url, query, null, null, null, DEFAULT_FETCH_SIZE);
    }

    @Override
    public String describe() {
      // URLs may carry a password as a parameter: keep only what comes before it.
      int q = url.indexOf('?');
      return (q < 0 ? url : url.substring(0, q)) + (table == null ? " (query)" : " table " + table);
    }
  }

  /**
   * A JSON HTTP API read with GET, page by page.
   *
   * @param url the http(s) URL; the request never leaves its host
   * @param params query parameters added to every request, in order
   * @param records the JSON pointer to the array of records in each response; "" for the body
   * @param auth where a credential header comes from, or null
   * @param pagination how the next page is asked for
   * @param timeout per request (connect and response)
   * @param retries retries after a 429, a 5xx or a network error
   * @param maxPages the most pages read; more is an error, never a silent cut
   */
  record Http(
      String url,
      java.util.Map<String, String> params,
      String records,
      HttpAuth auth,
      Pagination pagination,
      java.time.Duration timeout,
      int retries,
      int maxPages,
      BadRows badRows,
      Path quarantine)
      implements SourceSpec {

    public static final java.time.Duration DEFAULT_TIMEOUT = java.time.Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES = 5;
    public static final int DEFAULT_MAX_PAGES = 10_000;

    public Http {
      Objects.requireNonNull(url, "url");
      params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
      Objects.requireNonNull(records, "records");
      Objects.requireNonNull(pagination, "pagination");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(badRows, "badRows");
    }

    /** One GET of the URL, records in the body's array, the defaults otherwise. */
    public Http(String url, String records) {
      this(
          url,
          java.util.Map.of(),
          records,
          null,
          new Pagination.None(),
          DEFAULT_TIMEOUT,
          DEFAULT_RETRIES,
          DEFAULT_MAX_PAGES,
          BadRows.FAIL,
          null);
    }

    @Override
    public String describe() {
      // Query parameters may carry a key: keep only what comes before them.
      int q = url.indexOf('?');
      return q < 0 ? url : url.substring(0, q);
    }

    /**
     * A credential header from an environment variable: {@code Authorization: Bearer $bearerEnv},
     * or {@code header: $apiKeyEnv}. Exactly one of the two names is set.
     */
    public record HttpAuth(String bearerEnv, String apiKeyEnv, String header) {}

    /** How the next page is asked for. Every kind stops at a page with no records. */
    public sealed interface Pagination {
      /** One request. */
      record None() implements Pagination {}

      /** {@code param=start, start+1, ...}, with {@code sizeParam=size} when sizeParam is set. */
      record Page(String param, long start, String sizeParam, long size) implements Pagination {}

      /** {@code param=0, n, 2n...} (n records seen so far) with {@code limitParam=limit}. */
      record Offset(String param, String limitParam, long limit) implements Pagination {}

      /** {@code param=<the value at the cursor pointer of the last response>}; none ends. */
      record Cursor(String param, String cursor) implements Pagination {}

      /** The next URL is at the {@code next} pointer of the last response; none ends. */
      record NextLink(String next) implements Pagination {}
    }
  }

  /**
   * Log files: a path or glob ({@code .gz} allowed; rotated sets are read oldest first), each line
   * parsed by a preset or a regular expression. Lines that do not parse are counted and shown as
   * {@code unparsed}, never a reason to fail the run.
   *
   * @param format how a line is parsed
   * @param pattern the regular expression, with named groups as columns; only for {@code regex}
   */
  record Log(Path path, LogFormat format, String pattern) implements SourceSpec {

    public Log {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(format, "format");
      if ((format == LogFormat.REGEX) != (pattern != null)) {
        throw new IllegalArgumentException("a pattern goes with format regex, and only with it");
      }
    }

    @Override
    public String describe() {
      return path + " (" + format.specName() + " log)";
    }
  }

  /** How a log line is parsed. */
  enum LogFormat {
    /** The nginx/Apache combined format. */
    COMBINED,
    /** One JSON object per line. */
    JSON,
    /** A regular expression with named groups. */
    REGEX;

    public String specName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A source collected incrementally (docs/spec.md, "Incremental collection"): each run fetches
   * only the rows whose {@code watermark} column is above the largest value stored for this model
   * and source, appends them to a stored snapshot, and trains on the whole snapshot.
   *
   * @param source the plain source read; never another Incremental or a Combined
   * @param watermark the column that orders rows: an increasing id or a timestamp
   */
  record Incremental(SourceSpec source, String watermark) implements SourceSpec {

    public Incremental {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(watermark, "watermark");
      if (source instanceof Incremental || source instanceof Combined) {
        throw new IllegalArgumentException("an incremental source wraps one plain source");
      }
    }

    @Override
    public String describe() {
      return source.describe() + " (incremental on " + watermark + ")";
    }

    /**
     * What makes this source the same source from run to run, as {@code s-} and 16 hex digits of a
     * SHA-256: its kind, where it reads (path, URL without credentials, query or table, log format)
     * and the watermark column. Options that do not change which rows exist (fetch size, bad-row
     * policy, timeouts) are left out, so changing them keeps the snapshot. The hash keeps URL
     * parameters, which may hold a password, out of the metadata store.
     */
    public String identity() {
      String where =
          switch (source) {
            case Csv c -> "csv|" + c.path() + "|" + c.delimiter() + "|" + c.header();
            case Jsonl j -> "jsonl|" + j.path();
            case Parquet p -> "parquet|" + p.path();
            case Log l -> "log|" + l.path() + "|" + l.format() + "|" + l.pattern();
            case Jdbc j ->
                "jdbc|"
                    + j.url()
                    + "|"
                    + (j.query() != null ? "query|" + j.query() : "table|" + j.table());
            case Http h -> "http|" + h.url() + "|" + h.params() + "|" + h.records();
            case Incremental i -> throw new IllegalStateException("nested incremental source");
            case Combined c ->
                throw new IllegalStateException("combined source inside incremental");
          };
      try {
        byte[] digest =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest((where + "|watermark|" + watermark).getBytes(StandardCharsets.UTF_8));
        return "s-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }

  /**
   * Two or more sources read as one data set (docs/spec.md, "Several sources"): their rows are
   * stacked ({@link Combine.Union}) or matched on a key column ({@link Combine.Join}).
   *
   * @param sources plain or incremental sources, in spec order; for a join the first is the left
   *     side and each further one is joined to the result so far
   */
  record Combined(java.util.List<SourceSpec> sources, Combine combine) implements SourceSpec {

    public Combined {
      sources = java.util.List.copyOf(sources);
      Objects.requireNonNull(combine, "combine");
      if (sources.size() < 2) {
        throw new IllegalArgumentException("a combined source needs at least two sources");
      }
      for (SourceSpec s : sources) {
        if (s instanceof Combined) {
          throw new IllegalArgumentException("combined sources do not nest");
        }
      }
    }

    @Override
    public String describe() {
      java.util.List<String> parts = sources.stream().map(SourceSpec::describe).toList();
      return switch (combine) {
        case Combine.Union u -> "union of " + String.join(" + ", parts);
        case Combine.Join j ->
            String.join(" ⋈ ", parts) + " (" + j.how().specName() + " join on " + j.key() + ")";
      };
    }
  }

  /** How the rows of several sources become one data set. */
  sealed interface Combine {
    /** Rows stacked; columns matched by name, a column a source lacks is missing there. */
    record Union() implements Combine {}

    /**
     * Rows matched on a key column; the right side must have each key at most once.
     *
     * @param key the column every source has
     * @param how which left rows are kept
     */
    record Join(String key, JoinType how) implements Combine {
      public Join {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(how, "how");
      }
    }
  }

  /** Which left rows a join keeps. */
  enum JoinType {
    /** Only left rows whose key is on the right. */
    INNER,
    /** Every left row; right columns are missing where the key is not on the right. */
    LEFT;

    public String specName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
