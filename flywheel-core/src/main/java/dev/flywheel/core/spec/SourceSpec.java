package dev.flywheel.core.spec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/** Where a training run reads its data. The set of kinds grows with the data issues. */
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

  /** A JDBC query. */
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
}
