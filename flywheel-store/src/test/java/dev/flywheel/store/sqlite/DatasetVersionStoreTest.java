package dev.flywheel.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.store.DatasetVersion;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset versions: one per model and content hash, reused, linked to the runs that used them. */
class DatasetVersionStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path dir;

  @Test
  void aNewHashIsTheNextVersionAndAKnownHashIsReused() {
    try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("flywheel.db"))) {
      String r1 = store.createRun("loans", "spec", T0);
      String r2 = store.createRun("loans", "spec", T0);
      String r3 = store.createRun("loans", "spec", T0);
      String r4 = store.createRun("other", "spec", T0);
      assertThat(store.lastDatasetVersion("loans")).isEmpty();

      DatasetVersion v1 =
          store.useDatasetVersion("loans", r1, "sha256:aa", 100, 4, "{\"p\":1}", T0);
      assertThat(v1)
          .isEqualTo(new DatasetVersion("loans", 1, "sha256:aa", 100, 4, "{\"p\":1}", r1, T0));

      DatasetVersion v2 =
          store.useDatasetVersion("loans", r2, "sha256:bb", 120, 4, "{\"p\":2}", T0.plusSeconds(1));
      assertThat(v2.version()).isEqualTo(2);
      assertThat(store.lastDatasetVersion("loans")).contains(v2);

      // The data went back to what r1 saw: its version is reused as first written.
      DatasetVersion again =
          store.useDatasetVersion("loans", r3, "sha256:aa", 999, 9, "{\"p\":3}", T0.plusSeconds(2));
      assertThat(again).isEqualTo(v1);
      assertThat(store.lastDatasetVersion("loans")).contains(v1);

      // Versions are numbered per model, even for the same content.
      DatasetVersion other = store.useDatasetVersion("other", r4, "sha256:aa", 100, 4, "{}", T0);
      assertThat(other.version()).isEqualTo(1);
      assertThat(other.runId()).isEqualTo(r4);

      assertThat(store.datasetVersions(r1)).containsExactly(v1);
      assertThat(store.datasetVersions(r2)).containsExactly(v2);
      assertThat(store.datasetVersions(r3)).containsExactly(v1);
      // Recording the same use twice is harmless.
      store.useDatasetVersion("loans", r3, "sha256:aa", 100, 4, "{}", T0);
      assertThat(store.datasetVersions(r3)).containsExactly(v1);
    }
  }

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
