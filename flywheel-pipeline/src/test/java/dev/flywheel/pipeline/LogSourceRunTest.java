package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.store.Workdir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training run whose source is a rotated nginx access log with some unparsable lines. */
class LogSourceRunTest {

  @TempDir Path dir;

  private Workdir workdir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() {
    workdir = Workdir.open(dir.resolve("work"));
  }

  @AfterEach
  void close() {
    workdir.close();
  }

  /** Access-log lines whose status follows from method and path: POST /checkout fails. */
  private static String log(Random random, int lines, String garbage) {
    String[] paths = {"/", "/items", "/search", "/checkout", "/missing"};
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      if (i == lines / 2) {
        b.append(garbage).append('\n');
      }
      String path = paths[random.nextInt(paths.length)];
      String method = random.nextBoolean() ? "GET" : "POST";
      int status =
          path.equals("/missing")
              ? 404
              : path.equals("/checkout") && method.equals("POST") ? 500 : 200;
      String bytes = status == 500 ? "-" : String.valueOf(200 + random.nextInt(5000));
      b.append("192.168.1.")
          .append(random.nextInt(20))
          .append(" - ")
          .append(random.nextInt(4) == 0 ? "bob" : "-")
          .append(" [26/Nov/2026:09:")
          .append(String.format("%02d", i % 60))
          .append(":00 +0000] \"")
          .append(method)
          .append(' ')
          .append(path)
          .append(" HTTP/1.1\" ")
          .append(status)
          .append(' ')
          .append(bytes)
          .append(" \"-\" \"curl/8.5.0\"\n");
    }
    return b.toString();
  }

  @Test
  void trainsOnACombinedLogAndReportsTheUnparsedLines() throws IOException {
    Random random = new Random(7);
    Path logs = Files.createDirectories(dir.resolve("logs"));
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(logs.resolve("access.log.1.gz")))) {
      out.write(log(random, 400, "\\x16\\x03\\x01 bad TLS probe").getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(logs.resolve("access.log"), log(random, 400, "truncated line \"GET /"));
    Path spec =
        Files.writeString(
            dir.resolve("flywheel.yaml"),
            """
            name: errors
            task: classification
            target: status
            source: {log: {path: logs/access.log*, format: combined}}
            candidates:
              - {algorithm: xgboost, params: {rounds: 20, max_depth: 3}}
            """);
    List<String> lines = new ArrayList<>();
    Progress progress =
        new Progress() {
          @Override
          public void stage(String name, String detail) {
            lines.add(name + ": " + detail);
          }

          @Override
          public void start(String task, long total) {}

          @Override
          public void step(long done) {}

          @Override
          public void finish() {}
        };

    RunResult result =
        new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, progress, 1)
            .run(SpecParser.parse(spec));

    assertThat(result.status()).isEqualTo("succeeded");
    assertThat(result.dataset().unparsed()).isEqualTo(2);
    assertThat(result.dataset().unparsedExamples())
        .containsExactly(
            new RunResult.UnparsedLine(
                logs.resolve("access.log.1.gz").toString(), 201, "\\x16\\x03\\x01 bad TLS probe"),
            new RunResult.UnparsedLine(
                logs.resolve("access.log").toString(), 201, "truncated line \"GET /"));
    assertThat(result.toJson()).contains("\"unparsed\" : 2").contains("\"unparsed_examples\"");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("collect: 800 rows, 10 columns from ")
                    .contains(
                        "2 unparsed lines, first " + logs.resolve("access.log.1.gz") + ":201"));
    assertThat(result.selected().test().get("accuracy")).isGreaterThan(0.95);
  }
}
