package dev.flywheel.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

  @TempDir Path dir;

  @Test
  void aVersionOneDatabaseGainsThePredictionTablesAndKeepsItsRuns() throws Exception {
    Path db = dir.resolve("flywheel.db");
    try (Connection c = Predictions.connect(db);
        Statement s = c.createStatement()) {
      LegacySchema.create(c, 1);
      s.execute(
          "INSERT INTO runs(model, status, started_at, spec) VALUES ('churn', 'succeeded',"
              + " '2026-11-26T10:00:00Z', 'name: churn')");
    }

    try (SqliteMetadataStore store = SqliteMetadataStore.open(db)) {
      assertThat(store.runs("churn")).hasSize(1);
    }
    try (SqlitePredictionLog log = SqlitePredictionLog.open(db)) {
      log.offer(Predictions.record("churn", 1, Instant.parse("2026-11-26T10:00:01Z")));
      log.flush();
    }

    assertThat(Predictions.count(db, "PRAGMA user_version")).isEqualTo(Migrations.latest());
    assertThat(Predictions.count(db, "SELECT count(*) FROM predictions")).isEqualTo(1);
    assertThat(Predictions.count(db, "SELECT count(*) FROM feedback")).isZero();
  }

  @Test
  void aFileFromBeforeFlywayIsBaselinedAtItsVersionAndThenMigratesByFlyway() throws Exception {
    Path db = dir.resolve("flywheel.db");
    try (Connection c = Predictions.connect(db);
        Statement s = c.createStatement()) {
      LegacySchema.create(c, 4);
      s.execute(
          "INSERT INTO runs(model, status, started_at, spec) VALUES ('churn', 'succeeded',"
              + " '2026-11-26T10:00:00Z', 'name: churn')");
    }

    try (SqliteMetadataStore store = SqliteMetadataStore.open(db)) {
      assertThat(store.runs("churn")).hasSize(1);
    }

    assertThat(Predictions.count(db, "PRAGMA user_version")).isEqualTo(Migrations.latest());
    assertThat(
            Predictions.count(db, "SELECT count(*) FROM flyway_schema_history WHERE version = '4'"))
        .isEqualTo(1);
    assertThat(
            Predictions.count(
                db,
                "SELECT count(*) FROM flyway_schema_history WHERE type = 'BASELINE'"
                    + " AND version = '4'"))
        .isEqualTo(1);
  }

  @Test
  void aNewFileIsMigratedByFlywayFromVersionOne() throws Exception {
    Path db = dir.resolve("new.db");
    try (SqliteMetadataStore store = SqliteMetadataStore.open(db)) {
      assertThat(store.runs(null)).isEmpty();
    }

    assertThat(Predictions.count(db, "SELECT count(*) FROM flyway_schema_history WHERE success"))
        .isEqualTo(Migrations.latest());
    assertThat(Predictions.count(db, "PRAGMA user_version")).isEqualTo(Migrations.latest());
  }
}
