-- The prediction log and the feedback joined to it. Timestamps are fixed-width UTC text
-- (Sqlite.timestamp), so text order is time order. predictions_model_ts serves "a model's last N
-- predictions" (drift) as a backwards index scan. feedback repeats its prediction's time, so that
-- "a model's last N labelled predictions" (live performance) is also one backwards scan, however
-- few predictions carry a label.
CREATE TABLE predictions (
  id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  ts TEXT NOT NULL,
  inputs TEXT NOT NULL,
  output TEXT NOT NULL);
CREATE INDEX predictions_model_ts ON predictions(model, ts);
CREATE TABLE feedback (
  prediction_id TEXT PRIMARY KEY REFERENCES predictions(id),
  model TEXT NOT NULL,
  label TEXT NOT NULL,
  received_at TEXT NOT NULL,
  predicted_at TEXT NOT NULL);
CREATE INDEX feedback_model_predicted ON feedback(model, predicted_at);
