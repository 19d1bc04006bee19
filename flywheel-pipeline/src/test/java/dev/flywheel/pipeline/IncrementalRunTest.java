package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.SourceWatermark;
import dev.flywheel.data.collect.FrameFile;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental collection end to end: a first run fetches N rows, M more arrive, the second run
 * fetches only those M and trains on N + M; failures around the snapshot lose and double nothing.
 */
class IncrementalRunTest {

  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

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

  private PipelineSpec spec(String source) throws IOException {
    String yaml =
        """
        name: loans
        task: classification
        target: default
        candidates: [{algorithm: linear}]
        """
            + source;
    return SpecParser.parse(Files.writeString(dir.resolve("flywheel.yaml"), yaml));
  }

  private RunResult run(PipelineSpec spec) {
    return run(spec, workdir.metadata(), workdir.artifacts());
  }

  private RunResult run(PipelineSpec spec, MetadataStore metadata, ArtifactStore artifacts) {
    return new TrainingRunner(metadata, artifacts, clock, Progress.NONE, 1).run(spec);
  }

  private SourceWatermark watermark(PipelineSpec spec) {
    SourceSpec.Incremental inc = (SourceSpec.Incremental) spec.source();
    return workdir.metadata().watermark("loans", inc.identity()).orElseThrow();
  }

  // ---- SQLite

