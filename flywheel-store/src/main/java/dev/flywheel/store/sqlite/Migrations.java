package dev.flywheel.store.sqlite;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.store.migrate.SchemaMigrations;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Keeps a SQLite file's schema current: Flyway runs the files in {@link SchemaMigrations#SQLITE}.
 * SQLite's {@code user_version} mirrors the Flyway version, for two reasons: a connection whose
 * file is current skips Flyway (it costs a classpath scan, and every store opens up to five
 * connections), and a Flywheel from before Flyway, which read only {@code user_version}, still
 * refuses a file that a newer one wrote.
 *
 * <p>Flyway takes no lock on SQLite, so two processes opening a new file at once would both create
 * its tables. Migrating is serialised on a lock file beside the database ({@code
 * flywheel.db-migrate.lock}), and within this JVM on this class.
 */
final class Migrations {

  private Migrations() {}

  /** The newest schema version this Flywheel knows, found once from the migration files. */
  static int latest() {
    return Latest.VERSION;
  }

  private static final class Latest {
    static final int VERSION = compute();

    private static int compute() {
      SQLiteDataSource memory = new SQLiteDataSource();
      memory.setUrl("jdbc:sqlite::memory:");
      return SchemaMigrations.latest(memory, SchemaMigrations.SQLITE);
    }
  }

  static void migrate(Connection c, Path file) throws SQLException {
    int version = userVersion(c);
    if (version > latest()) {
      throw newer(file, version);
    }
    if (version == latest() && hasHistory(c)) {
      return;
    }
    Path lockFile = file.resolveSibling(file.getFileName() + "-migrate.lock");
    synchronized (Migrations.class) {
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        // Another process may have migrated while this one waited.
        version = userVersion(c);
        boolean history = hasHistory(c);
        if (version == latest() && history) {
          return;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(Sqlite.BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        SQLiteDataSource flyway = new SQLiteDataSource(config);
        flyway.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        int now =
            SchemaMigrations.migrate(
                flyway,
                SchemaMigrations.SQLITE,
                history ? 0 : version,
                "the metadata store " + file,
                "use another --workdir");
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA user_version = " + now);
        }
      } catch (IOException e) {
        throw new InfrastructureException(
            "cannot lock " + lockFile + " to migrate " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private static int userVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.getInt(1);
    }
  }

  private static boolean hasHistory(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table'"
                    + " AND name = 'flyway_schema_history'")) {
      return rs.next();
    }
  }

  private static InfrastructureException newer(Path file, int version) {
    return new InfrastructureException(
        "the metadata store "
            + file
            + " has schema version "
            + version
            + ", newer than this Flywheel knows ("
            + latest()
            + "). Upgrade Flywheel, or use another --workdir.",
        null);
  }
}
