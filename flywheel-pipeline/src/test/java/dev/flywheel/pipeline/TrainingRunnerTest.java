package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.core.store.RunRecord;
import dev.flywheel.data.collect.CsvSource;
import dev.flywheel.ml.Trainers;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training half of the loop against a real workdir (SQLite and a folder). */
class TrainingRunnerTest {

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

  private RunResult run(String yaml) throws IOException {
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    PipelineSpec parsed = SpecParser.parse(spec);
    return new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
        .run(parsed);
  }

  private static final String LOANS =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      candidates:
        - {algorithm: linear}
        - {algorithm: xgboost, params: {rounds: 40, max_depth: 3}}
      """;

  @Test
  void bundleServesExactlyWhatTheRunMeasured() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 1500, 11, 0);
    RunResult result = run(LOANS);

    ModelVersion production =
        workdir.metadata().alias("loans", MetadataStore.PRODUCTION).orElseThrow();
    ModelBundle bundle =
        BundleIO.read(workdir.artifacts().get(production.bundleKey()), "test", Trainers.LOADER);

    // Score raw rows one at a time through the bundle, as the server will, and compare with the
    // run's own test metrics: no training/serving skew.
    Frame all =
        new CsvSource(dir.resolve("loans.csv"))
            .read(Map.of("default", dev.flywheel.core.frame.ColumnType.CATEGORICAL));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < all.rowCount(); i++) {
      Map<String, Object> row = all.row(i);
      row.remove("default");
      rows.add(row);
    }
    Predictions.Probabilities batch = (Predictions.Probabilities) bundle.predict(rows);
    for (int i = 0; i < 50; i++) {
      Predictions.Probabilities single =
          (Predictions.Probabilities) bundle.predict(List.of(rows.get(i)));
      assertThat(single.probabilities()[0]).containsExactly(batch.probabilities()[i]);
    }
    assertThat(bundle.manifest().lineage().runId()).isEqualTo(result.runId());
    assertThat(bundle.manifest().lineage().dataHash()).isEqualTo(result.dataset().hash());
    assertThat(bundle.manifest().metrics().get("test")).isEqualTo(result.selected().test());
    assertThat(bundle.manifest().inputs())
        .extracting(f -> f.name())
        .containsExactly("income", "debt_ratio", "age", "plan", "region");
    assertThat(bundle.manifest().classes()).containsExactly("0", "1");
    assertThat(bundle.manifest().positive()).isEqualTo("1");
    assertThat(bundle.profile().features()).hasSize(5);
  }

  @Test
  void everyRunIsRecordedWithItsSpecAndResult() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 800, 12, 0);
    RunResult result = run(LOANS);

    RunRecord record = workdir.metadata().run(result.runId()).orElseThrow();
    assertThat(record.status()).isEqualTo("succeeded");
    assertThat(record.specText()).isEqualTo(LOANS);
    assertThat(record.startedAt()).isEqualTo(clock.instant());
    assertThat(record.resultJson()).contains("\"run_id\" : \"" + result.runId() + "\"");
    assertThat(workdir.metadata().metrics(result.runId()))
        .containsKeys(
            "baseline#0/validation", "linear#0/validation", "xgboost#0/validation", "test");
  }

  @Test
  void failedRunIsRecordedAsFailedAndRegistersNothing() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 800, 12, 0);

    assertThatThrownBy(() -> run(LOANS.replace("target: default", "target: nope")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'nope' is not a column");

    RunRecord record = workdir.metadata().runs("loans").get(0);
    assertThat(record.status()).isEqualTo("failed");
    assertThat(record.resultJson()).contains("is not a column");
    assertThat(workdir.metadata().versions("loans")).isEmpty();
  }

  @Test
  void multiClassDefaultsToAccuracy() throws IOException {
    StringBuilder csv = new StringBuilder("x,y,colour,kind\n");
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    String[] colours = {"red", "green", "blue"};
    for (int i = 0; i < 900; i++) {
      int kind = r.nextInt(3);
      csv.append(kind * 2 + r.nextDouble())
          .append(',')
          .append(r.nextDouble())
          .append(',')
          .append(colours[(kind + (r.nextDouble() < 0.2 ? 1 : 0)) % 3])
          .append(',')
          .append(new String[] {"a", "b", "c"}[kind])
          .append('\n');
    }
    Files.writeString(dir.resolve("kinds.csv"), csv);

    RunResult result =
        run(
            """
            name: kinds
            task: classification
            target: kind
            source: {csv: kinds.csv}
            candidates: [{algorithm: linear}, {algorithm: xgboost, params: {rounds: 30}}]
            """);

    assertThat(result.selectionMetric()).isEqualTo("accuracy");
    assertThat(result.selected().test().get("accuracy")).isGreaterThan(0.9);
    assertThat(result.selected().test()).containsKeys("auc", "f1", "log_loss");
    assertThat(result.promoted()).isTrue();
  }

  @Test
  void tooFewRowsToSplitIsABadInputNamingTheCounts() throws IOException {
    LoanData.writeCsv(dir.resolve("loans.csv"), 8, 1, 0);

    assertThatThrownBy(() -> run(LOANS))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("there are 8 rows")
        .hasMessageContaining("Add data");
  }

  private static final String FILE_SOURCE =
      """
      name: loans
      task: classification
      target: default
      source: SOURCE
      candidates:
        - {algorithm: xgboost, params: {rounds: 20, max_depth: 3}}
      """;

  @Test
  void runsOnJsonLinesAndReportsSkippedBadRows() throws IOException {
    StringBuilder jsonl = new StringBuilder();
    List<String[]> rows = LoanData.rows(600, 21, 0);
    for (int r = 0; r < rows.size(); r++) {
      com.fasterxml.jackson.databind.node.ObjectNode o =
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      for (int c = 0; c < LoanData.COLUMNS.size(); c++) {
        String v = rows.get(r)[c];
        try {
          o.put(LoanData.COLUMNS.get(c), Double.parseDouble(v));
        } catch (NumberFormatException e) {
          o.put(LoanData.COLUMNS.get(c), v);
        }
      }
      jsonl.append(o).append('\n');
      if (r == 10) {
        jsonl.append("{\"income\": 1, oops\n");
      }
    }
    Files.writeString(dir.resolve("loans.jsonl"), jsonl);
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
    Path spec =
        Files.writeString(
            dir.resolve("flywheel.yaml"),
            FILE_SOURCE.replace("SOURCE", "{jsonl: {path: loans.jsonl, bad_rows: skip}}"));

    RunResult result =
        new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, progress, 1)
            .run(SpecParser.parse(spec));

    assertThat(result.status()).isEqualTo("succeeded");
    assertThat(result.dataset().badRows()).isEqualTo(1);
    assertThat(result.toJson()).contains("\"bad_rows\" : 1");
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).startsWith("collect: 600 rows").endsWith("1 bad row skipped"));
  }

  @Test
  void runsOnParquetWrittenByDuckDb() throws Exception {
    Path csv = LoanData.writeCsv(dir.resolve("loans.csv"), 600, 22, 0);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement s = c.createStatement()) {
      s.execute("SET autoinstall_known_extensions = false");
      s.execute(
          "COPY (SELECT * FROM read_csv('"
              + csv
              + "')) TO '"
              + dir.resolve("loans.parquet")
              + "' (FORMAT PARQUET)");
    }

    RunResult result = run(FILE_SOURCE.replace("SOURCE", "{parquet: loans.parquet}"));

    assertThat(result.status()).isEqualTo("succeeded");
    assertThat(result.dataset().rows()).isEqualTo(600 - result.dataset().duplicates());
    assertThat(result.dataset().badRows()).isZero();
    assertThat(result.dataset().quarantine()).isNull();
  }

  @Test
  void runsOnAPaginatedHttpApi() throws Exception {
    List<String[]> rows = LoanData.rows(600, 23, 0);
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    List<String> pages = new java.util.concurrent.CopyOnWriteArrayList<>();
    server.createContext(
        "/loans",
        ex -> {
          String q = ex.getRequestURI().getQuery();
          pages.add(q);
          int page = Integer.parseInt(q.substring(q.indexOf("page=") + 5).split("&")[0]);
          com.fasterxml.jackson.databind.node.ArrayNode items =
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
          for (int r = (page - 1) * 100; r < Math.min(page * 100, rows.size()); r++) {
            com.fasterxml.jackson.databind.node.ObjectNode o = items.addObject();
            for (int c = 0; c < LoanData.COLUMNS.size(); c++) {
              o.put(LoanData.COLUMNS.get(c), rows.get(r)[c]);
            }
          }
          byte[] body =
              ("{\"items\":" + items + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try {
      RunResult result =
          run(
              FILE_SOURCE.replace(
                  "SOURCE",
                  "{http: {url: \"http://127.0.0.1:"
                      + server.getAddress().getPort()
                      + "/loans\", records: /items, pagination: {type: page, size_param: per_page, size: 100}}}"));

      assertThat(result.status()).isEqualTo("succeeded");
      assertThat(result.dataset().rows()).isEqualTo(600 - result.dataset().duplicates());
      assertThat(pages).hasSize(7).contains("page=1&per_page=100", "page=7&per_page=100");
    } finally {
      server.stop(0);
    }
  }
}
