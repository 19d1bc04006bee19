package dev.flywheel.store.sqlite;

import dev.flywheel.store.ServingStoreCompatibilityKit;
import dev.flywheel.store.Workdir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The serving store kit against SQLite: one workdir file per test, shared by both workdirs. */
class SqliteServingStoreCompatibilityTest extends ServingStoreCompatibilityKit {

  private Path storage;

  @Override
  protected void createStorage() throws Exception {
    storage = Files.createTempDirectory("fw-sqlite-serving");
  }

  @Override
  protected Workdir open(Path dir) {
    // Both workdirs of a test open the same folder, as a server and the CLI share one.
    return Workdir.open(storage);
  }

  @Override
  protected void dropStorage() throws Exception {
    try (Stream<Path> files = Files.walk(storage)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
