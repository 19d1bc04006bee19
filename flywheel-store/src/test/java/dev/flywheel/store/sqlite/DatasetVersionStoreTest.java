package dev.flywheel.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.store.DatasetVersion;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset versions in a SQLite file survive reopening it. Numbering and reuse are in {@code
 * MetadataStoreCompatibilityKit}, which both stores run.
 */
class DatasetVersionStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path dir;

  @Test
  void versionsSurviveReopening() {
    Path db = dir.resolve("flywheel.db");
    DatasetVersion v;
    String run;
    try (SqliteMetadataStore store = SqliteMetadataStore.open(db)) {
      run = store.createRun("loans", "spec", T0);
      v = store.useDatasetVersion("loans", run, "sha256:aa", 100, 4, "{\"p\":1}", T0);
    }
    try (SqliteMetadataStore store = SqliteMetadataStore.open(db)) {
      assertThat(store.lastDatasetVersion("loans")).contains(v);
      assertThat(store.datasetVersions(run)).containsExactly(v);
    }
  }
}
