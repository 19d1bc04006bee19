package dev.flywheel.store.sqlite;

import dev.flywheel.core.InfrastructureException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite schema, as an ordered list of migrations. The applied count is SQLite's {@code
 * user_version}. Append new migrations; never edit one that has shipped.
 */
final class Migrations {

  static final List<List<String>> STEPS =
      List.of(
          List.of(
              """
              CREATE TABLE runs (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                model TEXT NOT NULL,
                status TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                spec TEXT NOT NULL,
                result TEXT)""",
              "CREATE INDEX runs_model ON runs(model)",
              """
              CREATE TABLE params (
                run_seq INTEGER NOT NULL REFERENCES runs(seq),
                scope TEXT NOT NULL,
                key TEXT NOT NULL,
                value TEXT,
                PRIMARY KEY (run_seq, scope, key))""",
              """
              CREATE TABLE metrics (
                run_seq INTEGER NOT NULL REFERENCES runs(seq),
                scope TEXT NOT NULL,
                key TEXT NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (run_seq, scope, key))""",
              """
              CREATE TABLE model_versions (
                model TEXT NOT NULL,
                version INTEGER NOT NULL,
                run_seq INTEGER NOT NULL REFERENCES runs(seq),
                bundle_key TEXT NOT NULL,
                data_hash TEXT NOT NULL,
                algorithm TEXT NOT NULL,
                candidate TEXT NOT NULL,
                metrics TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (model, version))""",
              """
              CREATE TABLE aliases (
                model TEXT NOT NULL,
                alias TEXT NOT NULL,
                version INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (model, alias),
                FOREIGN KEY (model, version) REFERENCES model_versions(model, version))"""),
          // 2: the prediction log and the feedback joined to it. Timestamps are fixed-width UTC
          // text
          // (Sqlite.timestamp), so text order is time order. predictions_model_ts serves "a model's
          // last N predictions" (drift) as a backwards index scan. feedback repeats its
          // prediction's
          // time, so that "a model's last N labelled predictions" (live performance) is also one
          // backwards scan, however few predictions carry a label.
          List.of(
              """
              CREATE TABLE predictions (
                id TEXT PRIMARY KEY,
                model TEXT NOT NULL,
                version INTEGER NOT NULL,
                ts TEXT NOT NULL,
                inputs TEXT NOT NULL,
                output TEXT NOT NULL)""",
              "CREATE INDEX predictions_model_ts ON predictions(model, ts)",
              """
              CREATE TABLE feedback (
                prediction_id TEXT PRIMARY KEY REFERENCES predictions(id),
                model TEXT NOT NULL,
                label TEXT NOT NULL,
                received_at TEXT NOT NULL,
                predicted_at TEXT NOT NULL)""",
              "CREATE INDEX feedback_model_predicted ON feedback(model, predicted_at)"),
          // 3: where each run's spec file was, so a retraining run can read the same sources
          // (relative paths in a spec resolve against its folder).
          List.of("ALTER TABLE runs ADD COLUMN spec_path TEXT"),
          // 4: the watermark of each incremental source (docs/spec.md, "Incremental collection"),
          // and the dataset snapshot it names; the two move together in one statement.
          List.of(
              """
              CREATE TABLE watermarks (
                model TEXT NOT NULL,
                source TEXT NOT NULL,
                description TEXT NOT NULL,
                column_name TEXT NOT NULL,
                value TEXT NOT NULL,
                value_type TEXT NOT NULL,
                row_count INTEGER NOT NULL,
                snapshot_key TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (model, source))"""),
          // 5: dataset versions (a model's curated data by content hash, with its profile) and the
          // versions each run used. Plain SQL that PostgreSQL runs as well.
          List.of(
              """
              CREATE TABLE dataset_versions (
                model TEXT NOT NULL,
                version INTEGER NOT NULL,
                hash TEXT NOT NULL,
                row_count BIGINT NOT NULL,
                column_count INTEGER NOT NULL,
                profile TEXT NOT NULL,
                run_seq BIGINT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (model, version),
                UNIQUE (model, hash))""",
              """
              CREATE TABLE run_datasets (
                run_seq BIGINT NOT NULL REFERENCES runs(seq),
                model TEXT NOT NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (run_seq, model, version),
                FOREIGN KEY (model, version) REFERENCES dataset_versions(model, version))""",
              "CREATE INDEX run_datasets_model ON run_datasets(model, run_seq)"));

  private Migrations() {}

  static void migrate(Connection c, Path file) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        int current;
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
          current = rs.getInt(1);
        }
        if (current > STEPS.size()) {
          throw new InfrastructureException(
              "the metadata store "
                  + file
                  + " has schema version "
                  + current
                  + ", newer than this Flywheel knows ("
                  + STEPS.size()
                  + "). Upgrade Flywheel, or use another --workdir.",
              null);
        }
        for (int v = current; v < STEPS.size(); v++) {
          for (String sql : STEPS.get(v)) {
            s.execute(sql);
          }
        }
        s.execute("PRAGMA user_version = " + STEPS.size());
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        s.execute("ROLLBACK");
        throw e;
      }
    }
  }
}
