package dev.flywheel.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.expr.Expression;
import dev.flywheel.core.features.DatePart;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.ParamSpec;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.schema.AnomalyKind;
import dev.flywheel.core.schema.LogicalType;
import dev.flywheel.core.text.DidYouMean;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code flywheel.yaml} into a {@link PipelineSpec}. It reports every problem at once, each
 * with the file, line, key, the value found and what is allowed, then throws a {@link
 * BadInputException}. Keys and defaults are those of INTERFACES.md, documented in docs/spec.md.
 */
public final class SpecParser {

  /** Model names appear in URLs and file names. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private static final Set<String> TOP =
      keys(
          "name",
          "task",
          "target",
          "source",
          "sources",
          "combine",
          "positive",
          "split",
          "clean",
          "features",
          "candidates",
          "selection",
          "monitoring",
          "retraining",
          "schema",
          "quality");

  private final LocatedYaml yaml;
  private final String sourceName;
  private final Path baseDir;
  private final List<String> problems = new ArrayList<>();

  private SpecParser(LocatedYaml yaml, String sourceName, Path baseDir) {
    this.yaml = yaml;
    this.sourceName = sourceName;
    this.baseDir = baseDir;
  }

  /**
   * Validates a spec stored with a run, as it was when the run read it from {@code file}: relative
   * paths resolve against the file's folder, and the spec keeps its path.
   */
  public static PipelineSpec parseStored(String text, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    PipelineSpec spec = parse(text, file.toString(), abs.getParent());
    return withFile(spec, abs, text);
  }

  private static PipelineSpec withFile(PipelineSpec spec, Path abs, String text) {
    return new PipelineSpec(
        spec.name(),
        spec.task(),
        spec.target(),
        spec.source(),
        spec.positive(),
        spec.split(),
        spec.clean(),
        spec.features(),
        spec.candidates(),
        spec.selection(),
        spec.monitoring(),
        spec.retraining(),
        spec.filters(),
        abs,
        text,
        spec.schema(),
        spec.quality());
  }

