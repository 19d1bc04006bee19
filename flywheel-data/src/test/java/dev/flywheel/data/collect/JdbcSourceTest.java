package dev.flywheel.data.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.FlywheelException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.testkit.LoanData;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcSourceTest {

  @TempDir Path dir;
  private String url;

  @BeforeEach
  void createDatabase() throws SQLException {
    url = "jdbc:sqlite:" + dir.resolve("data.db");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE items (id INTEGER, price REAL, name TEXT, note TEXT, score REAL, big REAL)");
      s.execute("INSERT INTO items VALUES (1, 9.5, 'apple', NULL, NULL, 1e20)");
      s.execute("INSERT INTO items VALUES (2, 0.25, 'pear', 'ripe', 3, 2.5e-7)");
      s.execute("INSERT INTO items VALUES (3, NULL, NULL, NULL, -1.5, -3e30)");
    }
  }

  private Frame query(String sql) {
    return new JdbcSource(url, sql).read(Map.of());
  }

  @Test
  void infersTypesFromIntegerRealTextAndNullValues() {
    Frame f = query("SELECT * FROM items ORDER BY id");

    assertThat(f.names()).containsExactly("id", "price", "name", "note", "score", "big");
    assertThat(f.rowCount()).isEqualTo(3);
    assertThat(((NumericColumn) f.column("id")).values()).containsExactly(1, 2, 3);
    NumericColumn price = (NumericColumn) f.column("price");
    assertThat(price.get(0)).isEqualTo(9.5);
    assertThat(price.get(1)).isEqualTo(0.25);
    assertThat(price.isMissing(2)).isTrue();
    assertThat(((CategoricalColumn) f.column("name")).values())
        .containsExactly("apple", "pear", null);
    assertThat(((CategoricalColumn) f.column("note")).values()).containsExactly(null, "ripe", null);
    NumericColumn score = (NumericColumn) f.column("score");
    assertThat(score.isMissing(0)).isTrue();
    assertThat(score.get(1)).isEqualTo(3.0);
    assertThat(score.get(2)).isEqualTo(-1.5);
    assertThat(((NumericColumn) f.column("big")).values()).containsExactly(1e20, 2.5e-7, -3e30);
  }

  @Test
  void usesColumnLabelsAndAppliesForcedTypes() {
    Frame f =
        new JdbcSource(url, "SELECT id AS label, price AS cost FROM items ORDER BY id")
            .read(Map.of("label", ColumnType.CATEGORICAL));

    assertThat(f.names()).containsExactly("label", "cost");
    assertThat(((CategoricalColumn) f.column("label")).values()).containsExactly("1", "2", "3");
  }

  @Test
  void reportsABadQueryNamingTheSpecKey() {
    assertThatThrownBy(() -> query("SELEC * FROM items"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("source.jdbc.query")
        .hasMessageContaining(url)
        .hasMessageContaining("syntax error");
  }

  @Test
  void reportsAnUnknownTableNamingTheSpecKey() {
    assertThatThrownBy(() -> query("SELECT * FROM nope"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("source.jdbc.query")
        .hasMessageContaining("no such table: nope");
  }

  @Test
  void reportsAQueryWithoutRows() {
    assertThatThrownBy(() -> query("SELECT * FROM items WHERE id > 10"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("source.jdbc.query")
        .hasMessageContaining("no rows");
  }

  @Test
  void reportsAQueryWithTwoColumnsOfTheSameName() {
    assertThatThrownBy(() -> query("SELECT id, price AS id FROM items"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("source.jdbc.query")
        .hasMessageContaining("'id'")
        .hasMessageContaining("alias");
  }

  @Test
  void leavesUrlParametersOutOfMessages() {
    JdbcSource source = new JdbcSource(url + "?secret=hunter2", "SELEC 1");

    assertThatThrownBy(() -> source.read(Map.of()))
        .isInstanceOf(FlywheelException.class)
        .hasMessageContaining(url)
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void givesTheSameFrameAsTheSameDataInACsvFile() throws SQLException {
    Path csv = LoanData.writeCsv(dir.resolve("loans.csv"), 1_000, 5, 0.0);
    List<String[]> rows = LoanData.rows(1_000, 5, 0.0);
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE loans (income REAL, debt_ratio REAL, age INTEGER, plan TEXT,"
                + " region TEXT, \"default\" INTEGER)");
      }
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO loans VALUES (?, ?, ?, ?, ?, ?)")) {
        for (String[] r : rows) {
          setOrNull(ps, 1, r[0].isEmpty() ? null : Double.valueOf(r[0]), Types.REAL);
          ps.setDouble(2, Double.parseDouble(r[1]));
          ps.setInt(3, Integer.parseInt(r[2]));
          setOrNull(ps, 4, r[3].isEmpty() ? null : r[3], Types.VARCHAR);
          ps.setString(5, r[4]);
          ps.setInt(6, Integer.parseInt(r[5]));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    }
    Map<String, ColumnType> forced = Map.of("default", ColumnType.CATEGORICAL);

    Frame fromDb =
        Collector.collect(new SourceSpec.Jdbc(url, "SELECT * FROM loans ORDER BY rowid"), forced);
    Frame fromCsv = Collector.collect(new SourceSpec.Csv(csv), forced);

    assertThat(fromDb.rowCount()).isEqualTo(1_000);
    assertThat(fromDb.contentHash()).isEqualTo(fromCsv.contentHash());
  }

  private static void setOrNull(PreparedStatement ps, int i, Object value, int type)
      throws SQLException {
    if (value == null) {
      ps.setNull(i, type);
    } else {
      ps.setObject(i, value);
    }
  }
}
