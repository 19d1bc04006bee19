-- Where each run's spec file was, so a retraining run can read the same sources (relative paths
-- in a spec resolve against its folder).
ALTER TABLE runs ADD COLUMN spec_path TEXT;
