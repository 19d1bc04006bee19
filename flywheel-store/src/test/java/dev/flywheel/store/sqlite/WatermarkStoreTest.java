package dev.flywheel.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.store.SourceWatermark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watermarks of incremental sources: stored per model and source, moved by compare-and-set. */
class WatermarkStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path dir;

  private static SourceWatermark state(String model, String value, long rows, String key) {
    return new SourceWatermark(
        model, "s-0123456789abcdef", "loans.db (query)", "id", value, true, rows, key, T0);
  }

  @Test
  void aWatermarkMovesOnlyFromTheStateTheCallerRead() {
    try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("flywheel.db"))) {
      assertThat(store.watermark("loans", "s-0123456789abcdef")).isEmpty();

      SourceWatermark first = state("loans", "300", 300, "datasets/loans/s/r-000001.fwframe.gz");
      assertThat(store.advanceWatermark(null, first)).isTrue();
      // A second "first" commit (a run that started before the first one finished) loses.
      assertThat(store.advanceWatermark(null, state("loans", "310", 310, "k2"))).isFalse();
      assertThat(store.watermark("loans", "s-0123456789abcdef")).contains(first);

      SourceWatermark second = state("loans", "420", 420, "datasets/loans/s/r-000002.fwframe.gz");
      assertThat(store.advanceWatermark(first, second)).isTrue();
      // A run that read `first` and collects after `second` was committed loses too.
      assertThat(store.advanceWatermark(first, state("loans", "500", 500, "k3"))).isFalse();
      assertThat(store.watermark("loans", "s-0123456789abcdef")).contains(second);

      // Watermarks are per model: another model's source with the same identity starts empty.
      assertThat(store.watermark("churn", "s-0123456789abcdef")).isEmpty();
    }
  }

  @Test
  void aTextWatermarkKeepsItsTypeAndTheStateSurvivesReopening() {
    Path db = dir.resolve("flywheel.db");
    SourceWatermark text =
        new SourceWatermark(
            "loans",
            "s-1",
            "jdbc:postgresql://127.0.0.1:5432/test (query) (incremental on updated_at)",
            "updated_at",
            "2026-11-26 10:00:00.123456",
            false,
            12,
            "datasets/loans/s-1/r-000003.fwframe.gz",
            T0);
    try (SqliteMetadataStore store = SqliteMetadataStore.open(db)) {
      assertThat(store.advanceWatermark(null, text)).isTrue();
    }
    try (SqliteMetadataStore store = SqliteMetadataStore.open(db)) {
      assertThat(store.watermark("loans", "s-1")).contains(text);
    }
  }

  @Test
  void aWatermarkCannotMoveToAnotherSource() {
    try (SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("flywheel.db"))) {
      SourceWatermark a = state("loans", "1", 1, "k1");
      store.advanceWatermark(null, a);
      SourceWatermark other =
          new SourceWatermark("loans", "s-other", "x", "id", "2", true, 2, "k2", T0);

      assertThatThrownBy(() -> store.advanceWatermark(a, other))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("within one model and source");
    }
  }

  @Test
  void aVersionThreeDatabaseGainsTheWatermarkTableAndKeepsItsRuns() throws Exception {
    Path db = dir.resolve("flywheel.db");
    try (Connection c = Predictions.connect(db);
        Statement s = c.createStatement()) {
      LegacySchema.create(c, 3);
      s.execute(
          "INSERT INTO runs(model, status, started_at, spec) VALUES ('loans', 'succeeded',"
              + " '2026-11-26T10:00:00Z', 'name: loans')");
    }

    try (SqliteMetadataStore store = SqliteMetadataStore.open(db)) {
      assertThat(store.runs("loans")).hasSize(1);
      assertThat(store.advanceWatermark(null, state("loans", "7", 7, "k"))).isTrue();
    }
    assertThat(Predictions.count(db, "PRAGMA user_version")).isEqualTo(Migrations.latest());
    assertThat(Predictions.count(db, "SELECT count(*) FROM watermarks")).isEqualTo(1);
  }
}
