package dev.flywheel.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A schema of its own in the test PostgreSQL (127.0.0.1:5432, database {@code test}, trust auth),
 * so tests never collide with each other or with anything else there. Tests that need it are
 * skipped, with a message, where no PostgreSQL runs (a fresh clone).
 */
public final class TestPostgres implements AutoCloseable {

  public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private final String schema;

  private TestPostgres(String schema) {
    this.schema = schema;
  }

  /** Creates a fresh schema {@code fw_<random>}; skips the test when PostgreSQL is absent. */
  public static TestPostgres create() {
    String schema = "fw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(SERVER + "&connectTimeout=3");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      Assumptions.abort("no PostgreSQL at 127.0.0.1:5432 (database test): " + e.getMessage());
    }
    return new TestPostgres(schema);
  }

  public String schema() {
    return schema;
  }

  /** The store URL of this schema. */
  public StoreUrl url() {
    return new StoreUrl(SERVER + "&currentSchema=" + schema);
  }

  /** Runs one statement in this schema, as an operator would by hand. */
  public void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url().jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Drops the schema and everything in it. */
  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(SERVER);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("dropping the test schema " + schema + " failed", e);
    }
  }
}
