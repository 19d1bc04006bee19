-- Runs, their params and metrics, and the model registry (versions and aliases).
-- Never edit a migration that has shipped: add a new V<n>__<what>.sql beside it.
CREATE TABLE runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  model TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  spec TEXT NOT NULL,
  result TEXT);
CREATE INDEX runs_model ON runs(model);
CREATE TABLE params (
  run_seq INTEGER NOT NULL REFERENCES runs(seq),
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT,
  PRIMARY KEY (run_seq, scope, key));
CREATE TABLE metrics (
  run_seq INTEGER NOT NULL REFERENCES runs(seq),
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_seq, scope, key));
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
  PRIMARY KEY (model, version));
CREATE TABLE aliases (
  model TEXT NOT NULL,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (model, alias),
  FOREIGN KEY (model, version) REFERENCES model_versions(model, version));
