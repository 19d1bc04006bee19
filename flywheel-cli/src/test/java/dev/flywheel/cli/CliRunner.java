package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Runs the real CLI in-process and captures what it prints. */
final class CliRunner {

  /** One invocation's outcome. */
  record Result(int exitCode, String out, String err) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException("stdout is not JSON:\n" + out + "\nstderr:\n" + err, e);
      }
    }
  }

  private CliRunner() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FlywheelCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }
}
