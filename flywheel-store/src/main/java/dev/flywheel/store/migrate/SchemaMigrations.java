package dev.flywheel.store.migrate;

import dev.flywheel.core.InfrastructureException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

/**
 * Brings a metadata store's schema to the newest version this Flywheel knows, with Flyway. Each
 * store kind has its own folder of {@code V<n>__<what>.sql} files ({@link #SQLITE}, {@link
 * #POSTGRESQL}), numbered alike, so version {@code n} means the same tables in both. A later
 * migration is one new file in each folder; never edit one that has shipped.
 *
 * <p>Invariant: a store whose schema is newer than the newest file here is refused, never touched.
 * A SQLite file from before Flyway (its version in {@code user_version}, steps 1 to 4 matching
 * {@code V1} to {@code V4}) is baselined at that version, then migrated on.
 */
public final class SchemaMigrations {

  /** The SQLite migrations. */
  public static final String SQLITE = "classpath:db/migration/sqlite";

  /** The PostgreSQL migrations. */
  public static final String POSTGRESQL = "classpath:db/migration/postgresql";

  private SchemaMigrations() {}

  /**
   * Migrates the store behind {@code dataSource}.
   *
   * @param location {@link #SQLITE} or {@link #POSTGRESQL}
   * @param legacyVersion the version a store from before Flyway records (SQLite's {@code
   *     user_version}), or 0
   * @param what the store as the user knows it, without credentials, for messages
   * @param fix what to do instead when the store is newer ("use another --workdir")
   * @return the schema version after migrating
   * @throws InfrastructureException when the store is newer than this Flywheel, or migrating fails
   */
  public static int migrate(
      DataSource dataSource, String location, int legacyVersion, String what, String fix) {
    try {
      Flyway flyway =
          Flyway.configure(SchemaMigrations.class.getClassLoader())
              .dataSource(dataSource)
              .locations(location)
              .baselineVersion(String.valueOf(Math.max(1, legacyVersion)))
              .baselineDescription("Flywheel schema before Flyway")
              .load();
      MigrationInfoService info = flyway.info();
      int latest = latest(info);
      if (info.current() == null && legacyVersion > 0) {
        if (legacyVersion > latest) {
          throw newer(what, legacyVersion, latest, fix);
        }
        flyway.baseline();
      } else {
        for (MigrationInfo m : info.all()) {
          if (m.getState() == MigrationState.FUTURE_SUCCESS
              || m.getState() == MigrationState.FUTURE_FAILED) {
            throw newer(what, version(m), latest, fix);
          }
        }
      }
      flyway.migrate();
      return latest;
    } catch (FlywayException e) {
      throw new InfrastructureException(
          "migrating the schema of " + what + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The newest version among the migration files in {@code location}, read through {@code
   * dataSource} (any database of that kind will do; nothing is written).
   */
  public static int latest(DataSource dataSource, String location) {
    try {
      return latest(
          Flyway.configure(SchemaMigrations.class.getClassLoader())
              .dataSource(dataSource)
              .locations(location)
              .load()
              .info());
    } catch (FlywayException e) {
      throw new InfrastructureException(
          "reading the schema migrations in " + location + " failed: " + e.getMessage(), e);
    }
  }

  /** The newest version among this Flywheel's migration files. */
  private static int latest(MigrationInfoService info) {
    int latest = 0;
    for (MigrationInfo m : info.all()) {
      if (m.isVersioned() && m.getState().isResolved()) {
        latest = Math.max(latest, version(m));
      }
    }
    return latest;
  }

  private static int version(MigrationInfo m) {
    return Integer.parseInt(m.getVersion().getVersion());
  }

  private static InfrastructureException newer(String what, int found, int latest, String fix) {
    return new InfrastructureException(
        what
            + " has schema version "
            + found
            + ", newer than this Flywheel knows ("
            + latest
            + "). Upgrade Flywheel, or "
            + fix
            + ".",
        null);
  }
}
