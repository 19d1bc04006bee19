package dev.flywheel.cli;

import dev.flywheel.cli.demo.DemoRun;
import dev.flywheel.cli.demo.DemoSummary;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Json;
import dev.flywheel.store.Workdir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flywheel demo}: the whole loop on built-in data, in about a minute. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Run the whole loop on built-in data: train, serve, drift, detect, retrain, gate, promote.",
      "",
      "Needs no data and no setup. Trains a loan-default model, starts the server on a free"
          + " port, sends live traffic and delayed labels over HTTP, then changes the world at a"
          + " known point. The server detects the drift, retrains by its own trigger, gates the"
          + " challenger against the champion and swaps it in. Events go to stderr; the summary"
          + " to stdout and to WORKDIR/demo-summary.json. Use a fresh --workdir."
    })
final class DemoCommand extends BaseCommand {

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "The data's seed (default: ${DEFAULT-VALUE}).",
      defaultValue = "7")
  long seed;

  @Option(names = "--json", description = "Print the summary as JSON on stdout.")
  boolean json;

  @Override
  int execute() throws IOException {
    DemoSummary summary;
    try (Workdir workdir = global.openWorkdir()) {
      summary =
          new DemoRun(
                  workdir,
                  global.quiet
                      ? new java.io.PrintWriter(java.io.OutputStream.nullOutputStream())
                      : err(),
                  Clock.systemUTC(),
                  seed)
              .run();
      Path file = workdir.dir().resolve("demo-summary.json");
      Path tmp = workdir.dir().resolve("demo-summary.json.tmp");
      try {
        Files.writeString(
            tmp, Json.mapper().writeValueAsString(summary) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new InfrastructureException(
            "cannot write the demo summary " + file + ": " + e + ". Check free disk space.", e);
      }
      err().println("summary written to " + file);
    }
    if (json) {
      out().println(Json.mapper().writeValueAsString(summary));
    } else {
      out().print(text(summary));
    }
    out().flush();
    return ExitCodes.OK;
  }

  private static String text(DemoSummary s) {
    StringBuilder sb = new StringBuilder("\nFlywheel demo summary\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "  production version        v%d -> v%d%n",
            s.initialVersion(),
            s.finalVersion()));
    sb.append(
        String.format(
            Locale.ROOT, "  drift detected            %s%n", s.driftDetected() ? "yes" : "no"));
    sb.append(
        String.format(
            Locale.ROOT,
            "  retrained by the server   %s%n",
            s.retrained() ? "yes (" + s.retrainingRun() + ", trigger " + s.trigger() + ")" : "no"));
    sb.append(
        String.format(
            Locale.ROOT, "  promoted                  %s%n", s.promoted() ? "yes" : "no"));
    sb.append(
        String.format(Locale.ROOT, "  predictions served        %d%n", s.predictionsServed()));
    sb.append(String.format(Locale.ROOT, "  labels fed back           %d%n", s.feedbackReceived()));
    sb.append(
        String.format(
            Locale.ROOT,
            "  accuracy before drift     %.3f (v%d)%n",
            s.accuracyBeforeDrift(),
            s.initialVersion()));
    sb.append(
        String.format(
            Locale.ROOT,
            "  accuracy after drift      %.3f (v%d, the old model)%n",
            s.accuracyAfterDriftOldModel(),
            s.initialVersion()));
    if (s.accuracyAfterRetrain() != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  accuracy after retrain    %.3f (v%d, on traffic it never trained on)%n",
              s.accuracyAfterRetrain(),
              s.finalVersion()));
    }
    sb.append(String.format(Locale.ROOT, "  took                      %.1f s%n", s.seconds()));
    return sb.toString();
  }
}
