package dev.flywheel.store.sqlite;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.store.log.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Function;
import org.sqlite.SQLiteConfig;

/**
 * How every Flywheel connection to a SQLite file is opened, so the metadata store, the prediction
 * log and the feedback store agree: WAL mode (readers never block the writer), a busy timeout (the
 * CLI and a server share the file), foreign keys on, and the schema migrated.
 */
final class Sqlite {

  /** How long a connection waits for another one's write lock before SQLITE_BUSY. */
  static final int BUSY_TIMEOUT_MILLIS = 15_000;

  private Sqlite() {}

  /**
   * Opens a connection to {@code file}, creating the file and its folder if needed, and migrates
   * the schema.
   *
   * @param synchronous SQLite's {@code synchronous} setting for this connection
   * @param what what the file is to the user, for error messages ("the metadata store")
   */
  static Connection connect(Path file, SQLiteConfig.SynchronousMode synchronous, String what) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot create the folder for " + file + ": " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.setSynchronous(synchronous);
    config.enforceForeignKeys(true);
    Connection c = null;
    try {
      c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      Migrations.migrate(c, file);
      return c;
    } catch (SQLException | RuntimeException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof InfrastructureException ie) {
        throw ie;
      }
      throw new InfrastructureException(
          "cannot open " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A store's two connections to one file: one for writes, and one for reads, so that reading never
   * waits behind a write. Each is guarded by its owner.
   */
  record Connections(Connection write, Connection read) {}

  /**
   * Opens a write connection with {@code synchronous} and a read connection ({@code FULL}); if the
   * second cannot be opened, the first is closed before the failure is thrown.
   */
  static Connections connectPair(Path file, SQLiteConfig.SynchronousMode synchronous, String what) {
    Connection write = connect(file, synchronous, what);
    try {
      return new Connections(write, connect(file, SQLiteConfig.SynchronousMode.FULL, what));
    } catch (RuntimeException e) {
      try {
        write.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Work on a prepared statement. */
  @FunctionalInterface
  interface Query<T> {
    T run(PreparedStatement ps) throws SQLException;
  }

  /**
   * Runs {@code query} on a statement for {@code sql}, holding {@code connection}'s monitor (how
   * the stores guard their read connection), and turns an {@link SQLException} into {@code
   * failed}'s exception.
   */
  static <T> T query(
      Connection connection,
      String sql,
      Query<T> query,
      Function<SQLException, ? extends RuntimeException> failed) {
    synchronized (connection) {
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        return query.run(ps);
      } catch (SQLException e) {
        throw failed.apply(e);
      }
    }
  }

  /** {@link Timestamps#format}. */
  static String timestamp(Instant t) {
    return Timestamps.format(t);
  }

  static Instant instant(String timestamp) {
    return Instant.parse(timestamp);
  }
}
