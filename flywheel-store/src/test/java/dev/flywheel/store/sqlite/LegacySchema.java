package dev.flywheel.store.sqlite;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * Makes a SQLite file as a Flywheel from before Flyway left it: the tables of migrations 1 to
 * {@code n} and {@code user_version = n}, with no Flyway history. Those steps had the very SQL of
 * today's {@code V1} to {@code V4} files.
 */
final class LegacySchema {

  private LegacySchema() {}

  static void create(Connection c, int n) throws SQLException, IOException, URISyntaxException {
    Path folder =
        Path.of(LegacySchema.class.getClassLoader().getResource("db/migration/sqlite").toURI());
    try (Statement s = c.createStatement()) {
      for (int v = 1; v <= n; v++) {
        String prefix = "V" + v + "__";
        Path script;
        try (Stream<Path> files = Files.list(folder)) {
          script =
              files
                  .filter(p -> p.getFileName().toString().startsWith(prefix))
                  .findFirst()
                  .orElseThrow();
        }
        StringBuilder sql = new StringBuilder();
        for (String line : Files.readAllLines(script)) {
          if (!line.startsWith("--")) {
            sql.append(line).append('\n');
          }
        }
        for (String statement : sql.toString().split(";\n")) {
          if (!statement.isBlank()) {
            s.execute(statement);
          }
        }
      }
      s.execute("PRAGMA user_version = " + n);
    }
  }
}