  /** Reads and validates a spec file. Relative paths inside it resolve against its folder. */
  public static PipelineSpec parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadInputException(
          "spec file "
              + file
              + " does not exist. Pass the path of a flywheel.yaml, or run in the folder that"
              + " holds one (see docs/spec.md).",
          e);
    } catch (IOException e) {
      throw new BadInputException("spec file " + file + " cannot be read: " + e.getMessage(), e);
    }
    Path abs = file.toAbsolutePath().normalize();
    return withFile(parse(text, file.toString(), abs.getParent()), abs, text);
  }

  /**
   * Validates spec text.
   *
   * @param text the YAML
   * @param sourceName the name used in error messages, usually the file path
   * @param baseDir the folder that relative paths resolve against
   */
  public static PipelineSpec parse(String text, String sourceName, Path baseDir) {
    SpecParser parser = new SpecParser(LocatedYaml.parse(text, sourceName), sourceName, baseDir);
    PipelineSpec spec = parser.spec(text);
    if (!parser.problems.isEmpty()) {
      String header =
          parser.problems.size() == 1
              ? "the spec has a problem:"
              : "the spec has " + parser.problems.size() + " problems:";
      throw new BadInputException(
          header
              + "\n  "
              + String.join("\n  ", parser.problems)
              + "\nSee docs/spec.md for every key and its default.");
    }
    return spec;
  }

  private PipelineSpec spec(String text) {
    JsonNode root = yaml.root();
    if (!root.isObject()) {
      problem("", "the spec must be a mapping of keys such as name, task, target and source");
      return null;
    }
    checkKeys(root, "", TOP);

    String name = requiredString(root, "/name");
    if (name != null && !NAME.matcher(name).matches()) {
      problem(
          "/name",
          "'"
              + name
              + "' is not a valid model name; it must match [a-z0-9][a-z0-9_-]{0,62}"
              + " (lower case, digits, '_' and '-'), because it appears in URLs");
    }
    Task task = null;
    String taskText = requiredString(root, "/task");
    if (taskText != null) {
      task =
          switch (taskText) {
            case "classification" -> Task.CLASSIFICATION;
            case "regression" -> Task.REGRESSION;
            default -> {
              problem("/task", "'" + taskText + "' is not allowed; use classification|regression");
              yield null;
            }
          };
    }
    String target = requiredString(root, "/target");
    SourceSpec source = source(root, name);
    String positive = optionalScalarText(root, "/positive");
    if (positive != null && task == Task.REGRESSION) {
      problem("/positive", "applies to classification only; remove it for a regression task");
    }
    SplitSpec split = split(root, task);
    CleanSpec clean = clean(root);
    FeaturesSpec features = features(root);
    List<CandidateSpec> candidates = candidates(root, task);
    SelectionSpec selection = selection(root, task);
    MonitoringSpec monitoring = monitoring(root, task);
    RetrainingSpec retraining = retraining(root);
    List<RowFilter> filters = cleanFilter(root);
    SchemaSpec schema = schema(root, target);
    QualitySpec quality = quality(root);
    return new PipelineSpec(
        name,
        task,
        target,
        source,
        positive,
        split,
        clean,
        features,
        candidates,
        selection,
        monitoring,
        retraining,
        filters,
        null,
        text,
        schema,
        quality);
  }

  private static final String KINDS = "csv, tsv, jsonl, parquet, jdbc, http or log";

  private static final Set<String> SOURCE_KEYS =
      keys("csv", "tsv", "jsonl", "parquet", "jdbc", "http", "log", "incremental");

  /** {@code source:} (one) or {@code sources:} with {@code combine:} (several); exactly one. */
  private SourceSpec source(JsonNode root, String modelName) {
    JsonNode one = root.get("source");
    JsonNode many = root.get("sources");
    boolean hasOne = one != null && !one.isNull();
    boolean hasMany = many != null && !many.isNull();
    if (hasOne && hasMany) {
      problem(
          "/sources",
          "give either source (one source) or sources (several, with combine), not both");
      return null;
    }
    if (!hasMany && root.has("combine")) {
      problem(
          "/combine",
          "combine goes with sources (several sources); remove it, or list the sources under"
              + " sources:");
    }
    if (hasOne) {
      return sourceEntry(one, "/source", modelName);
    }
    if (!hasMany) {
      problem(
          "",
          "required key 'source' is missing; e.g. source: {csv: data.csv}, or sources: [...] with"
              + " combine: union");
      return null;
    }
    if (!many.isArray() || many.size() < 2) {
      problem(
          "/sources",
          "expected a list of at least two sources, such as [{csv: a.csv}, {csv: b.csv}], found "
              + (many.isArray() ? "a list of " + many.size() : describe(many))
              + "; for one source write source: instead");
      return null;
    }
    List<SourceSpec> sources = new ArrayList<>();
    for (int i = 0; i < many.size(); i++) {
      // Each source of a list quarantines to a file of its own, so none replaces another's.
      String quarantineName = modelName == null ? null : modelName + "-" + (i + 1);
      sources.add(sourceEntry(many.get(i), "/sources/" + i, quarantineName));
    }
    SourceSpec.Combine combine = combine(root.get("combine"));
    if (combine == null || sources.contains(null)) {
      return null;
    }
    return new SourceSpec.Combined(sources, combine);
  }

  /** {@code combine: union}, or {@code combine: {join: KEY, how: inner|left}}. */
  private SourceSpec.Combine combine(JsonNode n) {
    String hint = "use combine: union, or combine: {join: KEY, how: inner|left}";
    if (n == null || n.isNull()) {
      problem(
          "",
          "required key 'combine' is missing: sources need it to say how rows combine; " + hint);
      return null;
    }
    if (n.isTextual()) {
      if (n.asText().equals("union")) {
        return new SourceSpec.Combine.Union();
      }
      problem(
          "/combine",
          "'"
              + n.asText()
              + "' is not allowed"
              + (n.asText().equals("join") ? " alone: a join needs its key column" : "")
              + "; "
              + hint);
      return null;
    }
    if (!isMapping(n, "/combine", "union, or a mapping with join and how")) {
      return null;
    }
    checkKeys(n, "/combine", keys("join", "how"));
    if (!n.has("join")) {
      problem("/combine", "required key 'join' is missing under combine; " + hint);
      return null;
    }
    String key = requiredString(n, "/combine/join");
    String how = choice(n, "/combine/how", "inner", List.of("inner", "left"));
    return key == null
        ? null
        : new SourceSpec.Combine.Join(
            key, SourceSpec.JoinType.valueOf(how.toUpperCase(java.util.Locale.ROOT)));
  }

  /** One source mapping: exactly one kind, and optionally {@code incremental}. */
  private SourceSpec sourceEntry(JsonNode node, String base, String modelName) {
    if (!isMapping(
        node, base, "a mapping with one of: csv, tsv, jsonl, parquet, jdbc, http, log")) {
      return null;
    }
    checkKeys(node, base, SOURCE_KEYS);
    int kinds = 0;
    for (String k : SOURCE_KEYS) {
      if (!k.equals("incremental") && node.has(k)) {
        kinds++;
      }
    }
    if (kinds != 1) {
      problem(base, "must name exactly one source kind: " + KINDS);
      return null;
    }
    SourceSpec plain = plainSource(node, base, modelName);
    JsonNode inc = node.get("incremental");
    if (inc == null || inc.isNull() || plain == null) {
      return plain;
    }
    String p = base + "/incremental";
    if (!isMapping(inc, p, "a mapping with watermark: COLUMN (an increasing id or a timestamp)")) {
      return null;
    }
    checkKeys(inc, p, keys("watermark"));
    if (!inc.has("watermark")) {
      problem(
          p,
          "required key 'watermark' is missing under "
              + keyPath(p)
              + "; name the column that orders the rows, such as an increasing id or updated_at");
      return null;
    }
    String watermark = requiredString(inc, p + "/watermark");
    return watermark == null ? null : new SourceSpec.Incremental(plain, watermark);
  }

  private SourceSpec plainSource(JsonNode node, String base, String modelName) {
    if (node.has("csv")) {
      return delimited(node, base + "/csv", ',', modelName);
    }
    if (node.has("tsv")) {
      return delimited(node, base + "/tsv", '\t', modelName);
    }
    if (node.has("jsonl")) {
      return jsonl(node, base, modelName);
    }
    if (node.has("parquet")) {
      return parquet(node, base);
    }
    if (node.has("http")) {
      return http(node.get("http"), base, modelName);
    }
    if (node.has("log")) {
      return log(node, base);
    }
    JsonNode jdbc = node.get("jdbc");
    String p = base + "/jdbc";
    if (!isMapping(jdbc, p, "a mapping with url and query (or table)")) {
      return null;
    }
    checkKeys(jdbc, p, keys("url", "query", "table", "user_env", "password_env", "fetch_size"));
    String url = requiredString(jdbc, p + "/url");
    if (url != null && !url.startsWith("jdbc:")) {
      problem(p + "/url", "'" + url + "' is not a JDBC URL; it must start with jdbc:");
    }
    String query = jdbc.has("query") ? requiredString(jdbc, p + "/query") : null;
    String table = jdbc.has("table") ? requiredString(jdbc, p + "/table") : null;
    if (jdbc.has("query") == jdbc.has("table")) {
      problem(p, "give exactly one of query (the SQL to run) or table (a table to read whole)");
    }
    String userEnv = jdbc.has("user_env") ? envName(jdbc, p + "/user_env") : null;
    String passwordEnv = jdbc.has("password_env") ? envName(jdbc, p + "/password_env") : null;
    long fetchSize =
        integer(jdbc, p + "/fetch_size", SourceSpec.Jdbc.DEFAULT_FETCH_SIZE, 1, 1_000_000);
    return url == null || (query == null && table == null)
        ? null
        : new SourceSpec.Jdbc(
            resolveJdbc(url), query, table, userEnv, passwordEnv, (int) fetchSize);
  }

  /** {@code http:}: a JSON API read with GET (docs/spec.md, "HTTP API"). */
  private SourceSpec http(JsonNode n, String base, String model) {
    String p = base + "/http";
    if (!isMapping(n, p, "a mapping with url and optional records, params, auth, pagination")) {
      return null;
    }
    checkKeys(
        n,
        p,
        keys(
            "url",
            "params",
            "records",
            "auth",
            "pagination",
            "timeout",
            "retries",
            "max_pages",
            "bad_rows"));
    String url = requiredString(n, p + "/url");
    if (url != null) {
      try {
        java.net.URI uri = new java.net.URI(url);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          problem(p + "/url", "'" + url + "' is not an http:// or https:// URL with a host");
          url = null;
        }
      } catch (java.net.URISyntaxException e) {
        problem(p + "/url", "'" + url + "' is not a URL: " + e.getReason());
        url = null;
      }
    }
    Map<String, String> params = new LinkedHashMap<>();
    JsonNode pn = n.get("params");
    if (pn != null
        && !pn.isNull()
        && isMapping(pn, p + "/params", "a mapping of names to values")) {
      pn.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                  problem(
                      p + "/params/" + e.getKey(),
                      "expected a single value, found " + describe(e.getValue()));
                } else {
                  params.put(e.getKey(), e.getValue().asText());
                }
              });
    }
    String records = pointer(n, p + "/records");
    SourceSpec.Http.HttpAuth auth = httpAuth(n.get("auth"), p + "/auth");
    SourceSpec.Http.Pagination pagination = pagination(n.get("pagination"), p + "/pagination");
    Duration timeout = duration(n, p + "/timeout", SourceSpec.Http.DEFAULT_TIMEOUT);
    long retries = integer(n, p + "/retries", SourceSpec.Http.DEFAULT_RETRIES, 0, 100);
    long maxPages = integer(n, p + "/max_pages", SourceSpec.Http.DEFAULT_MAX_PAGES, 1, 100_000_000);
    SourceSpec.BadRows badRows = badRows(n, p + "/bad_rows");
    return url == null || pagination == null
        ? null
        : new SourceSpec.Http(
            url,
            params,
            records == null ? "" : records,
            auth,
            pagination,
            timeout,
            (int) retries,
            (int) maxPages,
            badRows,
            quarantine(badRows, model));
  }

  private SourceSpec.Http.HttpAuth httpAuth(JsonNode n, String p) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!isMapping(n, p, "a mapping with bearer_env, or api_key_env and header")) {
      return null;
    }
    checkKeys(n, p, keys("bearer_env", "api_key_env", "header"));
    if (n.has("bearer_env") == n.has("api_key_env")) {
      problem(
          p,
          "give exactly one of bearer_env (Authorization: Bearer) or api_key_env (with header),"
              + " each the name of an environment variable");
      return null;
    }
    if (n.has("bearer_env")) {
      if (n.has("header")) {
        problem(
            p + "/header",
            "header goes with api_key_env; a bearer token is sent as" + " Authorization");
      }
      String env = envName(n, p + "/bearer_env");
      return env == null ? null : new SourceSpec.Http.HttpAuth(env, null, null);
    }
    String env = envName(n, p + "/api_key_env");
    String header = n.has("header") ? requiredString(n, p + "/header") : "X-Api-Key";
    if (header != null && !header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      problem(p + "/header", "'" + header + "' is not an HTTP header name, such as X-Api-Key");
      header = null;
    }
    return env == null || header == null ? null : new SourceSpec.Http.HttpAuth(null, env, header);
  }

  private SourceSpec.Http.Pagination pagination(JsonNode n, String p) {
    if (n == null || n.isNull()) {
      return new SourceSpec.Http.Pagination.None();
    }
    if (!isMapping(n, p, "a mapping with type: page, offset, cursor or next_link")) {
      return null;
    }
    List<String> types = List.of("page", "offset", "cursor", "next_link");
    if (!n.has("type")) {
      problem(
          p,
          "required key 'type' is missing under "
              + keyPath(p)
              + "; use "
              + String.join("|", types));
      return null;
    }
    String type = choice(n, p + "/type", null, types);
    if (type == null) {
      return null;
    }
    return switch (type) {
      case "page" -> {
        checkKeys(n, p, keys("type", "param", "start", "size_param", "size"));
        String param = n.has("param") ? requiredString(n, p + "/param") : "page";
        long start = integer(n, p + "/start", 1, 0, Long.MAX_VALUE / 2);
        String sizeParam = n.has("size_param") ? requiredString(n, p + "/size_param") : null;
        long size = integer(n, p + "/size", 100, 1, 1_000_000);
        if (n.has("size") && sizeParam == null) {
          problem(p + "/size", "size needs size_param, the query parameter that carries it");
        }
        yield param == null
            ? null
            : new SourceSpec.Http.Pagination.Page(param, start, sizeParam, size);
      }
      case "offset" -> {
        checkKeys(n, p, keys("type", "param", "limit_param", "limit"));
        String param = n.has("param") ? requiredString(n, p + "/param") : "offset";
        String limitParam = n.has("limit_param") ? requiredString(n, p + "/limit_param") : "limit";
        long limit = integer(n, p + "/limit", 100, 1, 1_000_000);
        yield param == null || limitParam == null
            ? null
            : new SourceSpec.Http.Pagination.Offset(param, limitParam, limit);
      }
      case "cursor" -> {
        checkKeys(n, p, keys("type", "param", "cursor"));
        String param = n.has("param") ? requiredString(n, p + "/param") : "cursor";
        String cursor = n.has("cursor") ? pointer(n, p + "/cursor") : null;
        if (!n.has("cursor")) {
          problem(
              p,
              "required key 'cursor' is missing under "
                  + keyPath(p)
                  + "; give the JSON pointer to the next cursor in a response, such as /next_cursor");
        }
        yield param == null || cursor == null
            ? null
            : new SourceSpec.Http.Pagination.Cursor(param, cursor);
      }
      default -> {
        checkKeys(n, p, keys("type", "next"));
        String next = n.has("next") ? pointer(n, p + "/next") : null;
        if (!n.has("next")) {
          problem(
              p,
              "required key 'next' is missing under "
                  + keyPath(p)
                  + "; give the JSON pointer to the next page's URL in a response, such as"
                  + " /links/next");
        }
        yield next == null ? null : new SourceSpec.Http.Pagination.NextLink(next);
      }
    };
  }

  /** A JSON pointer: empty, or starting with '/'. Null when absent or invalid. */
  private String pointer(JsonNode parent, String pointer) {
    String v = typed(parent, pointer, null, "text", x -> x.isTextual() ? x.asText() : null);
    if (v != null && !v.isEmpty() && !v.startsWith("/")) {
      problem(
          pointer,
          "'" + v + "' is not a JSON pointer; it starts with '/', such as /data or /result/items");
      return null;
    }
    return v;
  }

  private Duration duration(JsonNode parent, String pointer, Duration fallback) {
    JsonNode d = child(parent, pointer);
    if (d == null || d.isNull()) {
      return fallback;
    }
    Matcher m = DURATION.matcher(d.asText());
    if (!d.isValueNode() || !m.matches() || Long.parseLong(m.group(1)) == 0) {
      problem(
          pointer, "'" + d.asText() + "' is not a positive duration; write e.g. 500ms, 30s, 2m");
      return fallback;
    }
    long v = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(v);
      case "s" -> Duration.ofSeconds(v);
      case "m" -> Duration.ofMinutes(v);
      case "h" -> Duration.ofHours(v);
      default -> Duration.ofDays(v);
    };
  }

  /** {@code csv:} or {@code tsv:}: a path (or glob), or a mapping with the options. */
  private SourceSpec delimited(JsonNode source, String ptr, char defaultDelimiter, String model) {
    JsonNode n = child(source, ptr);
    if (n == null || n.isNull() || n.isValueNode()) {
      String path = requiredString(source, ptr);
      return path == null ? null : csvOf(resolve(path), defaultDelimiter);
    }
    if (!isMapping(
        n,
        ptr,
        "a path, or a mapping with path and optional delimiter, quote, header, encoding,"
            + " bad_rows")) {
      return null;
    }
    checkKeys(n, ptr, keys("path", "delimiter", "quote", "header", "encoding", "bad_rows"));
    String path = requiredString(n, ptr + "/path");
    char delimiter = character(n, ptr + "/delimiter", defaultDelimiter);
    char quote = character(n, ptr + "/quote", '"');
    if (delimiter == quote && n.has("quote")) {
      problem(ptr + "/quote", "the quote character must differ from the delimiter");
    }
    boolean header = bool(n, ptr + "/header", true);
    Charset encoding = charset(n, ptr + "/encoding");
    SourceSpec.BadRows badRows = badRows(n, ptr + "/bad_rows");
    if (path == null) {
      return null;
    }
    return new SourceSpec.Csv(
        resolve(path), delimiter, quote, header, encoding, badRows, quarantine(badRows, model));
  }

  private static SourceSpec.Csv csvOf(Path path, char delimiter) {
    SourceSpec.Csv d = new SourceSpec.Csv(path);
    return new SourceSpec.Csv(
        path, delimiter, d.quote(), d.header(), d.encoding(), d.badRows(), d.quarantine());
  }

  private SourceSpec jsonl(JsonNode source, String base, String model) {
    String ptr = base + "/jsonl";
    JsonNode n = source.get("jsonl");
    if (n == null || n.isNull() || n.isValueNode()) {
      String path = requiredString(source, ptr);
      return path == null ? null : new SourceSpec.Jsonl(resolve(path));
    }
    if (!isMapping(n, ptr, "a path, or a mapping with path and optional bad_rows")) {
      return null;
    }
    checkKeys(n, ptr, keys("path", "bad_rows"));
    String path = requiredString(n, ptr + "/path");
    SourceSpec.BadRows badRows = badRows(n, ptr + "/bad_rows");
    return path == null
        ? null
        : new SourceSpec.Jsonl(resolve(path), badRows, quarantine(badRows, model));
  }

  private SourceSpec parquet(JsonNode source, String base) {
    String ptr = base + "/parquet";
    JsonNode n = source.get("parquet");
    if (n == null || n.isNull() || n.isValueNode()) {
      String path = requiredString(source, ptr);
      return path == null ? null : new SourceSpec.Parquet(resolve(path));
    }
    if (!isMapping(n, ptr, "a path, or a mapping with path")) {
      return null;
    }
    checkKeys(n, ptr, keys("path", "bad_rows"));
    if (n.has("bad_rows")) {
      problem(
          ptr + "/bad_rows",
          "Parquet columns are typed, so a Parquet file has no bad rows (a file that cannot be"
              + " read fails the run); remove bad_rows");
    }
    String path = requiredString(n, ptr + "/path");
    return path == null ? null : new SourceSpec.Parquet(resolve(path));
  }

  /** {@code log:} a mapping with path, format (combined, json or regex) and, for regex, pattern. */
  private SourceSpec log(JsonNode source, String base) {
    String ptr = base + "/log";
    JsonNode n = source.get("log");
    if (!isMapping(n, ptr, "a mapping with path and format (combined, json or regex)")) {
      return null;
    }
    checkKeys(n, ptr, keys("path", "format", "pattern"));
    String path = requiredString(n, ptr + "/path");
    if (!n.has("format")) {
      problem(
          ptr,
          "required key 'format' is missing under "
              + keyPath(ptr)
              + "; use combined, json or regex");
      return null;
    }
    String format = choice(n, ptr + "/format", null, List.of("combined", "json", "regex"));
    if (format == null) {
      return null;
    }
    SourceSpec.LogFormat f =
        SourceSpec.LogFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    String pattern = null;
    if (f == SourceSpec.LogFormat.REGEX) {
      pattern = requiredString(n, ptr + "/pattern");
      if (pattern != null) {
        try {
          java.util.regex.Pattern compiled = java.util.regex.Pattern.compile(pattern);
          if (compiled.namedGroups().isEmpty()) {
            problem(
                ptr + "/pattern",
                "the pattern has no named group; name each column with (?<name>...), such as"
                    + " (?<status>\\d+)");
            pattern = null;
          }
        } catch (java.util.regex.PatternSyntaxException e) {
          problem(
              ptr + "/pattern",
              "'"
                  + pattern
                  + "' is not a valid regular expression: "
                  + e.getDescription()
                  + " near index "
                  + e.getIndex()
                  + "; fix it (in YAML, single quotes keep backslashes as they are)");
          pattern = null;
        }
      }
    } else if (n.has("pattern")) {
      problem(
          ptr + "/pattern",
          "pattern goes with format: regex only; remove it, or set format: regex");
    }
    if (path == null || (f == SourceSpec.LogFormat.REGEX && pattern == null)) {
      return null;
    }
    return new SourceSpec.Log(resolve(path), f, pattern);
  }

  private Path resolve(String path) {
    return baseDir.resolve(path).normalize();
  }

  /** Quarantined rows go beside the spec: {@code quarantine/<name>.jsonl} (docs/spec.md). */
  private Path quarantine(SourceSpec.BadRows badRows, String model) {
    if (badRows != SourceSpec.BadRows.QUARANTINE) {
      return null;
    }
    String name = model != null && NAME.matcher(model).matches() ? model : "source";
    return baseDir.resolve("quarantine").resolve(name + ".jsonl").normalize();
  }

  private SourceSpec.BadRows badRows(JsonNode parent, String pointer) {
    String v = choice(parent, pointer, "fail", List.of("fail", "skip", "quarantine"));
    return SourceSpec.BadRows.valueOf(v.toUpperCase(java.util.Locale.ROOT));
  }

  private char character(JsonNode parent, String pointer, char fallback) {
    String v = typed(parent, pointer, null, "text", n -> n.isTextual() ? n.asText() : null);
    if (v == null) {
      return fallback;
    }
    if (v.length() != 1 || v.charAt(0) == '\n' || v.charAt(0) == '\r') {
      problem(
          pointer,
          "'"
              + v
              + "' is not a single character; write one character in double quotes, such as"
              + " \";\" or \"\\t\" for a tab");
      return fallback;
    }
    return v.charAt(0);
  }

  private Charset charset(JsonNode parent, String pointer) {
    String v = typed(parent, pointer, null, "text", n -> n.isTextual() ? n.asText() : null);
    if (v == null) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(v);
    } catch (IllegalArgumentException e) {
      problem(
          pointer,
          "'"
              + v
              + "' is not a character encoding this JVM knows; use a Java charset name such as"
              + " UTF-8, ISO-8859-1, windows-1252 or UTF-16");
      return StandardCharsets.UTF_8;
    }
  }

  /**
   * The name of an environment variable that holds a credential. A spec never holds the credential
   * itself: something that looks like a password instead of a name is refused.
   */
  private String envName(JsonNode parent, String pointer) {
    String name = requiredString(parent, pointer);
    if (name != null && !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      problem(
          pointer,
          "expected the name of an environment variable (such as DB_PASSWORD), not a value;"
              + " credentials never go in the spec");
      return null;
    }
    return name;
  }

  /** SQLite file URLs are files: relative ones resolve against the spec's folder too. */
  private String resolveJdbc(String url) {
    String prefix = "jdbc:sqlite:";
    if (url.startsWith(prefix)) {
      String path = url.substring(prefix.length());
      if (!path.isEmpty()
          && !path.startsWith(":memory:")
          && !path.startsWith("file:")
          && !Path.of(path).isAbsolute()) {
        return prefix + baseDir.resolve(path).normalize();
      }
    }
    return url;
  }

  private SplitSpec split(JsonNode root, Task task) {
    JsonNode node = root.get("split");
    SplitSpec d = SplitSpec.DEFAULT;
    if (node == null || node.isNull()) {
      return d;
    }
    if (!isMapping(node, "/split", "a mapping")) {
      return d;
    }
    checkKeys(
        node,
        "/split",
        keys("validation", "test", "seed", "method", "stratify", "column", "folds"));
    double validation = share(node, "/split/validation", d.validation(), false);
    double test = share(node, "/split/test", d.test(), false);
    if (validation + test >= 1) {
      problem(
          "/split",
          "validation + test is "
              + (validation + test)
              + "; it must be below 1 so rows are left to train on");
    }
    long seed = integer(node, "/split/seed", d.seed(), Long.MIN_VALUE, Long.MAX_VALUE);
    String method = choice(node, "/split/method", d.method(), SplitSpec.METHODS);
    boolean stratify = bool(node, "/split/stratify", d.stratify());
    String column = null;
    boolean needsColumn = method.equals("time") || method.equals("group");
    if (needsColumn) {
      if (node.has("column") && !node.get("column").isNull()) {
        column = requiredString(node, "/split/column");
      } else {
        problem(
            "/split",
            "method "
                + method
                + " needs a column: write split: {method: "
                + method
                + ", column: "
                + (method.equals("time") ? "ts" : "customer_id")
                + "}");
      }
    } else if (node.has("column")) {
      problem(
          "/split/column",
          "only methods time and group take a column; this split's method is "
              + method
              + ". Remove column, or use method: time|group");
    }
    if (method.equals("stratified") && task == Task.REGRESSION) {
      problem(
          "/split/method",
          "stratified keeps class shares, and a regression target has no classes; use hash or"
              + " random");
    }
    // The upper bound on k is the number of rows, known only once data is read (DataPreparer).
    int folds =
        node.has("folds") && !node.get("folds").isNull()
            ? (int) integer(node, "/split/folds", 5, 2, 1_000)
            : 0;
    return new SplitSpec(validation, test, seed, method, stratify, column, folds);
  }

  /**
   * {@code clean:}: dedupe, drop_missing_target and outliers (docs/spec.md). Keys added by other
   * cleaning steps go in the key list here and are read by their own methods.
   */
  private CleanSpec clean(JsonNode root) {
    JsonNode node = root.get("clean");
    CleanSpec d = CleanSpec.DEFAULT;
    if (node == null || node.isNull() || !isMapping(node, "/clean", "a mapping")) {
      return d;
    }
    checkKeys(node, "/clean", CLEAN_KEYS);
    CleanSpec.Dedupe dedupe = dedupe(node.get("dedupe"));
    boolean dropMissing = bool(node, "/clean/drop_missing_target", d.dropMissingTarget());
    CleanSpec.Outliers outliers = outliers(node.get("outliers"));
    List<String> columns = null;
    JsonNode cols = node.get("columns");
    if (cols != null && !cols.isNull()) {
      columns = textList(cols, "/clean/columns");
      if (columns != null && columns.isEmpty()) {
        problem(
            "/clean/columns",
            "an empty list checks no column; list columns, or leave it out for every numeric input");
      }
      if (outliers == null && !node.has("outliers")) {
        problem(
            "/clean/columns",
            "lists the columns the outlier rule checks, but there is no outliers rule; add e.g."
                + " outliers: {method: iqr, factor: 1.5}, or remove columns");
      }
    }
    return new CleanSpec(dedupe, dropMissing, outliers, columns);
  }

  /** {@code dedupe: true | false | {key: [col, ...]}}. */
  private CleanSpec.Dedupe dedupe(JsonNode n) {
    String p = "/clean/dedupe";
    if (n == null || n.isNull()) {
      return CleanSpec.DEFAULT.dedupe();
    }
    if (n.isBoolean()) {
      return n.asBoolean() ? new CleanSpec.Dedupe.FullRow() : new CleanSpec.Dedupe.Off();
    }
    if (!n.isObject()) {
      problem(
          p,
          "expected true, false or {key: [columns]}, found " + describe(n) + "; e.g. dedupe: true");
      return CleanSpec.DEFAULT.dedupe();
    }
    checkKeys(n, p, keys("key"));
    JsonNode key = n.get("key");
    if (key == null || key.isNull()) {
      problem(p, "required key 'key' is missing under clean.dedupe; e.g. {key: [customer_id]}");
      return CleanSpec.DEFAULT.dedupe();
    }
    List<String> columns = textList(key, p + "/key");
    if (columns == null) {
      return CleanSpec.DEFAULT.dedupe();
    }
    if (columns.isEmpty()) {
      problem(p + "/key", "an empty key makes every row a duplicate; list at least one column");
      return CleanSpec.DEFAULT.dedupe();
    }
    return new CleanSpec.Dedupe.Key(columns);
  }

  /** {@code outliers: {method: iqr, factor: 1.5} | {method: zscore, threshold: 3}}, or null. */
  private CleanSpec.Outliers outliers(JsonNode n) {
    String p = "/clean/outliers";
    if (n == null || n.isNull() || !isMapping(n, p, "a mapping such as {method: iqr}")) {
      return null;
    }
    if (!n.has("method") || n.get("method").isNull()) {
      problem(p, "required key 'method' is missing under clean.outliers; use iqr|zscore");
      return null;
    }
    String method = choice(n, p + "/method", null, List.of("iqr", "zscore"));
    if (method == null) {
      return null;
    }
    if (method.equals("iqr")) {
      checkKeys(n, p, keys("method", "factor"));
      return new CleanSpec.Outliers.Iqr(
          number(n, p + "/factor", 1.5, 0, true, Double.MAX_VALUE, "> 0"));
    }
    checkKeys(n, p, keys("method", "threshold"));
    return new CleanSpec.Outliers.ZScore(
        number(n, p + "/threshold", 3, 0, true, Double.MAX_VALUE, "> 0"));
  }

  private static final List<String> SCALES = List.of("none", "standard", "min_max", "robust");

  /**
   * {@code features:} (docs/spec.md, "Features"). Defaults for every column, per-column overrides
   * under {@code columns}, derived features under {@code derive}. Expressions are checked for
   * syntax here; column names and types only when the pipeline is fitted, against the data.
   */
  private FeaturesSpec features(JsonNode root) {
    JsonNode node = root.get("features");
    FeaturesSpec d = FeaturesSpec.DEFAULT;
    if (node == null || node.isNull() || !isMapping(node, "/features", "a mapping")) {
      return d;
    }
    String p = "/features";
    checkKeys(
        node,
        p,
        keys(
            "impute",
            "encode",
            "missing_indicator",
            "clip",
            "scale",
            "bin",
            "columns",
            "derive",
            "select"));
    FeaturesSpec.Impute numeric = d.numericImpute();
    FeaturesSpec.Impute categorical = d.categoricalImpute();
    JsonNode impute = node.get("impute");
    if (impute != null && !impute.isNull() && isMapping(impute, p + "/impute", "a mapping")) {
      checkKeys(impute, p + "/impute", keys("numeric", "categorical"));
      numeric = impute(impute, p + "/impute/numeric", numeric, true);
      categorical = impute(impute, p + "/impute/categorical", categorical, false);
    }
    FeaturesSpec.Transform t = FeaturesSpec.Transform.DEFAULTS;
    FeaturesSpec.Transform defaults =
        new FeaturesSpec.Transform(
            null,
            bool(node, p + "/missing_indicator", t.missingIndicator()),
            node.has("clip") ? clip(node.get("clip"), p + "/clip") : t.clip(),
            node.has("scale") ? scale(node, p + "/scale") : t.scale(),
            node.has("bin") ? bin(node.get("bin"), p + "/bin") : t.bin(),
            node.has("encode") ? encode(node.get("encode"), p + "/encode") : t.encode(),
            null,
            null);
    Map<String, FeaturesSpec.Derive> derive = derive(node.get("derive"), p + "/derive");
    Map<String, FeaturesSpec.Transform> columns = new LinkedHashMap<>();
    JsonNode cols = node.get("columns");
    if (cols != null
        && !cols.isNull()
        && isMapping(cols, p + "/columns", "a mapping of column names to their settings")) {
      for (var e : cols.properties()) {
        String cp = p + "/columns/" + escapePointer(e.getKey());
        FeaturesSpec.Transform c = columnTransform(e.getValue(), cp);
        if (c != null) {
          columns.put(e.getKey(), c);
        }
      }
    }
    return new FeaturesSpec(
        numeric, categorical, defaults, columns, derive, select(node.get("select"), p + "/select"));
  }

  /**
   * {@code {method: variance|correlation|mutual_info|importance, keep: N | [N, ...]}} or {@code
   * {method: ..., threshold: x}}.
   */
  private FeaturesSpec.Select select(JsonNode n, String p) {
    if (n == null || n.isNull()) {
      return null;
    }
    String example = "{method: importance, keep: 10} or {method: correlation, threshold: 0.95}";
    if (!isMapping(n, p, example)) {
      return null;
    }
    checkKeys(n, p, keys("method", "keep", "threshold"));
    if (!n.has("method")) {
      problem(p, "required key 'method' is missing under " + keyPath(p) + "; e.g. " + example);
      return null;
    }
    String method = choice(n, p + "/method", "importance", FeaturesSpec.Select.METHODS);
    boolean hasKeep = nonNull(n, "keep");
    boolean hasThreshold = nonNull(n, "threshold");
    if (hasKeep == hasThreshold) {
      problem(
          p,
          (hasKeep
                  ? "both 'keep' and 'threshold' are set"
                  : "neither 'keep' nor 'threshold' is set")
              + "; set exactly one, e.g. "
              + example);
      return null;
    }
    if (method.equals("correlation") && hasKeep) {
      problem(
          p + "/keep",
          "correlation drops one of each pair whose |r| is above a threshold and takes no 'keep';"
              + " use {method: correlation, threshold: 0.95}");
      return null;
    }
    if (hasThreshold) {
      double max = method.equals("correlation") ? 1 : Double.MAX_VALUE;
      double t =
          number(
              n,
              p + "/threshold",
              0,
              0,
              false,
              max,
              method.equals("correlation") ? "in [0, 1]" : "≥ 0");
      return new FeaturesSpec.Select(method, List.of(), t);
    }
    JsonNode k = n.get("keep");
    List<Integer> keep = new ArrayList<>();
    if (k.isArray()) {
      if (k.isEmpty()) {
        problem(p + "/keep", "an empty list keeps nothing; list counts, e.g. [5, 10, 20]");
      }
      for (int i = 0; i < k.size(); i++) {
        JsonNode e = k.get(i);
        if (!e.isIntegralNumber() || e.asLong() < 1 || e.asLong() > 100_000) {
          problem(p + "/keep/" + i, "expected an integer in [1, 100000], found " + describe(e));
          continue;
        }
        int v = e.asInt();
        if (keep.contains(v)) {
          problem(p + "/keep/" + i, v + " is listed twice");
        } else {
          keep.add(v);
        }
      }
    } else {
      keep.add((int) integer(n, p + "/keep", 1, 1, 100_000));
    }
    return new FeaturesSpec.Select(method, keep, null);
  }

  private static String escapePointer(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private String where(String pointer) {
    return sourceName + ":" + yaml.line(pointer) + " (" + keyPath(pointer) + ")";
  }

  /** One column's overrides; unset keys stay null and inherit the defaults. */
  private FeaturesSpec.Transform columnTransform(JsonNode n, String p) {
    if (!isMapping(
        n,
        p,
        "a mapping such as {impute: mean, scale: robust}, {encode: ordinal} or {date_parts: [year,"
            + " month]}")) {
      return null;
    }
    checkKeys(
        n, p, keys("impute", "missing_indicator", "clip", "scale", "bin", "encode", "date_parts"));
    FeaturesSpec.Impute impute = null;
    JsonNode in = n.get("impute");
    if (in != null && !in.isNull()) {
      impute = impute(n, p + "/impute", null, null);
    }
    Boolean indicator =
        n.has("missing_indicator") && !n.get("missing_indicator").isNull()
            ? bool(n, p + "/missing_indicator", false)
            : null;
    List<DatePart> parts = null;
    JsonNode dp = n.get("date_parts");
    if (dp != null && !dp.isNull()) {
      List<String> names = textList(dp, p + "/date_parts");
      if (names != null) {
        parts = new ArrayList<>();
        List<String> all =
            java.util.Arrays.stream(DatePart.values()).map(DatePart::specName).toList();
        for (int i = 0; i < names.size(); i++) {
          String name = names.get(i);
          DatePart part = DatePart.fromSpecName(name).orElse(null);
          if (part == null) {
            problem(
                p + "/date_parts" + (dp.isArray() ? "/" + i : ""),
                "'"
                    + name
                    + "' is not a date part"
                    + DidYouMean.hint(name, all)
                    + "; use "
                    + String.join("|", all));
          } else if (parts.contains(part)) {
            problem(p + "/date_parts/" + i, "'" + name + "' is listed twice");
          } else {
            parts.add(part);
          }
        }
        if (names.isEmpty()) {
          problem(p + "/date_parts", "an empty list takes no part; list some, e.g. [year, month]");
        }
      }
    }
    return new FeaturesSpec.Transform(
        impute,
        indicator,
        nonNull(n, "clip") ? clip(n.get("clip"), p + "/clip") : null,
        nonNull(n, "scale") ? scale(n, p + "/scale") : null,
        nonNull(n, "bin") ? bin(n.get("bin"), p + "/bin") : null,
        nonNull(n, "encode") ? encode(n.get("encode"), p + "/encode") : null,
        parts,
        where(p));
  }

  private static boolean nonNull(JsonNode n, String key) {
    return n.has(key) && !n.get(key).isNull();
  }

  /**
   * {@code median|mean|most_frequent} or {@code {constant: VALUE}}.
   *
   * @param numeric true: a number column's default; false: a category column's; null: one column,
   *     type unknown until fitting
   */
  private FeaturesSpec.Impute impute(
      JsonNode parent, String pointer, FeaturesSpec.Impute fallback, Boolean numeric) {
    JsonNode n = child(parent, pointer);
    if (n == null || n.isNull()) {
      return fallback;
    }
    // A column's own impute may name median or mean before its type is known; fitting refuses
    // them for a category column.
    List<String> methods =
        Boolean.FALSE.equals(numeric)
            ? List.of("most_frequent")
            : List.of("median", "mean", "most_frequent");
    String hint = String.join("|", methods) + ", or {constant: VALUE}";
    if (n.isTextual()) {
      String m = n.asText();
      if (m.equals("mode")) {
        m = "most_frequent";
      }
      if (!methods.contains(m)) {
        problem(
            pointer,
            "'"
                + n.asText()
                + "' is not allowed"
                + DidYouMean.hint(n.asText(), methods)
                + "; use "
                + hint
                + (m.equals("median") || m.equals("mean") ? " (a category has no " + m + ")" : ""));
        return fallback;
      }
      return FeaturesSpec.Impute.of(m);
    }
    if (!isMapping(n, pointer, hint)) {
      return fallback;
    }
    checkKeys(n, pointer, keys("constant"));
    JsonNode c = n.get("constant");
    if (c == null || c.isNull() || !c.isValueNode()) {
      problem(pointer, "{constant: VALUE} needs a number or a text, found " + describe(n));
      return fallback;
    }
    if (Boolean.TRUE.equals(numeric) && !c.isNumber()) {
      problem(
          pointer + "/constant",
          "a number column needs a number to fill with, found " + describe(c));
      return fallback;
    }
    if (c.isNumber() && !Boolean.FALSE.equals(numeric)) {
      return FeaturesSpec.Impute.constant(c.asDouble());
    }
    return FeaturesSpec.Impute.constant(c.asText());
  }

  /** {@code {quantiles: [LOW, HIGH]}}, {@code {iqr: K}} or {@code none}. */
  private FeaturesSpec.Clip clip(JsonNode n, String p) {
    String hint = "{quantiles: [0.01, 0.99]}, {iqr: 1.5} or none";
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual() && n.asText().equals("none")) {
      return new FeaturesSpec.Clip.None();
    }
    if (!isMapping(n, p, hint)) {
      return null;
    }
    checkKeys(n, p, keys("quantiles", "iqr"));
    if (n.has("quantiles") == n.has("iqr")) {
      problem(p, "give exactly one of quantiles or iqr; e.g. " + hint);
      return null;
    }
    if (n.has("iqr")) {
      return new FeaturesSpec.Clip.Iqr(
          number(n, p + "/iqr", 1.5, 0, false, 1_000, "a multiple of the IQR in [0, 1000]"));
    }
    JsonNode q = n.get("quantiles");
    if (!q.isArray() || q.size() != 2 || !q.get(0).isNumber() || !q.get(1).isNumber()) {
      problem(p + "/quantiles", "expected two numbers [LOW, HIGH], found " + describe(q));
      return null;
    }
    double lo = q.get(0).asDouble();
    double hi = q.get(1).asDouble();
    if (lo < 0 || hi > 1 || lo >= hi) {
      problem(
          p + "/quantiles",
          "["
              + lo
              + ", "
              + hi
              + "] is out of range; it must be 0 ≤ LOW < HIGH ≤ 1, e.g. [0.01,"
              + " 0.99]");
      return null;
    }
    return new FeaturesSpec.Clip.Quantiles(lo, hi);
  }

  private String scale(JsonNode parent, String pointer) {
    JsonNode n = child(parent, pointer);
    if (n != null && n.isTextual() && n.asText().equals("minmax")) {
      return "min_max";
    }
    if (n != null && n.isTextual() && !SCALES.contains(n.asText())) {
      problem(
          pointer,
          "'"
              + n.asText()
              + "' is not allowed"
              + DidYouMean.hint(n.asText(), SCALES)
              + "; use "
              + String.join("|", SCALES));
      return null;
    }
    return choice(parent, pointer, "none", SCALES);
  }

  /** {@code {bins: N, method: quantile|uniform}} or {@code none}. */
  private FeaturesSpec.Bin bin(JsonNode n, String p) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual() && n.asText().equals("none")) {
      return FeaturesSpec.Bin.NONE;
    }
    if (!isMapping(n, p, "{bins: 5, method: quantile|uniform} or none")) {
      return null;
    }
    checkKeys(n, p, keys("bins", "method"));
    if (!n.has("bins")) {
      problem(p, "required key 'bins' is missing under " + keyPath(p) + "; e.g. {bins: 5}");
      return null;
    }
    long bins = integer(n, p + "/bins", 5, 2, 1_000);
    String method = choice(n, p + "/method", "quantile", List.of("quantile", "uniform"));
    return new FeaturesSpec.Bin((int) bins, method);
  }

  /**
   * {@code one_hot|ordinal|frequency}, or a mapping with one of them as its only key: {@code
   * {one_hot: {max_categories: 10, other: true}}}, {@code {ordinal: {order: [S, M, L]}}}.
   */
  private FeaturesSpec.Encode encode(JsonNode n, String p) {
    List<String> methods = List.of("one_hot", "ordinal", "frequency");
    String hint =
        "one_hot|ordinal|frequency, {one_hot: {max_categories: N, other: true}} or {ordinal:"
            + " {order: [A, B, C]}}";
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      if (!methods.contains(n.asText())) {
        problem(
            p,
            "'"
                + n.asText()
                + "' is not allowed"
                + DidYouMean.hint(n.asText(), methods)
                + "; use "
                + hint);
        return null;
      }
      return FeaturesSpec.Encode.of(n.asText());
    }
    if (!isMapping(n, p, hint)) {
      return null;
    }
    checkKeys(n, p, new LinkedHashSet<>(methods));
    if (n.size() != 1) {
      problem(p, "name exactly one encoding; use " + hint);
      return null;
    }
    String method = n.fieldNames().next();
    if (!methods.contains(method)) {
      return null;
    }
    FeaturesSpec.Encode base = FeaturesSpec.Encode.of(method);
    JsonNode opts = n.get(method);
    String op = p + "/" + method;
    if (opts == null || opts.isNull()) {
      return base;
    }
    if (!isMapping(opts, op, "a mapping of options")) {
      return null;
    }
    switch (method) {
      case "one_hot" -> {
        checkKeys(opts, op, keys("max_categories", "other"));
        return new FeaturesSpec.Encode(
            base.method(),
            (int) integer(opts, op + "/max_categories", base.maxCategories(), 1, 100_000),
            bool(opts, op + "/other", false),
            List.of());
      }
      case "ordinal" -> {
        checkKeys(opts, op, keys("order"));
        List<String> order = List.of();
        if (opts.has("order") && !opts.get("order").isNull()) {
          order = textList(opts.get("order"), op + "/order");
          if (order == null) {
            order = List.of();
          } else if (new LinkedHashSet<>(order).size() != order.size()) {
            problem(op + "/order", "lists a category twice; each has one position");
          }
        }
        return new FeaturesSpec.Encode(base.method(), base.maxCategories(), false, order);
      }
      default -> {
        checkKeys(opts, op, keys());
        return base;
      }
    }
  }

  /** {@code derive: {NAME: "EXPRESSION", …}}: syntax checked here, names when fitting. */
  private Map<String, FeaturesSpec.Derive> derive(JsonNode n, String p) {
    Map<String, FeaturesSpec.Derive> out = new LinkedHashMap<>();
    if (n == null
        || n.isNull()
        || !isMapping(n, p, "a mapping of feature names to expressions, e.g. {ratio: \"a / b\"}")) {
      return out;
    }
    for (var e : n.properties()) {
      String name = e.getKey();
      String ep = p + "/" + escapePointer(name);
      if (!NAME.matcher(name.toLowerCase(java.util.Locale.ROOT)).matches() || name.contains("-")) {
        problem(
            ep,
            "'"
                + name
                + "' is not a valid feature name; use letters, digits and '_', starting with a"
                + " letter or digit, so expressions can refer to it");
        continue;
      }
      JsonNode v = e.getValue();
      if (!v.isTextual() && !v.isNumber()) {
        problem(ep, "expected an expression as text, such as \"a / b\", found " + describe(v));
        continue;
      }
      try {
        Expression.parse(v.asText());
        out.put(name, new FeaturesSpec.Derive(v.asText(), where(ep)));
      } catch (BadInputException ex) {
        problem(ep, ex.getMessage());
      }
    }
    return out;
  }

  /**
   * {@code clean.filter}: row filters for training runs, each an expression that must be true for a
   * row to stay. Syntax is checked here; columns and types when the run reads its data.
   */
  private List<RowFilter> cleanFilter(JsonNode root) {
    JsonNode clean = root.get("clean");
    if (clean == null || clean.isNull() || !isMapping(clean, "/clean", "a mapping")) {
      return List.of();
    }
    // clean() checks the keys of the whole mapping, this one's included.
    JsonNode f = clean.get("filter");
    if (f == null || f.isNull()) {
      return List.of();
    }
    List<String> texts = textList(f, "/clean/filter");
    if (texts == null) {
      return List.of();
    }
    List<RowFilter> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String fp = f.isArray() ? "/clean/filter/" + i : "/clean/filter";
      try {
        Expression.parse(texts.get(i));
        out.add(new RowFilter(texts.get(i), where(fp)));
      } catch (BadInputException ex) {
        problem(fp, ex.getMessage());
      }
    }
    return out;
  }

  private static final Set<String> CLEAN_KEYS =
      keys("dedupe", "drop_missing_target", "outliers", "columns", "filter");

  private List<CandidateSpec> candidates(JsonNode root, Task task) {
    JsonNode node = root.get("candidates");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray() || node.isEmpty()) {
      problem(
          "/candidates",
          "must be a non-empty list of candidates, e.g. - {algorithm: xgboost, params: {rounds:"
              + " 200}}; or leave it out for the default search");
      return null;
    }
    List<CandidateSpec> out = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String ptr = "/candidates/" + i;
      JsonNode c = node.get(i);
      if (!isMapping(c, ptr, "a mapping with algorithm and optional name, params and search")) {
        continue;
      }
      checkKeys(
          c,
          ptr,
          keys("name", "algorithm", "params", "search", "model", "inputs", "output", "classes"));
      String algorithmText = requiredString(c, ptr + "/algorithm");
      if (algorithmText == null) {
        continue;
      }
      Algorithm algorithm = Algorithm.fromSpecName(algorithmText).orElse(null);
      if (algorithm == null) {
        problem(
            ptr + "/algorithm",
            "'" + algorithmText + "' is not an algorithm; use " + Algorithm.specNames());
        continue;
      }
      String name = c.has("name") ? requiredString(c, ptr + "/name") : algorithm.specName();
      if (name != null && !names.add(name)) {
        problem(ptr + "/name", "candidate name '" + name + "' is used twice; names must differ");
      }
      CandidateSpec.Search search = search(c, ptr + "/search");
      Map<String, CandidateSpec.Domain> domains = new LinkedHashMap<>();
      JsonNode params = c.get("params");
      if (params != null && !params.isNull() && isMapping(params, ptr + "/params", "a mapping")) {
        for (var it = params.fields(); it.hasNext(); ) {
          var entry = it.next();
          String p = ptr + "/params/" + entry.getKey();
          ParamSpec spec = ParameterTable.find(algorithm, entry.getKey()).orElse(null);
          if (spec == null) {
            problem(
                p,
                "unknown parameter '"
                    + entry.getKey()
                    + "' for "
                    + algorithm.specName()
                    + DidYouMean.hint(
                        entry.getKey(),
                        ParameterTable.of(algorithm).stream().map(ParamSpec::name).toList())
                    + "; valid names: "
                    + ParameterTable.names(algorithm));
            continue;
          }
          CandidateSpec.Domain domain = domain(entry.getValue(), p, spec, search);
          if (domain == null) {
            continue;
          }
          if (task == Task.REGRESSION
              && spec.name().equals(ParameterTable.CLASS_WEIGHT_NAME)
              && !(domain instanceof CandidateSpec.Domain.Values v
                  && v.values().stream().allMatch(x -> x.doubleValue() == 0))) {
            problem(p, "class weights apply to classification only; remove it for regression");
          }
          domains.put(entry.getKey(), domain);
        }
      }
      OnnxSpec onnx = onnx(c, ptr, algorithm);
      if (name != null && search != null && (algorithm != Algorithm.ONNX || onnx != null)) {
        out.add(new CandidateSpec(name, algorithm, domains, search, onnx));
      }
    }
    return out;
  }

  /**
   * The import settings of an {@code algorithm: onnx} candidate, or null (for other algorithms, and
   * when a problem was recorded). The mapping is checked against the graph later, in the ML module.
   */
  private OnnxSpec onnx(JsonNode c, String ptr, Algorithm algorithm) {
    if (algorithm != Algorithm.ONNX) {
      for (String key : List.of("model", "inputs", "output", "classes")) {
        if (c.has(key)) {
          problem(
              ptr + "/" + key,
              "only an onnx candidate takes '"
                  + key
                  + "'; this one is "
                  + algorithm.specName()
                  + ". Remove it, or use algorithm: onnx");
        }
      }
      return null;
    }
    int before = problems.size();
    String file = requiredString(c, ptr + "/model");
    Path model = null;
    if (file != null) {
      model = resolve(file);
      if (!Files.isRegularFile(model)) {
        problem(
            ptr + "/model",
            "the ONNX file "
                + model
                + " does not exist. Give the path of a .onnx file, relative to the spec's folder");
      }
    }
    Map<String, List<String>> inputs = new LinkedHashMap<>();
    JsonNode in = c.get("inputs");
    if (in != null
        && !in.isNull()
        && isMapping(
            in, ptr + "/inputs", "a mapping of graph input names to lists of model inputs")) {
      for (var it = in.fields(); it.hasNext(); ) {
        var e = it.next();
        String p = ptr + "/inputs/" + e.getKey();
        List<String> columns = textList(e.getValue(), p);
        if (columns != null && columns.isEmpty()) {
          problem(p, "an empty list feeds nothing; list the model inputs, e.g. [age, plan=basic]");
        }
        if (columns != null) {
          inputs.put(e.getKey(), columns);
        }
      }
    }
    String output = c.has("output") ? requiredString(c, ptr + "/output") : null;
    List<String> classes = List.of();
    JsonNode cl = c.get("classes");
    if (cl != null && !cl.isNull()) {
      classes = textList(cl, ptr + "/classes");
      if (classes != null && new LinkedHashSet<>(classes).size() != classes.size()) {
        problem(ptr + "/classes", "lists a label twice; each output column has its own label");
      }
    }
    return problems.size() == before ? new OnnxSpec(model, inputs, output, classes) : null;
  }

  /** A list of texts, or one text as a list of one; null (with a problem) otherwise. */
  private List<String> textList(JsonNode n, String pointer) {
    List<String> out = new ArrayList<>();
    if (n.isValueNode() && !n.isNull()) {
      out.add(n.asText());
      return out;
    }
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        if (!n.get(i).isValueNode() || n.get(i).isNull()) {
          problem(pointer + "/" + i, "expected text, found " + describe(n.get(i)));
          return null;
        }
        out.add(n.get(i).asText());
      }
      return out;
    }
    problem(pointer, "expected a list of names, found " + describe(n));
    return null;
  }

  /** One parameter's domain: a value, a list of values, or {min, max, log} for random search. */
  private CandidateSpec.Domain domain(
      JsonNode v, String p, ParamSpec spec, CandidateSpec.Search search) {
    if (v.isObject()) {
      checkKeys(v, p, keys("min", "max", "log"));
      if (search != null && search.method() != CandidateSpec.Search.Method.RANDOM) {
        problem(
            p,
            "a range {min, max} needs random search; add search: {method: random, trials: 20}"
                + " to the candidate, or list the values to try");
        return null;
      }
      Number min = bound(v, p, "min", spec);
      Number max = bound(v, p, "max", spec);
      boolean log = bool(v, p + "/log", false);
      if (min == null || max == null) {
        return null;
      }
      if (min.doubleValue() > max.doubleValue()) {
        problem(p, "min " + min + " is above max " + max + "; swap them");
        return null;
      }
      if (log && min.doubleValue() <= 0) {
        problem(p + "/min", "a log range needs min > 0, was " + min + "; raise min or drop log");
        return null;
      }
      return new CandidateSpec.Domain.Range(
          min.doubleValue(), max.doubleValue(), log, spec.type() == ParamSpec.Type.INTEGER);
    }
    List<JsonNode> items = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(items::add);
      if (items.isEmpty()) {
        problem(p, "an empty list has nothing to search; give at least one value");
        return null;
      }
    } else {
      items.add(v);
    }
    List<Number> values = new ArrayList<>();
    boolean ok = true;
    for (JsonNode item : items) {
      Object value = item.isNumber() ? item.numberValue() : item.asText();
      ParamSpec.Result r = spec.check(value);
      if (r.problem().isPresent()) {
        problem(p, r.problem().get());
        ok = false;
      }
      r.value().ifPresent(values::add);
    }
    return ok ? new CandidateSpec.Domain.Values(values) : null;
  }

  private Number bound(JsonNode range, String p, String key, ParamSpec spec) {
    JsonNode n = range.get(key);
    if (n == null || n.isNull()) {
      problem(
          p,
          "required key '"
              + key
              + "' is missing under "
              + keyPath(p)
              + "; e.g. {min: 0.01,"
              + " max: 0.3, log: true}");
      return null;
    }
    ParamSpec.Result r = spec.check(n.isNumber() ? n.numberValue() : n.asText());
    r.problem().ifPresent(msg -> problem(p + "/" + key, spec.name() + " " + key + ": " + msg));
    return r.value().orElse(null);
  }

  private CandidateSpec.Search search(JsonNode candidate, String p) {
    CandidateSpec.Search d = CandidateSpec.Search.DEFAULT;
    JsonNode n = candidate.get("search");
    if (n == null || n.isNull()) {
      return d;
    }
    if (!isMapping(n, p, "a mapping such as {method: random, trials: 20, seed: 42, cv: 5}")) {
      return null;
    }
    checkKeys(n, p, keys("method", "trials", "seed", "cv"));
    String method = choice(n, p + "/method", "grid", List.of("grid", "random"));
    long trials = integer(n, p + "/trials", d.trials(), 1, 10_000);
    if (n.has("trials") && method.equals("grid")) {
      problem(p + "/trials", "trials applies to random search; add method: random, or remove it");
    }
    long seed = integer(n, p + "/seed", d.seed(), Long.MIN_VALUE, Long.MAX_VALUE);
    long cv = integer(n, p + "/cv", 0, 0, 20);
    if (cv == 1) {
      problem(
          p + "/cv",
          "1 fold cannot cross-validate; use 2 to 20 folds, or 0 (the default) to"
              + " score on the validation split");
      cv = 0;
    }
    return new CandidateSpec.Search(
        method.equals("random")
            ? CandidateSpec.Search.Method.RANDOM
            : CandidateSpec.Search.Method.GRID,
        (int) trials,
        seed,
        (int) cv);
  }

  private SelectionSpec selection(JsonNode root, Task task) {
    JsonNode node = root.get("selection");
    SelectionSpec d = SelectionSpec.DEFAULT;
    if (node == null || node.isNull() || !isMapping(node, "/selection", "a mapping")) {
      return d;
    }
    checkKeys(node, "/selection", keys("metric", "min", "max", "vs_production", "threshold"));
    Metric metric = metric(node, "/selection/metric", null, task);
    Double min = optionalNumber(node, "/selection/min");
    Double max = optionalNumber(node, "/selection/max");
    if (metric != null && min != null && !metric.higherIsBetter()) {
      problem(
          "/selection/min",
          metric.specName() + " is an error metric (lower is better); use max: instead of min:");
    }
    if (metric != null && max != null && metric.higherIsBetter()) {
      problem(
          "/selection/max",
          metric.specName() + " is a score (higher is better); use min: instead of max:");
    }
    SelectionSpec.VsProduction vd = d.vsProduction();
    SelectionSpec.VsProduction vs = vd;
    JsonNode vp = node.get("vs_production");
    String vptr = "/selection/vs_production";
    if (vp != null && !vp.isNull() && isMapping(vp, vptr, "a mapping")) {
      checkKeys(vp, vptr, keys("test", "tolerance", "confidence", "resamples", "seed"));
      String testName =
          choice(
              vp,
              vptr + "/test",
              vd.test().specName(),
              List.of("paired_bootstrap", "mcnemar", "delong"));
      SelectionSpec.GateTest test =
          switch (testName) {
            case "mcnemar" -> SelectionSpec.GateTest.MCNEMAR;
            case "delong" -> SelectionSpec.GateTest.DELONG;
            default -> SelectionSpec.GateTest.PAIRED_BOOTSTRAP;
          };
      if (task == Task.REGRESSION && test != SelectionSpec.GateTest.PAIRED_BOOTSTRAP) {
        problem(
            vptr + "/test",
            testName
                + " compares "
                + (test == SelectionSpec.GateTest.MCNEMAR ? "accuracy" : "ROC AUC")
                + " of classifiers, and task is regression; use test: paired_bootstrap");
      }
      double tolerance =
          number(vp, vptr + "/tolerance", vd.tolerance(), 0, false, Double.MAX_VALUE, "≥ 0");
      double confidence = share(vp, vptr + "/confidence", vd.confidence(), false);
      long resamples = integer(vp, vptr + "/resamples", vd.resamples(), 100, 100_000);
      long seed = integer(vp, vptr + "/seed", vd.seed(), Long.MIN_VALUE, Long.MAX_VALUE);
      vs = new SelectionSpec.VsProduction(tolerance, confidence, (int) resamples, seed, test);
    }
    return new SelectionSpec(metric, min, max, vs, threshold(node, task));
  }

  /**
   * {@code selection.threshold}: null when absent, so the runner can tell explicit from default.
   */
  private ThresholdSpec threshold(JsonNode selection, Task task) {
    String p = "/selection/threshold";
    JsonNode node = selection.get("threshold");
    if (node == null || node.isNull() || !isMapping(node, p, "a mapping such as {method: f1}")) {
      return null;
    }
    if (task == Task.REGRESSION) {
      problem(
          p,
          "a decision threshold applies to binary classification only, and task is regression;"
              + " remove selection.threshold");
      return null;
    }
    checkKeys(node, p, keys("method", "cost", "value"));
    String method =
        choice(
            node,
            p + "/method",
            ThresholdSpec.DEFAULT.method(),
            List.of("f1", "accuracy", "cost", "fixed"));
    if (!method.equals("cost") && node.has("cost")) {
      problem(p + "/cost", "cost applies only to method: cost (method is " + method + ")");
    }
    if (!method.equals("fixed") && node.has("value")) {
      problem(p + "/value", "value applies only to method: fixed (method is " + method + ")");
    }
    switch (method) {
      case "cost" -> {
        JsonNode cost = node.get("cost");
        String cp = p + "/cost";
        if (cost == null || cost.isNull()) {
          problem(
              p,
              "method: cost needs cost: {false_positive: C1, false_negative: C2}, the cost of each"
                  + " kind of mistake");
          return null;
        }
        if (!isMapping(cost, cp, "a mapping {false_positive: C1, false_negative: C2}")) {
          return null;
        }
        checkKeys(cost, cp, keys("false_positive", "false_negative"));
        for (String k : List.of("false_positive", "false_negative")) {
          if (!cost.has(k)) {
            problem(cp, "lacks " + k + "; give both false_positive and false_negative (≥ 0)");
            return null;
          }
        }
        double fp = number(cost, cp + "/false_positive", 1, 0, false, Double.MAX_VALUE, "≥ 0");
        double fn = number(cost, cp + "/false_negative", 1, 0, false, Double.MAX_VALUE, "≥ 0");
        if (fp + fn <= 0) {
          problem(cp, "both costs are 0, so every threshold costs the same; make one positive");
          return null;
        }
        return new ThresholdSpec.MinCost(fp, fn);
      }
      case "fixed" -> {
        if (!node.has("value")) {
          problem(p, "method: fixed needs value: a threshold in [0, 1], such as value: 0.5");
          return null;
        }
        return new ThresholdSpec.Fixed(number(node, p + "/value", 0.5, 0, false, 1, "in [0, 1]"));
      }
      case "f1" -> {
        return new ThresholdSpec.MaxF1();
      }
      default -> {
        // "accuracy"; choice() has already refused anything outside the four methods
        return new ThresholdSpec.MaxAccuracy();
      }
    }
  }

  private MonitoringSpec monitoring(JsonNode root, Task task) {
    JsonNode node = root.get("monitoring");
    MonitoringSpec d = MonitoringSpec.DEFAULT;
    if (task == Task.REGRESSION) {
      d =
          new MonitoringSpec(
              d.drift(),
              new MonitoringSpec.Performance(Metric.RMSE, null, d.performance().minLabels()));
    }
    if (node == null || node.isNull() || !isMapping(node, "/monitoring", "a mapping")) {
      return d;
    }
    checkKeys(node, "/monitoring", keys("drift", "performance"));
    MonitoringSpec.Drift drift = d.drift();
    JsonNode dn = node.get("drift");
    if (dn != null && !dn.isNull() && isMapping(dn, "/monitoring/drift", "a mapping")) {
      String p = "/monitoring/drift";
      checkKeys(dn, p, keys("method", "threshold", "window", "share"));
      drift =
          new MonitoringSpec.Drift(
              choice(dn, p + "/method", drift.method(), List.of("psi")),
              number(dn, p + "/threshold", drift.threshold(), 0, true, Double.MAX_VALUE, "> 0"),
              (int) integer(dn, p + "/window", drift.window(), 10, 10_000_000),
              number(dn, p + "/share", drift.share(), 0, false, 1, "in [0, 1]"));
    }
    MonitoringSpec.Performance perf = d.performance();
    JsonNode pn = node.get("performance");
    if (pn != null && !pn.isNull() && isMapping(pn, "/monitoring/performance", "a mapping")) {
      String p = "/monitoring/performance";
      checkKeys(pn, p, keys("metric", "min", "min_labels"));
      perf =
          new MonitoringSpec.Performance(
              metric(pn, p + "/metric", perf.metric(), task),
              optionalNumber(pn, p + "/min"),
              (int) integer(pn, p + "/min_labels", perf.minLabels(), 1, 100_000_000));
    }
    return new MonitoringSpec(drift, perf);
  }

  private RetrainingSpec retraining(JsonNode root) {
    JsonNode node = root.get("retraining");
    if (node == null || node.isNull() || !isMapping(node, "/retraining", "a mapping")) {
      return null;
    }
    String p = "/retraining";
    checkKeys(node, p, keys("on", "include_feedback", "holdout", "cooldown"));
    List<String> on = new ArrayList<>();
    JsonNode onNode = node.get("on");
    if (onNode == null || onNode.isNull()) {
      on.addAll(List.of("drift", "performance"));
    } else if (!onNode.isArray()) {
      problem(p + "/on", "must be a list of triggers, e.g. [drift, performance]");
    } else {
      for (int i = 0; i < onNode.size(); i++) {
        String t = onNode.get(i).asText();
        if (!t.equals("drift") && !t.equals("performance")) {
          problem(p + "/on/" + i, "'" + t + "' is not a trigger; use drift|performance");
        } else {
          on.add(t);
        }
      }
    }
    boolean feedback = bool(node, p + "/include_feedback", true);
    double holdout = share(node, p + "/holdout", 0.2, false);
    Duration cooldown = Duration.ofSeconds(30);
    JsonNode cd = node.get("cooldown");
    if (cd != null && !cd.isNull()) {
      Matcher m = DURATION.matcher(cd.asText());
      if (!m.matches()) {
        problem(p + "/cooldown", "'" + cd.asText() + "' is not a duration; write e.g. 30s, 5m, 1h");
      } else {
        long n = Long.parseLong(m.group(1));
        cooldown =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
      }
    }
    return new RetrainingSpec(on, feedback, holdout, cooldown);
  }

  private static final Set<String> COLUMN_KEYS =
      keys("type", "min", "max", "nullable", "values", "required");

  /**
   * {@code schema: {columns: {NAME: {type, min, max, nullable, values, required}}, allow_extra}}.
   */
  private SchemaSpec schema(JsonNode root, String target) {
    JsonNode node = root.get("schema");
    if (node == null || node.isNull() || !isMapping(node, "/schema", "a mapping with columns")) {
      return SchemaSpec.NONE;
    }
    checkKeys(node, "/schema", keys("columns", "allow_extra"));
    boolean allowExtra = bool(node, "/schema/allow_extra", true);
    Map<String, SchemaSpec.ColumnSchema> columns = new LinkedHashMap<>();
    JsonNode cols = node.get("columns");
    if (cols == null || cols.isNull()) {
      if (!allowExtra) {
        problem(
            "/schema/allow_extra",
            "false with no declared columns makes every column unexpected; declare them under"
                + " schema.columns");
      }
      return new SchemaSpec(columns, allowExtra);
    }
    if (!isMapping(cols, "/schema/columns", "a mapping from column names to {type, ...}")) {
      return new SchemaSpec(columns, allowExtra);
    }
    var names = cols.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      String p = "/schema/columns/" + name.replace("~", "~0").replace("/", "~1");
      SchemaSpec.ColumnSchema column = schemaColumn(cols.get(name), p, name, target);
      if (column != null) {
        columns.put(name, column);
      }
    }
    return new SchemaSpec(columns, allowExtra);
  }

  private SchemaSpec.ColumnSchema schemaColumn(JsonNode n, String p, String name, String target) {
    // "age:" with nothing after it declares the column with no constraints.
    if (n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty())) {
      return new SchemaSpec.ColumnSchema(null, null, null, true, null, true);
    }
    if (!isMapping(n, p, "a mapping such as {type: integer, min: 0}")) {
      return null;
    }
    int before = problems.size();
    checkKeys(n, p, COLUMN_KEYS);
    LogicalType type = null;
    JsonNode t = n.get("type");
    if (t != null && !t.isNull()) {
      String text = t.isTextual() ? t.asText() : null;
      type = text == null ? null : LogicalType.fromSpecName(text).orElse(null);
      if (type == null) {
        String given = text == null ? describe(t) : "'" + text + "'";
        problem(
            p + "/type",
            given
                + " is not a column type"
                + (text == null
                    ? ""
                    : DidYouMean.hint(
                        text,
                        java.util.Arrays.stream(LogicalType.values())
                            .map(LogicalType::specName)
                            .toList()))
                + "; use "
                + LogicalType.specNames());
      }
    }
    Double min = optionalNumber(n, p + "/min");
    Double max = optionalNumber(n, p + "/max");
    if ((min != null || max != null) && type != null && !type.isNumber()) {
      problem(
          p + (min != null ? "/min" : "/max"),
          "min and max apply to numeric and integer columns, not "
              + type.specName()
              + "; remove them or change the type");
    }
    if (min != null && max != null && min > max) {
      problem(p + "/max", max + " is less than min " + min + "; max must be at least min");
    }
    boolean nullable = bool(n, p + "/nullable", true);
    boolean required = bool(n, p + "/required", true);
    List<String> values = null;
    JsonNode v = n.get("values");
    if (v != null && !v.isNull()) {
      values = textList(v, p + "/values");
      if (values != null && values.isEmpty()) {
        problem(p + "/values", "an empty list allows no value; list the categories, or remove it");
      }
      if (type != null && type != LogicalType.CATEGORICAL) {
        problem(
            p + "/values",
            "values apply to categorical columns, not "
                + type.specName()
                + "; remove it or use type: categorical");
      }
    }
    if (name.equals(target) && !required) {
      problem(p + "/required", "the target '" + target + "' is always required; remove required");
    }
    return problems.size() == before
        ? new SchemaSpec.ColumnSchema(type, min, max, nullable, values, required)
        : null;
  }

  /** {@code quality: {max_null_rate, fail_on, max_row_change, max_psi}}. */
  private QualitySpec quality(JsonNode root) {
    JsonNode node = root.get("quality");
    QualitySpec d = QualitySpec.DEFAULT;
    if (node == null || node.isNull() || !isMapping(node, "/quality", "a mapping")) {
      return d;
    }
    String p = "/quality";
    checkKeys(node, p, keys("max_null_rate", "fail_on", "max_row_change", "max_psi"));
    Double maxNullRate = d.maxNullRate();
    if (node.has("max_null_rate") && !node.get("max_null_rate").isNull()) {
      maxNullRate = number(node, p + "/max_null_rate", 1, 0, false, 1, "in [0, 1]");
    }
    Set<AnomalyKind> failOn = d.failOn();
    JsonNode f = node.get("fail_on");
    if (f != null && !f.isNull()) {
      List<String> names = textList(f, p + "/fail_on");
      if (names != null) {
        failOn = EnumSet.noneOf(AnomalyKind.class);
        for (int i = 0; i < names.size(); i++) {
          String k = names.get(i);
          AnomalyKind kind = AnomalyKind.fromSpecName(k).orElse(null);
          if (kind == null) {
            problem(
                f.isArray() ? p + "/fail_on/" + i : p + "/fail_on",
                "'"
                    + k
                    + "' is not an anomaly kind"
                    + DidYouMean.hint(
                        k,
                        java.util.Arrays.stream(AnomalyKind.values())
                            .map(AnomalyKind::specName)
                            .toList())
                    + "; use "
                    + AnomalyKind.specNames());
          } else {
            failOn.add(kind);
          }
        }
      }
    }
    double maxRowChange =
        number(node, p + "/max_row_change", d.maxRowChange(), 0, true, Double.MAX_VALUE, "> 0");
    double maxPsi = number(node, p + "/max_psi", d.maxPsi(), 0, true, Double.MAX_VALUE, "> 0");
    return new QualitySpec(maxNullRate, failOn, maxRowChange, maxPsi);
  }

  // ---- helpers: each records a problem and returns a usable fallback, so all problems surface.

  private void problem(String pointer, String message) {
    String key = pointer.isEmpty() ? "" : " " + keyPath(pointer) + ":";
    problems.add(sourceName + ":" + yaml.line(pointer) + ":" + key + " " + message);
  }

  private static String keyPath(String pointer) {
    StringBuilder sb = new StringBuilder();
    for (String part : pointer.substring(1).split("/")) {
      if (part.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(part).append(']');
      } else {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return sb.toString();
  }

  private static Set<String> keys(String... keys) {
    return new LinkedHashSet<>(List.of(keys));
  }

  private void checkKeys(JsonNode node, String pointer, Set<String> allowed) {
    node.fieldNames()
        .forEachRemaining(
            k -> {
              if (!allowed.contains(k)) {
                String where = pointer.isEmpty() ? "at the top level" : "under " + keyPath(pointer);
                problem(
                    pointer + "/" + k,
                    "unknown key '"
                        + k
                        + "' "
                        + where
                        + DidYouMean.hint(k, allowed)
                        + "; allowed keys: "
                        + String.join(", ", allowed));
              }
            });
  }

  private boolean isMapping(JsonNode node, String pointer, String what) {
    if (node.isObject()) {
      return true;
    }
    problem(pointer, "expected " + what + ", found " + describe(node));
    return false;
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "the text '" + node.asText() + "'";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    if (node.isBoolean()) {
      return node.asText();
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return "null";
  }

  private JsonNode child(JsonNode parent, String pointer) {
    return parent.get(lastKey(pointer));
  }

  private static String lastKey(String pointer) {
    return pointer.substring(pointer.lastIndexOf('/') + 1);
  }

  private String requiredString(JsonNode parent, String pointer) {
    JsonNode n = child(parent, pointer);
    if (n == null || n.isNull()) {
      String parentPtr = pointer.substring(0, pointer.lastIndexOf('/'));
      String where = parentPtr.isEmpty() ? "" : " under " + keyPath(parentPtr);
      problem(parentPtr, "required key '" + lastKey(pointer) + "' is missing" + where);
      return null;
    }
    if (!n.isValueNode() || n.asText().isBlank()) {
      problem(pointer, "expected text, found " + describe(n));
      return null;
    }
    return n.asText();
  }

  private String optionalScalarText(JsonNode parent, String pointer) {
    JsonNode n = child(parent, pointer);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isValueNode()) {
      problem(pointer, "expected a single value, found " + describe(n));
      return null;
    }
    return n.asText();
  }

  private <T> T typed(
      JsonNode parent, String pointer, T fallback, String what, Function<JsonNode, T> read) {
    JsonNode n = child(parent, pointer);
    if (n == null || n.isNull()) {
      return fallback;
    }
    T value = read.apply(n);
    if (value == null) {
      problem(pointer, "expected " + what + ", found " + describe(n));
      return fallback;
    }
    return value;
  }

  private double number(
      JsonNode parent,
      String pointer,
      double fallback,
      double min,
      boolean minExclusive,
      double max,
      String rule) {
    double v =
        typed(parent, pointer, fallback, "a number", n -> n.isNumber() ? n.asDouble() : null);
    boolean below = minExclusive ? v <= min : v < min;
    if (below || v > max) {
      problem(pointer, v + " is out of range; it must be " + rule);
      return fallback;
    }
    return v;
  }

  private double share(JsonNode parent, String pointer, double fallback, boolean allowZero) {
    double v =
        typed(parent, pointer, fallback, "a number", n -> n.isNumber() ? n.asDouble() : null);
    if ((allowZero ? v < 0 : v <= 0) || v >= 1) {
      problem(pointer, v + " is out of range; it must be greater than 0 and less than 1");
      return fallback;
    }
    return v;
  }

  private Double optionalNumber(JsonNode parent, String pointer) {
    return typed(parent, pointer, null, "a number", n -> n.isNumber() ? n.asDouble() : null);
  }

  private long integer(JsonNode parent, String pointer, long fallback, long min, long max) {
    long v =
        typed(
            parent,
            pointer,
            fallback,
            "an integer",
            n -> n.isIntegralNumber() ? Long.valueOf(n.asLong()) : null);
    if (v < min || v > max) {
      problem(pointer, v + " is out of range; it must be an integer in [" + min + ", " + max + "]");
      return fallback;
    }
    return v;
  }

  private boolean bool(JsonNode parent, String pointer, boolean fallback) {
    return typed(
        parent, pointer, fallback, "true or false", n -> n.isBoolean() ? n.asBoolean() : null);
  }

  private String choice(JsonNode parent, String pointer, String fallback, List<String> allowed) {
    String v = typed(parent, pointer, fallback, "text", n -> n.isTextual() ? n.asText() : null);
    if (!allowed.contains(v)) {
      problem(pointer, "'" + v + "' is not allowed; use " + String.join("|", allowed));
      return fallback;
    }
    return v;
  }

  private Metric metric(JsonNode parent, String pointer, Metric fallback, Task task) {
    String text = typed(parent, pointer, null, "text", n -> n.isTextual() ? n.asText() : null);
    if (text == null) {
      return fallback;
    }
    Metric m = Metric.fromSpecName(text).orElse(null);
    if (m == null || (task != null && m.task() != task)) {
      String allowed = task == null ? "a metric name" : Metric.specNames(task);
      problem(
          pointer,
          "'"
              + text
              + "' is not a metric for "
              + (task == null ? "this task" : task.specName())
              + "; use "
              + allowed);
      return fallback;
    }
    return m;
  }
}
