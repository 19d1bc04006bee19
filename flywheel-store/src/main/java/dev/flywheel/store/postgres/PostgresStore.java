package dev.flywheel.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.store.StoreUrl;
import dev.flywheel.store.migrate.SchemaMigrations;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One connection pool (HikariCP) to a PostgreSQL metadata store, with its schema migrated by Flyway
 * when opened. The metadata store, the feedback store and the prediction log of a workdir share
 * one; close it last.
 *
 * <p>Invariant: once opened, the database was reachable and its schema is the one this Flywheel
 * knows. Messages name the store by {@link StoreUrl#redacted()}, never with its credentials.
 */
public final class PostgresStore implements AutoCloseable {

  /** A CLI command needs one or two connections; a server's writers and readers a few more. */
  static final int POOL_SIZE = 6;

  /** How long a caller waits for a pooled connection. */
  static final long CONNECTION_TIMEOUT_MILLIS = 10_000;

  private final StoreUrl url;
  private final HikariDataSource pool;

  private PostgresStore(StoreUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
  }

  /**
   * Connects to {@code url} and migrates its schema.
   *
   * @throws InfrastructureException naming the host when the database cannot be reached, or when
   *     its schema is newer than this Flywheel knows
   */
  public static PostgresStore open(StoreUrl url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url.jdbcUrl());
    config.setPoolName("flywheel-store");
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    // Fail at once, with the driver's reason, rather than on first use.
    config.setInitializationFailTimeout(1);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new InfrastructureException(
          "cannot reach the PostgreSQL store at "
              + url.host()
              + " ("
              + url.redacted()
              + "): "
              + rootMessage(e)
              + ". Check that PostgreSQL runs there and accepts this user, or fix --store / "
              + StoreUrl.ENV
              + ".",
          e);
    }
    try {
      SchemaMigrations.migrate(
          pool,
          SchemaMigrations.POSTGRESQL,
          0,
          "the metadata store " + url.redacted(),
          "point --store at another database");
      return new PostgresStore(url, pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t instanceof SQLException || t.getMessage() != null
        ? String.valueOf(t.getMessage())
        : t.toString();
  }

  public StoreUrl url() {
    return url;
  }

  public DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }
}
