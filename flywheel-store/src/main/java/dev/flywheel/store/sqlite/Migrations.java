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
                FOREIGN KEY (model, version) REFERENCES model_versions(model, version))"""));

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
