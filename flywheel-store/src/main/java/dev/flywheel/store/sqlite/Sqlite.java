package dev.flywheel.store.sqlite;

import dev.flywheel.core.InfrastructureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

  /**
   * Timestamps are stored as fixed-width UTC text with nine fraction digits, so that text order is
   * time order and an index on them serves "newest first" ({@link Instant#toString()} drops zero
   * fractions, and "10:00:00Z" would sort after "10:00:00.5Z").
   */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

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

  /** {@code 2026-11-26T10:00:00.500000000Z}: always 30 characters for years 0 to 9999. */
  static String timestamp(Instant t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    if (d.getYear() < 0 || d.getYear() > 9999) {
      return TIMESTAMP.format(t);
    }
    // By hand: the prediction log formats one per row, and DateTimeFormatter costs about 1 µs,
    // a fifth of the writer's whole cost per row.
    char[] c = new char[30];
    digits(c, 0, 4, d.getYear());
    c[4] = '-';
    digits(c, 5, 2, d.getMonthValue());
    c[7] = '-';
    digits(c, 8, 2, d.getDayOfMonth());
    c[10] = 'T';
    digits(c, 11, 2, d.getHour());
    c[13] = ':';
    digits(c, 14, 2, d.getMinute());
    c[16] = ':';
    digits(c, 17, 2, d.getSecond());
    c[19] = '.';
    digits(c, 20, 9, t.getNano());
    c[29] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int width, int value) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  static Instant instant(String timestamp) {
    return Instant.parse(timestamp);
  }
}
