package dev.flywheel.data.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcSource} against the real PostgreSQL on 127.0.0.1:5432 (database {@code test}, trust
 * authentication), which CI starts. Skipped, with a message, where none runs.
 */
class JdbcPostgresTest {

  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String TABLE = "flywheel_jdbc_source_test";
  private static boolean available;

  @BeforeAll
  static void createTable() {
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TABLE);
      s.execute(
          "CREATE TABLE "
              + TABLE
              + " (id INTEGER, income NUMERIC(12, 2), score DOUBLE PRECISION, plan TEXT,"
              + " churned BOOLEAN, raw BYTEA)");
      s.execute(
          "INSERT INTO "
              + TABLE
              + " SELECT g, g * 1000.50, g / 3.0, CASE WHEN g % 3 = 0 THEN 'basic' WHEN g % 3 = 1"
              + " THEN 'plus' ELSE NULL END, g % 2 = 0, '\\xCAFE'::bytea"
              + " FROM generate_series(1, 25000) g");
      available = true;
    } catch (SQLException e) {
      available = false;
    }
  }

  @AfterAll
  static void dropTable() throws SQLException {
    if (available) {
      try (Connection c = DriverManager.getConnection(URL, "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + TABLE);
      }
    }
  }

  private static JdbcSource source(String query, Map<String, String> env) {
    return new JdbcSource(
        URL, query, new JdbcSource.Credentials("PG_USER", "PG_PASSWORD"), 1000, env::get);
  }

  @Test
  void readsATableStreamedWithCredentialsFromTheEnvironment() {
    assumeThat(available).as("PostgreSQL on 127.0.0.1:5432 (database test)").isTrue();

    Frame frame =
        source(JdbcSource.tableQuery(TABLE), Map.of("PG_USER", "postgres", "PG_PASSWORD", ""))
            .read(Map.of());

    assertThat(frame.rowCount()).isEqualTo(25_000);
    assertThat(frame.column("id")).isInstanceOf(NumericColumn.class);
    assertThat(((NumericColumn) frame.column("income")).get(0)).isEqualTo(1000.50);
    assertThat(frame.column("plan")).isInstanceOf(CategoricalColumn.class);
    assertThat(frame.column("plan").isMissing(1)).isTrue();
    assertThat(frame.column("churned").value(1)).isEqualTo("true");
    assertThat(frame.column("raw").value(0)).isEqualTo("cafe");
  }

  @Test
  void readsAQueryAndForcesATargetType() {
    assumeThat(available).as("PostgreSQL on 127.0.0.1:5432 (database test)").isTrue();

    Frame frame =
        source(
                "SELECT id, plan FROM " + TABLE + " WHERE id <= 10",
                Map.of("PG_USER", "postgres", "PG_PASSWORD", ""))
            .read(Map.of("id", ColumnType.CATEGORICAL));

    assertThat(frame.rowCount()).isEqualTo(10);
    assertThat(frame.column("id").value(0)).isEqualTo("1");
  }

  @Test
  void anUnsetCredentialVariableNamesItWithoutItsValue() {
    assertThatThrownBy(() -> source("SELECT 1", Map.of("PG_USER", "postgres")).read(Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("source.jdbc.password_env names the environment variable PG_PASSWORD")
        .hasMessageContaining("not set");
  }

  @Test
  void anUnreachableDatabaseIsAnInfrastructureErrorNamingTheHost() {
    JdbcSource source =
        new JdbcSource(
            "jdbc:postgresql://127.0.0.1:1/test?password=secret",
            "SELECT 1",
            JdbcSource.Credentials.NONE,
            100);

    assertThatThrownBy(() -> source.read(Map.of()))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("cannot connect to the database at 127.0.0.1:1")
        .hasMessageNotContaining("secret");
  }

  @Test
  void aTableNameThatIsNotPlainIsRefused() {
    assertThat(JdbcSource.tableQuery("public.loans"))
        .isEqualTo("SELECT * FROM \"public\".\"loans\"");
    assertThatThrownBy(() -> JdbcSource.tableQuery("loans; DROP TABLE x"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("not a plain table name");
  }

  @Test
  void aMissingSqliteFileIsRefusedInsteadOfCreated() {
    JdbcSource source = new JdbcSource("jdbc:sqlite:/nonexistent/dir/data.db", "SELECT 1");

    assertThatThrownBy(() -> source.read(Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("SQLite file /nonexistent/dir/data.db, which does not exist");
  }
}
