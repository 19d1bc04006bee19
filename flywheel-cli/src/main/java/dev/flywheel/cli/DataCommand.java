package dev.flywheel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Json;
import dev.flywheel.core.Progress;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.data.profile.ColumnProfile;
import dev.flywheel.data.profile.CsvProfiler;
import dev.flywheel.data.profile.DataProfile;
import dev.flywheel.data.profile.LogProfiler;
import dev.flywheel.data.validate.ValidationReport;
import dev.flywheel.pipeline.train.DataPreparer;
import dev.flywheel.pipeline.validate.DataValidation;
import dev.flywheel.store.Workdir;
import java.nio.file.Files;
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
