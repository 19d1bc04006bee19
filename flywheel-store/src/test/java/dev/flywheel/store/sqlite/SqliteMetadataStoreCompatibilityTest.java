package dev.flywheel.store.sqlite;

import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.store.MetadataStoreCompatibilityKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/** The metadata store kit against SQLite: a new file in a temp folder per test. */
class SqliteMetadataStoreCompatibilityTest extends MetadataStoreCompatibilityKit {

  private Path dir;

  @Override
  protected void createStorage() throws Exception {
    dir = Files.createTempDirectory("fw-sqlite-kit");
  }

  @Override
  protected MetadataStore open() {
    return SqliteMetadataStore.open(dir.resolve("flywheel.db"));
  }

  @Override
  protected void dropStorage() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  protected void makeSchemaNewer() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("flywheel.db"));
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO flyway_schema_history(installed_rank, version, description, type, script,"
              + " checksum, installed_by, execution_time, success)"
              + " VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 0, 'test', 0, 1)");
      s.execute("PRAGMA user_version = 99");
    }
  }
}
