package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.Json;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flywheel serve} as users run it, and the CLI and a server sharing one workdir. */
class ServeCommandTest {

  @TempDir Path dir;

  private static final String SPEC =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      candidates: [{algorithm: xgboost, params: {rounds: 30, max_depth: 3}}]
      """;

  private static final String BODY =
      "{\"instances\": [{\"income\": 40000, \"debt_ratio\": 0.5, \"age\": 30, \"plan\": \"plus\","
          + " \"region\": \"south\"}]}";

  private static TestHttp.Response post(int port, String path, String body) throws Exception {
    return TestHttp.post(port, path, body);
  }

  private Path spec() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 1000, 31, 0);
    return Files.writeString(dir.resolve("flywheel.yaml"), SPEC);
  }

  @Test
  void aRunFromTheCliIsServedByARunningServerOnTheSameWorkdir() throws Exception {
    Path spec = spec();
    Path work = dir.resolve("work");
    try (Workdir workdir = Workdir.open(work);
        FlywheelServer server =
            FlywheelServer.start(workdir, ServerConfig.defaults().withPort(0))) {
      assertThat(post(server.port(), "/v1/models/loans:predict", BODY).statusCode()).isEqualTo(404);

      CliRunner.Result run =
          CliRunner.run("run", spec.toString(), "--workdir", work.toString(), "-q");
      assertThat(run.exitCode()).as(run.err()).isZero();

      long start = System.nanoTime();
      TestHttp.Response r = post(server.port(), "/v1/models/loans:predict", BODY);
      while (r.statusCode() != 200 && System.nanoTime() - start < 5_000_000_000L) {
        Thread.sleep(50);
        r = post(server.port(), "/v1/models/loans:predict", BODY);
      }
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);

      // The server's log and the CLI's registry are the same database.
      String id = Json.mapper().readTree(r.body()).at("/predictions/0/prediction_id").asText();
      TestHttp.Response feedback =
          post(
              server.port(),
              "/v1/models/loans/feedback",
              "{\"prediction_id\": \"" + id + "\", \"label\": \"0\"}");
      assertThat(Json.mapper().readTree(feedback.body()).get("accepted").asInt()).isEqualTo(1);
    }
  }

  @Test
  void serveAsAProcessAnswersThenStopsGracefullyOnSigterm() throws Exception {
    Path spec = spec();
    Path work = dir.resolve("work");
    assertThat(CliRunner.run("run", spec.toString(), "--workdir", work.toString(), "-q").exitCode())
        .isZero();

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FlywheelCli.class.getName());
    command.addAll(List.of("serve", "--workdir", work.toString(), "--port", "0"));
    Process process =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader stderr =
          new BufferedReader(
              new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      String line;
      int port = -1;
      Pattern serving = Pattern.compile("serving (.*) on http://127\\.0\\.0\\.1:(\\d+)");
      while (port < 0 && (line = stderr.readLine()) != null) {
        Matcher m = serving.matcher(line);
        if (m.find()) {
          assertThat(m.group(1)).isEqualTo("loans v1");
          port = Integer.parseInt(m.group(2));
        }
      }
      assertThat(port).isPositive();
      JsonNode answer = Json.mapper().readTree(post(port, "/v1/models/loans:predict", BODY).body());
      String id = answer.at("/predictions/0/prediction_id").asText();

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isIn(0, 143);

      try (Workdir reopened = Workdir.open(work)) {
        assertThat(reopened.predictionLog().recent("loans", 10))
            .extracting(p -> p.id())
            .contains(id);
      }
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void serveRejectsABadPort() {
    CliRunner.Result r =
        CliRunner.run("serve", "--workdir", dir.resolve("w").toString(), "--port", "70000");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("--port: 70000 is not a port");
  }
}
