package dev.flywheel.cli;

import dev.flywheel.core.Progress;
import java.io.Console;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every Flywheel command shares: the global options, stdout for data, stderr for progress and
 * logs, and logging set up before the command runs.
 */
abstract class BaseCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    global.configureLogging();
    return execute();
  }

  /** Runs the command and returns its exit code. */
  abstract int execute() throws Exception;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Progress progress() {
    return global.quiet ? Progress.NONE : new ConsoleProgress(err(), isTerminal());
  }

  /**
   * Whether we talk to a terminal. From JDK 22, {@code System.console()} is non-null even when
   * redirected, so ask {@code Console.isTerminal()} where it exists.
   */
  static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
