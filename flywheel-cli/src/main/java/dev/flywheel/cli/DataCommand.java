package dev.flywheel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Json;
import dev.flywheel.core.Progress;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.data.collect.JdbcSource;
import dev.flywheel.data.profile.ColumnProfile;
import dev.flywheel.data.profile.CsvProfiler;
import dev.flywheel.data.profile.DataProfile;
import dev.flywheel.data.profile.JsonProfiler;
import dev.flywheel.data.profile.LogProfiler;
import dev.flywheel.data.profile.TableProfiler;
import dev.flywheel.data.validate.ValidationReport;
import dev.flywheel.pipeline.train.DataPreparer;
import dev.flywheel.pipeline.validate.DataValidation;
import dev.flywheel.store.Workdir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flywheel data}: look at data before training on it. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Inspect and validate data sources.",
    subcommands = {DataCommand.ProfileCommand.class, DataCommand.ValidateCommand.class})
final class DataCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing subcommand: try 'flywheel data profile FILE.csv' or 'flywheel data validate'.");
  }

  /** {@code flywheel data profile SOURCE}. */
  @Command(
      name = "profile",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Profile a data source in one streaming pass: per column the type, count, nulls,"
            + " distinct values, min/max/mean/stddev and quantiles of numbers, and the most"
            + " frequent values of text. Rows with the wrong number of fields are counted as"
            + " unparsed, with their line numbers.",
        "SOURCE is a CSV file with a header row (UTF-8, comma-separated), or a log file or"
            + " glob with --format combined or --pattern REGEX (lines that do not match are"
            + " counted as unparsed)."
      })
  static final class ProfileCommand extends BaseCommand {

    @Parameters(
        paramLabel = "SOURCE",
        description =
            "A .csv/.tsv file (.gz allowed), a .jsonl/.ndjson file or glob, a .parquet file or"
                + " glob, a log with --format or --pattern, jdbc:URL with --query, or an"
                + " http(s):// URL.")
    String source;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Option(
        names = "--format",
        paramLabel = "combined|json",
        description =
            "Read SOURCE (a file or a glob, .gz allowed) as a log: 'combined' for the nginx/Apache"
                + " combined format, 'json' for one JSON object per line.")
    String logFormat;

    @Option(
        names = "--pattern",
        paramLabel = "REGEX",
        description =
            "Read SOURCE (a file or a glob, .gz allowed) as a log whose lines match REGEX; its"
                + " named groups (?<name>...) are the columns.")
    String pattern;

    @Option(names = "--query", paramLabel = "SQL", description = "The SQL to profile (jdbc:).")
    String query;

    @Option(
        names = "--user-env",
        paramLabel = "VAR",
        description = "jdbc: the environment variable holding the user name.")
    String userEnv;

    @Option(
        names = "--password-env",
        paramLabel = "VAR",
        description = "jdbc: the environment variable holding the password (never printed).")
    String passwordEnv;

    @Option(
        names = "--fetch-size",
        paramLabel = "N",
        defaultValue = "10000",
        description = "jdbc: rows fetched per round trip (default ${DEFAULT-VALUE}).")
    int fetchSize;

    @Option(
        names = "--records",
        paramLabel = "POINTER",
        defaultValue = "",
        description =
            "http: the JSON pointer to the list of records in each response, such as /data"
                + " (default: the body itself).")
    String records;

    @Option(
        names = "--param",
        paramLabel = "NAME=VALUE",
        description = "http: a query parameter for every request (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
        names = "--bearer-env",
        paramLabel = "VAR",
        description = "http: send 'Authorization: Bearer' with this environment variable's value.")
    String bearerEnv;

    @Option(
        names = "--api-key-env",
        paramLabel = "VAR",
        description = "http: send this environment variable's value in the --api-key-header.")
    String apiKeyEnv;

    @Option(
        names = "--api-key-header",
        paramLabel = "NAME",
        defaultValue = "X-API-Key",
        description = "http: the header for --api-key-env (default ${DEFAULT-VALUE}).")
    String apiKeyHeader;

    @Option(
        names = "--page-param",
        paramLabel = "NAME",
        description = "http: paginate by page number in this query parameter.")
    String pageParam;

    @Option(
        names = "--page-start",
        paramLabel = "N",
        defaultValue = "1",
        description = "http: the first page number (default ${DEFAULT-VALUE}).")
    long pageStart;

    @Option(
        names = "--offset-param",
        paramLabel = "NAME",
        description = "http: paginate by record offset in this query parameter.")
    String offsetParam;

    @Option(
        names = "--limit-param",
        paramLabel = "NAME",
        description = "http: with --page-param or --offset-param, the page-size parameter.")
    String limitParam;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description = "http: the page size sent in --limit-param (default ${DEFAULT-VALUE}).")
    long limit;

    @Option(
        names = "--cursor-param",
        paramLabel = "NAME",
        description = "http: paginate by a cursor token sent in this query parameter.")
    String cursorParam;

    @Option(
        names = "--cursor",
        paramLabel = "POINTER",
        description = "http: with --cursor-param, the JSON pointer to the next cursor.")
    String cursorPointer;

    @Option(
        names = "--next",
        paramLabel = "POINTER",
        description = "http: paginate by following the next-page link at this JSON pointer.")
    String nextPointer;

    @Option(
        names = "--max-pages",
        paramLabel = "N",
        defaultValue = "10000",
        description = "http: the most pages read; more is an error (default ${DEFAULT-VALUE}).")
    int maxPages;

    @Option(
        names = "--retries",
        paramLabel = "N",
        defaultValue = "5",
        description =
            "http: retries after a 429, a 5xx or a network error (default ${DEFAULT-VALUE}).")
    int retries;

    @Override
    int execute() throws Exception {
      DataProfile profile = profile();
      if (json) {
        out().println(Json.mapper().writeValueAsString(profile.toJson()));
      } else {
        printTable(profile);
      }
      out().flush();
      return ExitCodes.OK;
    }

    private DataProfile profile() {
      String lower = source.toLowerCase(Locale.ROOT);
      if (logFormat != null || pattern != null) {
        return profileLog();
      }
      if (lower.startsWith("jdbc:")) {
        return profileJdbc();
      }
      if (query != null) {
        throw new BadInputException(
            "--query is for database sources; SOURCE '" + source + "' is not a jdbc: URL.");
      }
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        return JsonProfiler.http(httpSpec(), progress());
      }
      if (java.nio.file.Files.isDirectory(Path.of(source))) {
        throw new BadInputException(
            source
                + " is a folder, not a file. Give the path of a file, or a glob such as"
                + " 'data/*.jsonl'.");
      }
      String name = lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
      if (name.endsWith(".csv") || name.endsWith(".tsv")) {
        if (source.contains("*") || source.contains("?")) {
          throw new BadInputException(
              "'"
                  + source
                  + "' is a glob; CSV profiles read one file. Give one file, or concatenate them.");
        }
        return CsvProfiler.profile(Path.of(source), name.endsWith(".tsv") ? '\t' : ',', progress());
      }
      if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
        return JsonProfiler.jsonl(Path.of(source), progress());
      }
      if (lower.endsWith(".parquet")) {
        return TableProfiler.parquet(Path.of(source), progress());
      }
      if (name.endsWith(".log") || name.matches(".*\\.log\\.\\d+")) {
        throw new BadInputException(
            "'"
                + source
                + "' looks like a log: say how to read it with --format combined, --format json"
                + " or --pattern REGEX.");
      }
      int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
      int dot = name.lastIndexOf('.');
      String ext = dot > slash ? "'" + source.substring(dot) + "'" : "no extension";
      throw new BadInputException(
          "cannot tell what kind of data '"
              + source
              + "' is ("
              + ext
              + "). Supported: .csv, .tsv (also .gz), .jsonl, .ndjson (also .gz), .parquet, a log"
              + " with --format combined|json or --pattern REGEX, jdbc:URL with --query SQL, and"
              + " http(s):// URLs with --records /pointer.");
    }

    private DataProfile profileJdbc() {
      if (query == null || query.isBlank()) {
        throw new BadInputException(
            "a jdbc: SOURCE needs the SQL to profile: add --query 'SELECT * FROM my_table'.");
      }
      if (fetchSize < 1) {
        throw new BadInputException("--fetch-size " + fetchSize + " must be at least 1.");
      }
      int q = source.indexOf('?');
      String shown = q < 0 ? source : source.substring(0, q);
      return TableProfiler.jdbc(
          new JdbcSource(
              source, query, new JdbcSource.Credentials(userEnv, passwordEnv), fetchSize),
          shown,
          progress());
    }

    private SourceSpec.Http httpSpec() {
      int kinds =
          (pageParam != null ? 1 : 0)
              + (offsetParam != null ? 1 : 0)
              + (cursorParam != null ? 1 : 0)
              + (nextPointer != null ? 1 : 0);
      if (kinds > 1) {
        throw new BadInputException(
            "give one way to paginate: --page-param, --offset-param, --cursor-param or --next.");
      }
      if (cursorParam != null && cursorPointer == null) {
        throw new BadInputException(
            "--cursor-param needs --cursor POINTER, the JSON pointer to the next cursor in each"
                + " response (such as /next_cursor).");
      }
      if (!records.isEmpty() && !records.startsWith("/")) {
        throw new BadInputException(
            "--records '"
                + records
                + "' is not a JSON pointer; it starts with '/', such as /data.");
      }
      if (limit < 1 || maxPages < 1 || retries < 0) {
        throw new BadInputException(
            "--limit and --max-pages must be at least 1, and --retries at least 0.");
      }
      SourceSpec.Http.Pagination pagination;
      if (pageParam != null) {
        pagination = new SourceSpec.Http.Pagination.Page(pageParam, pageStart, limitParam, limit);
      } else if (offsetParam != null) {
        pagination =
            new SourceSpec.Http.Pagination.Offset(
                offsetParam, limitParam == null ? "limit" : limitParam, limit);
      } else if (cursorParam != null) {
        pagination = new SourceSpec.Http.Pagination.Cursor(cursorParam, cursorPointer);
      } else if (nextPointer != null) {
        pagination = new SourceSpec.Http.Pagination.NextLink(nextPointer);
      } else {
        pagination = new SourceSpec.Http.Pagination.None();
      }
      SourceSpec.Http.HttpAuth auth =
          bearerEnv != null || apiKeyEnv != null
              ? new SourceSpec.Http.HttpAuth(bearerEnv, apiKeyEnv, apiKeyHeader)
              : null;
      return new SourceSpec.Http(
          source,
          params,
          records,
          auth,
          pagination,
          SourceSpec.Http.DEFAULT_TIMEOUT,
          retries,
          maxPages,
          SourceSpec.BadRows.FAIL,
          null);
    }

    private DataProfile profileLog() {
      if (logFormat != null && pattern != null) {
        throw new BadInputException(
            "give --format combined|json or --pattern REGEX, not both (--pattern is for other"
                + " formats).");
      }
      Path path = Path.of(source);
      if (pattern != null) {
        return LogProfiler.regex(path, pattern, progress());
      }
      return switch (logFormat) {
        case "combined" -> LogProfiler.combined(path, progress());
        case "json" -> JsonProfiler.jsonLog(path, progress());
        default ->
            throw new BadInputException(
                "--format '"
                    + logFormat
                    + "' is not known; use --format combined or --format json, or --pattern REGEX"
                    + " for other logs.");
      };
    }

    private void printTable(DataProfile p) {
      out().printf(Locale.ROOT, "%s: %d rows, %d unparsed%n", p.source(), p.rows(), p.unparsed());
      for (DataProfile.Unparsed u : p.unparsedExamples()) {
        out().printf(Locale.ROOT, "  line %d: %s: %s%n", u.line(), u.reason(), u.text());
      }
      out().println();
      String format = "%-24s %-11s %10s %8s %10s %12s %12s %12s %12s %12s  %s%n";
      out()
          .printf(
              Locale.ROOT,
              format,
              "COLUMN",
              "TYPE",
              "COUNT",
              "NULLS",
              "DISTINCT",
              "MIN",
              "P50",
              "MEAN",
              "STDDEV",
              "MAX",
              "TOP");
      for (ColumnProfile c : p.columns()) {
        String distinct = (c.distinctExact() ? "" : "~") + c.distinct();
        switch (c) {
          case ColumnProfile.Numeric n ->
              out()
                  .printf(
                      Locale.ROOT,
                      format,
                      n.name(),
                      n.type(),
                      n.count(),
                      n.nulls(),
                      distinct,
                      num(n.min()),
                      num(n.quantiles().get("p50")),
                      num(n.mean()),
                      num(n.stddev()),
                      num(n.max()),
                      "");
          case ColumnProfile.Categorical k ->
              out()
                  .printf(
                      Locale.ROOT,
                      format,
                      k.name(),
                      k.type(),
                      k.count(),
                      k.nulls(),
                      distinct,
                      "",
                      "",
                      "",
                      "",
                      "",
                      k.top().stream()
                          .limit(3)
                          .map(t -> t.value() + " (" + t.count() + ")")
                          .collect(Collectors.joining(", ")));
        }
      }
    }

    private static String num(Double v) {
      if (v == null) {
        return "-";
      }
      return String.format(Locale.ROOT, "%.6g", v);
    }
  }

  /** {@code flywheel data validate [SOURCE] --spec flywheel.yaml}. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Validate data against a spec's schema and quality gate, as a training run would before"
            + " training: missing and unexpected columns, type mismatches, null rates, values out"
            + " of range, unseen categories, duplicates, and changes in row count and distribution"
            + " against the model's last dataset version in --workdir (when there is one).",
        "",
        "SOURCE overrides the spec's source: a .csv, .tsv, .jsonl, .ndjson or .parquet file (a"
            + " glob and .gz work for CSV, TSV and JSON Lines). Without SOURCE the spec's own"
            + " source is read (incremental sources whole; no watermark moves). Nothing is"
            + " written.",
        "",
        "Exit codes: 0 no anomaly in quality.fail_on (warnings allowed), 1 bad input, 3 the"
            + " quality gate refused the data, 4 infrastructure."
      })
  static final class ValidateCommand extends BaseCommand {

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "SOURCE",
        description = "A data file to validate instead of the spec's source.")
    String source;

    @Option(
        names = "--spec",
        paramLabel = "SPEC",
        description = "The spec whose schema and quality gate apply (default: ./flywheel.yaml).")
    Path specFile = Path.of("flywheel.yaml");

    @Option(names = "--json", description = "Print the report as one JSON document on stdout.")
    boolean json;

    @Override
    int execute() throws Exception {
      PipelineSpec spec = SpecParser.parse(specFile);
      if (source != null) {
        spec = spec.withSource(fileSource(source));
      }
      Progress progress = progress();
      Frame raw = DataPreparer.collectSource(spec, progress).frame();
      Frame curated = DataPreparer.curate(spec, raw, progress).frame();
      ValidationReport report;
      // Compare with the last dataset version only when the workdir exists: validating must not
      // create one.
      if (Files.exists(global.workdir.resolve("flywheel.db"))) {
        try (Workdir workdir = Workdir.open(global.workdir)) {
          report = DataValidation.validate(spec, raw, curated, workdir.metadata(), progress);
        }
      } else {
        report = DataValidation.validate(spec, raw, curated, null, progress);
      }
      if (json) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("source", spec.source().describe());
        o.put("model", spec.name());
        o.setAll((ObjectNode) Json.mapper().valueToTree(report));
        out().println(Json.mapper().writeValueAsString(o));
      } else {
        out()
            .printf(
                Locale.ROOT,
                "%s: %d rows, %d columns (model %s%s)%n%n",
                spec.source().describe(),
                report.rows(),
                report.columns().size(),
                spec.name(),
                report.previousVersion() == null
                    ? ", no earlier dataset version"
                    : ", against dataset version " + report.previousVersion());
        String format = "%-24s %-12s %-12s %8s%n";
        out().printf(Locale.ROOT, format, "COLUMN", "TYPE", "DECLARED", "NULLS");
        for (ValidationReport.ColumnSummary c : report.columns()) {
          out()
              .printf(
                  Locale.ROOT,
                  format,
                  c.name(),
                  c.type(),
                  c.declared() == null ? "-" : c.declared(),
                  c.nulls());
        }
        out().println();
        out().print(ValidationText.anomalies(report));
        out().print(ValidationText.verdict(report));
      }
      out().flush();
      return report.passed() ? ExitCodes.OK : ExitCodes.GATE_REFUSED;
    }

    /** A file path as a source, by its extension. */
    static SourceSpec fileSource(String source) {
      String lower = source.toLowerCase(Locale.ROOT);
      String bare = lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
      Path path = Path.of(source).toAbsolutePath().normalize();
      if (lower.startsWith("jdbc:")
          || lower.startsWith("http://")
          || lower.startsWith("https://")) {
        throw new BadInputException(
            "SOURCE '"
                + source
                + "': only files can be given here; for a database or an HTTP API, put it in the"
                + " spec's source and leave SOURCE out.");
      }
      if (bare.endsWith(".csv")) {
        return new SourceSpec.Csv(path);
      }
      if (bare.endsWith(".tsv")) {
        SourceSpec.Csv d = new SourceSpec.Csv(path);
        return new SourceSpec.Csv(
            path, '\t', d.quote(), d.header(), d.encoding(), d.badRows(), d.quarantine());
      }
      if (bare.endsWith(".jsonl") || bare.endsWith(".ndjson")) {
        return new SourceSpec.Jsonl(path);
      }
      if (lower.endsWith(".parquet")) {
        return new SourceSpec.Parquet(path);
      }
      throw new BadInputException(
          "SOURCE '"
              + source
              + "' is not a file kind Flywheel knows by its name; use a .csv, .tsv, .jsonl,"
              + " .ndjson or .parquet file (optionally .gz), or leave SOURCE out to read the"
              + " spec's source.");
    }
  }
}
