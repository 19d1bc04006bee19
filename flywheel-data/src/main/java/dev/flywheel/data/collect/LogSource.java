package dev.flywheel.data.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.spec.SourceSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads log files into a frame, one row per line that parses.
 *
 * <ul>
 *   <li>{@code combined}: the nginx/Apache combined format, columns {@link #COMBINED_COLUMNS};
 *   <li>{@code regex}: a regular expression that must match the whole line; its named groups are
 *       the columns, in the order they appear in the pattern;
 *   <li>{@code json}: one JSON object per line; the keys are the columns in the order they first
 *       appear, and a nested object or list is kept as its JSON text.
 * </ul>
 *
 * <p>For {@code combined} and {@code regex}, a field that is {@code -} (or a group that did not
 * take part in the match) is missing. Column types are inferred as for CSV, so {@code status} and
 * {@code bytes} are numbers. A line that does not parse is not an error: it is counted in {@link
 * Collected#unparsed()} and the first {@link Collected#MAX_EXAMPLES} are kept with file and line.
 * Blank lines are skipped. A rotated set ({@code access.log}, {@code access.log.1}, {@code
 * access.log.2.gz}) is read oldest first, so rows come in time order.
 */
public final class LogSource {

  /** The columns of the combined format, in order. */
  public static final List<String> COMBINED_COLUMNS =
      List.of(
          "remote_addr",
          "remote_user",
          "time",
          "method",
          "path",
          "protocol",
          "status",
          "bytes",
          "referer",
          "user_agent");

  /** {@code $remote_addr - $remote_user [$time_local] "$request" $status $bytes "$ref" "$ua"}. */
  public static final Pattern COMBINED =
      Pattern.compile(
          "(?<remoteaddr>\\S+) \\S+ (?<remoteuser>\\S+) \\[(?<time>[^\\]]+)\\]"
              + " \"(?<method>[A-Z]+) (?<path>\\S+) (?<protocol>[^\"\\s]+)\""
              + " (?<status>\\d{3}) (?<bytes>\\d+|-)"
              + " \"(?<referer>(?:[^\"\\\\]|\\\\.)*)\" \"(?<useragent>(?:[^\"\\\\]|\\\\.)*)\"\\s*");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SourceSpec.Log spec;

  public LogSource(SourceSpec.Log spec) {
    this.spec = spec;
  }

  public Collected collect(Map<String, ColumnType> forced) {
    List<Path> files = rotationOrder(SourceFiles.expand(spec.path(), "source.log.path"));
    Parser parser =
        switch (spec.format()) {
          case COMBINED -> new RegexParser(COMBINED, COMBINED_COLUMNS);
          case REGEX -> {
            Pattern p = Pattern.compile(spec.pattern());
            yield new RegexParser(p, groupsInOrder(p));
          }
          case JSON -> new JsonParser();
        };
    long[] unparsed = {0};
    List<Collected.Unparsed> examples = new ArrayList<>();
    RowFrame rows = new RowFrame();
    for (Path file : files) {
      readFile(file, parser, rows, unparsed, examples);
    }
    if (rows.isEmpty()) {
      throw new BadInputException(
          (files.size() == 1 ? files.get(0).toString() : spec.path().toString())
              + " has no line that parses as a "
              + spec.format().specName()
              + " log"
              + (unparsed[0] > 0
                  ? ": all "
                      + unparsed[0]
                      + " lines are unparsed, such as "
                      + examples.get(0).file()
                      + ":"
                      + examples.get(0).line()
                      + ": "
                      + abbreviate(examples.get(0).text())
                  : " (the files are empty)")
              + ". Check source.log.format"
              + (spec.format() == SourceSpec.LogFormat.REGEX ? " and source.log.pattern" : "")
              + " in the spec.");
    }
    return new Collected(rows.frame(parser.columns(), forced), 0, null, unparsed[0], examples);
  }

  /**
   * The files a log path or glob names, oldest first.
   *
   * @param key the option or spec key, for messages
   */
  public static List<Path> files(Path pattern, String key) {
    return rotationOrder(SourceFiles.expand(pattern, key));
  }

  /** A strict UTF-8 reader over the file, decompressed when its name ends in {@code .gz}. */
  public static BufferedReader reader(Path file) throws IOException {
    return new BufferedReader(
        new InputStreamReader(SourceFiles.open(file), CsvSource.decoder(StandardCharsets.UTF_8)));
  }

  /**
   * The line's values, one per group, when the pattern matches the whole line ({@code -} and groups
   * that took no part are null), else null.
   */
  public static String[] match(Pattern pattern, String[] groups, String line) {
    Matcher m = pattern.matcher(line);
    if (!m.matches()) {
      return null;
    }
    String[] row = new String[groups.length];
    for (int i = 0; i < groups.length; i++) {
      String v = m.group(groups[i]);
      row[i] = v == null || v.equals("-") ? null : v;
    }
    return row;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /**
   * Rotated files oldest first: within one base name ({@code access.log}), a higher rotation number
   * ({@code .3}, {@code .3.gz}) is older, and the file without a number is the newest. Other names
   * keep their sorted order.
   */
  public static List<Path> rotationOrder(List<Path> files) {
    List<Path> out = new ArrayList<>(files);
    out.sort(
        Comparator.comparing((Path p) -> p.getParent() == null ? "" : p.getParent().toString())
            .thenComparing(p -> rotationBase(p.getFileName().toString()))
            .thenComparing(
                p -> rotationNumber(p.getFileName().toString()), Comparator.reverseOrder()));
    return out;
  }

  private static final Pattern ROTATED = Pattern.compile("(.*?)(?:\\.(\\d+))?(?:\\.gz)?");

  private static String rotationBase(String name) {
    Matcher m = ROTATED.matcher(name);
    return m.matches() ? m.group(1) : name;
  }

  private static long rotationNumber(String name) {
    Matcher m = ROTATED.matcher(name);
    if (!m.matches() || m.group(2) == null || m.group(2).length() > 9) {
      return 0;
    }
    return Long.parseLong(m.group(2));
  }

  /** The pattern's named groups, in the order they open in the pattern. */
  public static List<String> groupsInOrder(Pattern p) {
    return p.namedGroups().entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .toList();
  }

  private void readFile(
      Path file, Parser parser, RowFrame rows, long[] unparsed, List<Collected.Unparsed> examples) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                SourceFiles.open(file), CsvSource.decoder(StandardCharsets.UTF_8)))) {
      String line;
      long number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (number == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        String[] row = parser.parse(line);
        if (row != null) {
          rows.add(row, parser::columns);
        } else {
          unparsed[0]++;
          if (examples.size() < Collected.MAX_EXAMPLES) {
            examples.add(new Collected.Unparsed(file.toString(), number, line));
          }
        }
      }
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new BadInputException("log file " + file + " cannot be read: " + e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      if (CsvSource.isCodingError(e)) {
        throw CsvSource.notDecodable(file, StandardCharsets.UTF_8, e, "source.log");
      }
      throw new InfrastructureException("reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  private interface Parser {
    /** The line's values by column index, or null when it does not parse. */
    String[] parse(String line);

    /** The columns, once every line is read. */
    List<String> columns();
  }

  private static final class RegexParser implements Parser {
    private final Pattern pattern;
    private final List<String> columns;
    private final String[] groups;

    RegexParser(Pattern pattern, List<String> columns) {
      this.pattern = pattern;
      this.columns = columns;
      // The combined preset names its groups without underscores (group names are letters and
      // digits only); the columns carry the documented names.
      List<String> g = groupsInOrder(pattern);
      this.groups = g.toArray(new String[0]);
    }

    @Override
    public String[] parse(String line) {
      return match(pattern, groups, line);
    }

    @Override
    public List<String> columns() {
      return columns;
    }
  }

  private static final class JsonParser implements Parser {
    private final JsonRows json = new JsonRows();

    @Override
    public String[] parse(String line) {
      JsonNode node;
      try {
        node = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        return null;
      }
      if (node == null || !node.isObject()) {
        return null;
      }
      // Structured loggers nest: a nested value is kept as its JSON text.
      return json.row(node, true);
    }

    @Override
    public List<String> columns() {
      return json.columns();
    }
  }
}
