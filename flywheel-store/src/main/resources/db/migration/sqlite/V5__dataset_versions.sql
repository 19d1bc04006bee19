-- Dataset versions: a model's curated data by content hash, with its stored profile, and the
-- versions each run used (docs/spec.md, "Dataset versions").
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
  UNIQUE (model, hash));
CREATE TABLE run_datasets (
  run_seq BIGINT NOT NULL REFERENCES runs(seq),
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (run_seq, model, version),
  FOREIGN KEY (model, version) REFERENCES dataset_versions(model, version));
CREATE INDEX run_datasets_model ON run_datasets(model, run_seq);
