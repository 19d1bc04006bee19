-- The watermark of each incremental source (docs/spec.md, "Incremental collection"), and the
-- dataset snapshot it names; the two move together in one statement.
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
  PRIMARY KEY (model, source));
