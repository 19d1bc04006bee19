package dev.flywheel.cli;

import dev.flywheel.core.FlywheelException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code flywheel} command. {@link #execute} is the whole CLI behind {@code main}: tests call
 * it in-process with their own writers and read the exit code.
 */
@Command(
    name = "flywheel",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Flywheel takes tabular data to a served, monitored model that retrains itself.",
      "Each command takes --workdir DIR (default ./.flywheel), --quiet and --verbose."
    },
    subcommands = {
      RunCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      ModelsCommand.class,
      MonitorCommand.class,
      RetrainCommand.class,
      RunsCommand.class,
      DataCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FlywheelCli implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: try 'flywheel --help'.");
  }

  public static void main(String[] args) {
    // Tribuo and other libraries log through java.util.logging: route it into SLF4J.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(execute(out, err, args));
  }

  /** Runs the CLI and returns the exit code of INTERFACES.md. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new FlywheelCli());
    cli.setUsageHelpWidth(100);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(FlywheelCli::handle);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Maps failures to exit codes in one place. Users never see a stack trace. */
  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof FlywheelException fe) {
      err.println("flywheel: error: " + fe.getMessage());
      err.flush();
      return fe.exitCode();
    }
    Path log = writeTrace(cli, e);
    err.println(
        "flywheel: internal error: "
            + e
            + "\nThis is a bug in Flywheel. The stack trace is in "
            + log
            + "; please include it when you report the bug.");
    err.flush();
    return ExitCodes.INTERNAL;
  }

  private static Path writeTrace(CommandLine cli, Exception e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String entry = Instant.now() + " internal error\n" + trace + "\n";
    Path dir = null;
    if (cli.getCommand() instanceof BaseCommand command && command.global != null) {
      dir = command.global.workdir.resolve("logs");
    }
    try {
      if (dir == null) {
        dir = Path.of(System.getProperty("java.io.tmpdir"));
      }
      Files.createDirectories(dir);
      Path log = dir.resolve("flywheel.log");
      Files.writeString(
          log, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return log.toAbsolutePath();
    } catch (IOException io) {
      try {
        Path log = Files.createTempFile("flywheel-", ".log");
        Files.writeString(log, entry, StandardCharsets.UTF_8);
        return log;
      } catch (IOException ignored) {
        return Path.of("(no writable log file: " + io.getMessage() + ")");
      }
    }
  }
}
