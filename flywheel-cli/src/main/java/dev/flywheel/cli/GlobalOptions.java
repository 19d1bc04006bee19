package dev.flywheel.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.flywheel.store.Workdir;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every command takes: the workdir and how much to say on stderr. */
public final class GlobalOptions {

  @Option(
      names = "--workdir",
      paramLabel = "DIR",
      description = "Flywheel's home for this project (default: ${DEFAULT-VALUE}).",
      defaultValue = ".flywheel")
  Path workdir = Workdir.DEFAULT;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only errors on stderr: no progress.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print debug logs on stderr.")
  boolean verbose;

  /** Sets log levels: WARN by default, ERROR when quiet, DEBUG for Flywheel when verbose. */
  void configureLogging() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger flywheel = context.getLogger("dev.flywheel");
    if (quiet) {
      root.setLevel(Level.ERROR);
      flywheel.setLevel(Level.ERROR);
    } else if (verbose) {
      root.setLevel(Level.INFO);
      flywheel.setLevel(Level.DEBUG);
    } else {
      root.setLevel(Level.WARN);
      flywheel.setLevel(Level.INFO);
    }
  }
}
