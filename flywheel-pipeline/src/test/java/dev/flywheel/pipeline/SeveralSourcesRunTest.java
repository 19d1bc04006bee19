package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training runs whose spec lists several sources, combined by union or by a join on a key. */
class SeveralSourcesRunTest {

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

  private RunResult run(String sources) throws IOException {
    String yaml =
        """
        name: loans
        task: classification
        target: default
        candidates: [{algorithm: linear}]
        """
            + sources;
    return new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
        .run(SpecParser.parse(Files.writeString(dir.resolve("flywheel.yaml"), yaml)));
  }

  /** Loans with an id: the first {@code rows} of seed {@code seed}, ids from {@code first}. */
  private static List<String[]> loans(int first, int rows, long seed) {
    List<String[]> out = new java.util.ArrayList<>();
    int id = first;
    for (String[] r : LoanData.rows(rows, seed, 0)) {
      String[] row = new String[r.length + 1];
      row[0] = Integer.toString(id++);
      System.arraycopy(r, 0, row, 1, r.length);
      out.add(row);
    }
    return out;
  }

  private void sqliteLoans(List<String[]> rows) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("loans.db"));
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS loans (id INTEGER, income REAL, debt_ratio REAL, age"
              + " INTEGER, plan TEXT, region TEXT, \"default\" TEXT)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO loans VALUES (?,?,?,?,?,?,?)")) {
        for (String[] r : rows) {
          for (int k = 0; k < r.length; k++) {
            ps.setString(k + 1, r[k].isEmpty() ? null : r[k]);
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  @Test
  void aUnionOfACsvFileAndAnIncrementalTableTrainsOnEveryRow() throws Exception {
    // The CSV lacks the region column: its rows have it missing, and imputation fills it.
    StringBuilder csv = new StringBuilder("id,income,debt_ratio,age,plan,default\n");
    for (String[] r : loans(1, 200, 1)) {
      csv.append(String.join(",", r[0], r[1], r[2], r[3], r[4], r[6])).append('\n');
    }
    Files.writeString(dir.resolve("old.csv"), csv);
    sqliteLoans(loans(201, 200, 2));
    String sources =
        """
        sources:
          - csv: old.csv
          - jdbc: {url: jdbc:sqlite:loans.db, table: loans}
            incremental: {watermark: id}
        combine: union
        """;

    RunResult first = run(sources);
    sqliteLoans(loans(401, 50, 3));
    RunResult second = run(sources);

    assertThat(first.dataset().rows()).isEqualTo(400);
    assertThat(first.dataset().newRows()).isEqualTo(200);
    assertThat(second.dataset().rows()).isEqualTo(450);
    assertThat(second.dataset().newRows()).isEqualTo(50);
    assertThat(second.dataset().incremental()).hasSize(1);
    assertThat(second.dataset().incremental().get(0).source()).contains("loans.db table loans");
  }

  @Test
  void aLeftJoinAddsCustomerColumnsToEachLoan() throws Exception {
    StringBuilder loansCsv = new StringBuilder("customer_id,income,debt_ratio,age,default\n");
    StringBuilder customers = new StringBuilder("customer_id,plan,region\n");
    int i = 0;
    for (String[] r : LoanData.rows(300, 4, 0)) {
      // Every tenth loan's customer is unknown: a left join keeps it, with plan and region missing.
      loansCsv.append(String.join(",", "c" + i, r[0], r[1], r[2], r[5])).append('\n');
      if (i % 10 != 9) {
        customers.append(String.join(",", "c" + i, r[3], r[4])).append('\n');
      }
      i++;
    }
    Files.writeString(dir.resolve("loans.csv"), loansCsv);
    Files.writeString(dir.resolve("customers.csv"), customers);

    RunResult left =
        run(
            """
            sources: [{csv: loans.csv}, {csv: customers.csv}]
            combine: {join: customer_id, how: left}
            """);
    RunResult inner =
        run(
            """
            sources: [{csv: loans.csv}, {csv: customers.csv}]
            combine: {join: customer_id}
            """);

    assertThat(left.dataset().rows()).isEqualTo(300);
    assertThat(inner.dataset().rows()).isEqualTo(270);
  }

  @Test
  void aJoinWithDuplicateRightKeysStopsTheRunNamingTheSourceAndKey() throws Exception {
    Files.writeString(dir.resolve("a.csv"), "customer_id,income,default\nc1,10,1\nc2,20,0\n");
    Files.writeString(dir.resolve("b.csv"), "customer_id,plan\nc1,pro\nc2,basic\nc2,plus\n");

    assertThatThrownBy(
            () ->
                run(
                    """
                    sources: [{csv: a.csv}, {csv: b.csv}]
                    combine: {join: customer_id, how: inner}
                    """))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(
            "the key customer_id = 'c2' appears more than once in " + dir.resolve("b.csv"));
    assertThat(workdir.metadata().runs("loans").get(0).status()).isEqualTo("failed");
  }
}