  private String sqlite() throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("loans.db");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS loans (id INTEGER, income REAL, debt_ratio REAL, age INTEGER,"
              + " plan TEXT, region TEXT, \"default\" TEXT)");
    }
    return url;
  }

  /** Inserts loan rows with ids from {@code firstId}; a null id where {@code nullIds} says. */
  private static void insert(String url, int firstId, int rows, long seed, int nullIds)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO loans VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      c.setAutoCommit(false);
      int i = 0;
      for (String[] r : LoanData.rows(rows, seed, 0)) {
        if (i < nullIds) {
          ps.setNull(1, java.sql.Types.INTEGER);
        } else {
          ps.setInt(1, firstId + i);
        }
        i++;
        for (int k = 0; k < r.length; k++) {
          ps.setString(k + 2, r[k].isEmpty() ? null : r[k]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    }
  }

  private static final String SQLITE_SOURCE =
      """
      source:
        jdbc: {url: jdbc:sqlite:loans.db, table: loans}
        incremental: {watermark: id}
      """;

  @Test
  void aSqliteTableSecondRunFetchesOnlyTheNewRowsAndTrainsOnAll() throws Exception {
    String url = sqlite();
    insert(url, 1, 300, 1, 0);
    PipelineSpec spec = spec(SQLITE_SOURCE);

    RunResult first = run(spec);
    SourceWatermark afterFirst = watermark(spec);
    insert(url, 301, 120, 2, 0);
    RunResult second = run(spec);
    SourceWatermark afterSecond = watermark(spec);
    RunResult third = run(spec);

    assertThat(first.dataset().newRows()).isEqualTo(300);
    assertThat(first.dataset().rows()).isEqualTo(300);
    assertThat(afterFirst.value()).isEqualTo("300");
    assertThat(afterFirst.numeric()).isTrue();

    assertThat(second.dataset().newRows()).isEqualTo(120);
    assertThat(second.dataset().rows()).isEqualTo(420);
    assertThat(second.dataset().splits().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(420);
    RunResult.IncrementalSource inc = second.dataset().incremental().get(0);
    assertThat(inc.from()).isEqualTo("300");
    assertThat(inc.to()).isEqualTo("420");
    assertThat(inc.snapshotRows()).isEqualTo(420);
    com.fasterxml.jackson.databind.JsonNode json =
        dev.flywheel.core.Json.mapper().readTree(second.toJson());
    assertThat(json.at("/dataset/new_rows").asLong()).isEqualTo(120);
    assertThat(json.at("/dataset/incremental/0/snapshot_rows").asLong()).isEqualTo(420);
    assertThat(json.at("/dataset/incremental/0/watermark").asText()).isEqualTo("id");

    // The snapshot is a file under DIR/artifacts/; the one it replaced is gone.
    assertThat(afterSecond.rows()).isEqualTo(420);
    Path snapshot = dir.resolve("work/artifacts").resolve(afterSecond.snapshotKey());
    assertThat(FrameFile.read(Files.readAllBytes(snapshot), "s").rowCount()).isEqualTo(420);
    assertThat(workdir.artifacts().exists(afterFirst.snapshotKey())).isFalse();

    // Nothing new: the snapshot and watermark stay, and training still reads every row.
    assertThat(third.dataset().newRows()).isZero();
    assertThat(third.dataset().rows()).isEqualTo(420);
    assertThat(watermark(spec)).isEqualTo(afterSecond);
  }

  @Test
  void rowsWithoutAWatermarkAreLeftOutAndCountedOnEveryRun() throws Exception {
    String url = sqlite();
    insert(url, 1, 200, 3, 4);
    PipelineSpec spec = spec(SQLITE_SOURCE);

    RunResult first = run(spec);
    insert(url, 1000, 30, 4, 2);
    RunResult second = run(spec);

    assertThat(first.dataset().newRows()).isEqualTo(196);
    assertThat(first.dataset().incremental().get(0).nullWatermark()).isEqualTo(4);
    assertThat(second.dataset().newRows()).isEqualTo(28);
    assertThat(second.dataset().incremental().get(0).nullWatermark()).isEqualTo(6);
    assertThat(second.dataset().rows()).isEqualTo(224);
  }

  // ---- CSV: filtered after reading

  @Test
  void aCsvFileSecondRunKeepsOnlyTheRowsAboveTheWatermark() throws Exception {
    Path csv = dir.resolve("loans.csv");
    Files.writeString(csv, "id," + String.join(",", LoanData.COLUMNS) + "\n" + csvRows(1, 250, 5));
    PipelineSpec spec =
        spec(
            """
            source:
              csv: loans.csv
              incremental: {watermark: id}
            """);

    RunResult first = run(spec);
    Files.writeString(csv, csvRows(251, 80, 6), StandardOpenOption.APPEND);
    RunResult second = run(spec);

    assertThat(first.dataset().newRows()).isEqualTo(250);
    assertThat(second.dataset().newRows()).isEqualTo(80);
    assertThat(second.dataset().rows()).isEqualTo(330);
    assertThat(watermark(spec).value()).isEqualTo("330");
  }

  private static String csvRows(int firstId, int rows, long seed) {
    StringBuilder b = new StringBuilder();
    int id = firstId;
    for (String[] r : LoanData.rows(rows, seed, 0)) {
      b.append(id++).append(',').append(String.join(",", r)).append('\n');
    }
    return b.toString();
  }

  // ---- failures around the snapshot

  /** The folder store, except that writing a dataset snapshot fails part way. */
  private static final class FailingSnapshots implements ArtifactStore {
    private final ArtifactStore delegate;

    FailingSnapshots(ArtifactStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void put(String key, byte[] bytes) {
      if (key.startsWith("datasets/")) {
        throw new InfrastructureException(
            "cannot write " + key + ": No space left (injected)", null);
      }
      delegate.put(key, bytes);
    }

    @Override
    public byte[] get(String key) {
      return delegate.get(key);
    }

    @Override
    public boolean exists(String key) {
      return delegate.exists(key);
    }

    @Override
    public void delete(String key) {
      delegate.delete(key);
    }

    @Override
    public String describe(String key) {
      return delegate.describe(key);
    }
  }

  /** The real metadata store, except that moving a watermark fails: a crash after the snapshot. */
  private static MetadataStore failingAdvance(MetadataStore real) {
    return (MetadataStore)
        Proxy.newProxyInstance(
            MetadataStore.class.getClassLoader(),
            new Class<?>[] {MetadataStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("advanceWatermark")) {
                throw new InfrastructureException("the metadata store went away (injected)", null);
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void aFailureWhileWritingTheSnapshotKeepsTheOldWatermarkAndSnapshot() throws Exception {
    String url = sqlite();
    insert(url, 1, 300, 7, 0);
    PipelineSpec spec = spec(SQLITE_SOURCE);
    run(spec);
    SourceWatermark before = watermark(spec);
    insert(url, 301, 120, 8, 0);

    assertThatThrownBy(
            () -> run(spec, workdir.metadata(), new FailingSnapshots(workdir.artifacts())))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("injected");

    assertThat(watermark(spec)).isEqualTo(before);
    assertThat(FrameFile.read(workdir.artifacts().get(before.snapshotKey()), "old").rowCount())
        .isEqualTo(300);
    RunResult recovered = run(spec);
    assertThat(recovered.dataset().newRows()).isEqualTo(120);
    assertThat(recovered.dataset().rows()).isEqualTo(420);
  }

  @Test
  void aFailureAfterTheSnapshotBeforeTheWatermarkMovesRecoversWithoutDuplicates() throws Exception {
    String url = sqlite();
    insert(url, 1, 300, 9, 0);
    PipelineSpec spec = spec(SQLITE_SOURCE);
    run(spec);
    SourceWatermark before = watermark(spec);
    insert(url, 301, 120, 10, 0);

    assertThatThrownBy(() -> run(spec, failingAdvance(workdir.metadata()), workdir.artifacts()))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("injected");

    // The failed run wrote its snapshot, but nothing names it: the old state stands whole.
    assertThat(watermark(spec)).isEqualTo(before);
    assertThat(FrameFile.read(workdir.artifacts().get(before.snapshotKey()), "old").rowCount())
        .isEqualTo(300);
    RunResult recovered = run(spec);
    assertThat(recovered.dataset().newRows()).isEqualTo(120);
    assertThat(recovered.dataset().rows()).isEqualTo(420); // no row of the failed run twice
    assertThat(watermark(spec).value()).isEqualTo("420");
  }

  // ---- PostgreSQL: a timestamp watermark pushed into the query as a bound parameter

  @Test
  void aPostgresTimestampWatermarkFetchesOnlyNewRows() throws Exception {
    String table = "flywheel_incremental_" + ProcessHandle.current().pid();
    try (Connection c = connectPostgres()) {
      assumeThat(c).as("PostgreSQL on 127.0.0.1:5432 (database test)").isNotNull();
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
        s.execute(
            "CREATE TABLE "
                + table
                + " (updated_at TIMESTAMP(6), income DOUBLE PRECISION, debt_ratio DOUBLE"
                + " PRECISION, age INTEGER, plan TEXT, region TEXT, \"default\" TEXT)");
      }
      try {
        insertPostgres(c, table, 0, 300, 11, 3);
        PipelineSpec spec =
            spec(
                "source:\n  jdbc:\n    url: "
                    + PG
                    + "\n    query: |\n      SELECT * FROM "
                    + table
                    + " WHERE age >= 18 -- every adult\n      ;\n"
                    + "  incremental: {watermark: updated_at}\n");

        RunResult first = run(spec);
        insertPostgres(c, table, 300, 120, 12, 2);
        RunResult second = run(spec);

        assertThat(first.dataset().newRows()).isEqualTo(297);
        assertThat(second.dataset().newRows()).isEqualTo(118);
        assertThat(second.dataset().rows()).isEqualTo(415);
        RunResult.IncrementalSource inc = second.dataset().incremental().get(0);
        assertThat(inc.nullWatermark()).isEqualTo(5); // 3 old and 2 new rows without one
        // Microseconds survive the round trip, so the row at the watermark is not fetched again.
        assertThat(inc.from()).isEqualTo(stamp(299).toString());
        assertThat(inc.to()).isEqualTo(stamp(419).toString());
        assertThat(watermark(spec).numeric()).isFalse();
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("DROP TABLE IF EXISTS " + table);
        }
      }
    }
  }

  private static Connection connectPostgres() {
    try {
      return DriverManager.getConnection(PG);
    } catch (SQLException e) {
      return null;
    }
  }

  /** Row i is stamped at 2026-11-26 10:00 + i × 1.000001 s. */
  private static Timestamp stamp(int i) {
    return Timestamp.valueOf(LocalDateTime.of(2026, 11, 26, 10, 0).plusNanos(i * 1_000_001_000L));
  }

  private static void insertPostgres(
      Connection c, String table, int first, int rows, long seed, int nullStamps)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      List<String[]> data = LoanData.rows(rows, seed, 0);
      for (int i = 0; i < rows; i++) {
        String[] r = data.get(i);
        ps.setTimestamp(1, i < nullStamps ? null : stamp(first + i));
        ps.setObject(2, r[0].isEmpty() ? null : Double.valueOf(r[0]));
        ps.setDouble(3, Double.parseDouble(r[1]));
        ps.setInt(4, Integer.parseInt(r[2]));
        ps.setString(5, r[3].isEmpty() ? null : r[3]);
        ps.setString(6, r[4]);
        ps.setString(7, r[5]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
