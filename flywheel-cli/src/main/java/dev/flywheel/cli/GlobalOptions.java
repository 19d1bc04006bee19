package dev.flywheel.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.flywheel.store.StoreUrl;
import dev.flywheel.store.Workdir;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every command takes: the workdir, the store, and how much to say on stderr. */
public final class GlobalOptions {

  @Option(
      names = "--workdir",
      paramLabel = "DIR",
      description = "Flywheel's home for this project (default: ${DEFAULT-VALUE}).",
      defaultValue = ".flywheel")
  Path workdir = Workdir.DEFAULT;

  // No ${env:FLYWHEEL_STORE} default: help would print the URL, and with it any password.
  @Option(
      names = "--store",
      paramLabel = "URL",
      description =
          "Keep the metadata in this store instead of DIR/flywheel.db:"
              + " jdbc:postgresql://HOST[:PORT]/DATABASE[?user=…&password=…]"
              + " (default: the FLYWHEEL_STORE environment variable, else DIR/flywheel.db).")
  String store;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only errors on stderr: no progress.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print debug logs on stderr.")
  boolean verbose;

  /** Opens the workdir with its metadata where {@code --store} or {@code FLYWHEEL_STORE} says. */
  Workdir openWorkdir() {
    return Workdir.open(workdir, StoreUrl.resolve(store, System.getenv()));
  }

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
    // Flyway and HikariCP log the JDBC URL, and with it any password, at INFO and DEBUG; their
    // failures reach the user as Flywheel's own message (exit 4), so they stay quiet even with -v.
    context.getLogger("org.flywaydb").setLevel(Level.ERROR);
    context.getLogger("com.zaxxer.hikari").setLevel(Level.OFF);
  }
}
