package dev.flywheel.cli;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Json;
import dev.flywheel.data.profile.ColumnProfile;
import dev.flywheel.data.profile.CsvProfiler;
import dev.flywheel.data.profile.DataProfile;
import dev.flywheel.data.profile.LogProfiler;
import java.nio.file.Path;
import java.util.Locale;
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
    description = "Inspect data sources.",
    subcommands = {DataCommand.ProfileCommand.class})
final class DataCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: try 'flywheel data profile FILE.csv'.");
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

    @Parameters(paramLabel = "SOURCE", description = "A CSV file.")
    String source;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Option(
        names = "--format",
        paramLabel = "combined",
        description =
            "Read SOURCE (a file or a glob, .gz allowed) as a log in the nginx/Apache combined"
                + " format.")
    String logFormat;

    @Option(
        names = "--pattern",
        paramLabel = "REGEX",
        description =
            "Read SOURCE (a file or a glob, .gz allowed) as a log whose lines match REGEX; its"
                + " named groups (?<name>...) are the columns.")
    String pattern;

    @Override
    int execute() throws Exception {
      DataProfile profile;
      if (logFormat != null || pattern != null) {
        profile = profileLog();
      } else {
        profile = CsvProfiler.profile(Path.of(checkKind(source)), progress());
      }
      if (json) {
        out().println(Json.mapper().writeValueAsString(profile.toJson()));
      } else {
        printTable(profile);
      }
      out().flush();
      return ExitCodes.OK;
    }

    private DataProfile profileLog() {
      if (logFormat != null && pattern != null) {
        throw new BadInputException(
            "give --format combined or --pattern REGEX, not both (--pattern is for other"
                + " formats).");
      }
      if (logFormat != null && !logFormat.equals("combined")) {
        throw new BadInputException(
            "--format '"
                + logFormat
                + "' is not known; use --format combined, or --pattern REGEX for other logs.");
      }
      Path path = Path.of(source);
      return pattern != null
          ? LogProfiler.regex(path, pattern, progress())
          : LogProfiler.combined(path, progress());
    }

    private static final String WORKS = "Only CSV files can be profiled so far";

    /** Rejects the source kinds that the collection work has not brought yet. */
    static String checkKind(String source) {
      String lower = source.toLowerCase(Locale.ROOT);
      if (lower.startsWith("jdbc:")) {
        throw new BadInputException(WORKS + "; database sources (" + source + ") come later.");
      }
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        throw new BadInputException(WORKS + "; HTTP API sources come later.");
      }
      for (String ext : new String[] {".jsonl", ".ndjson", ".json", ".parquet", ".gz", ".log"}) {
        if (lower.endsWith(ext)) {
          throw new BadInputException(
              WORKS + "; " + ext + " files come later. Give the path of a .csv file.");
        }
      }
      if (source.contains("*") || source.contains("?")) {
        throw new BadInputException(WORKS + "; globs come later. Give one .csv file.");
      }
      return source;
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
}
