-- CloudWatch Logs metric filters (issue 15). One row per filter of a log group, keyed by
-- (group_id, name); the metric transformations are kept as the JSON array the API takes. Rows go
-- with their group (LogsStore::delete_group).
CREATE TABLE logs_metric_filters (
  id              INTEGER PRIMARY KEY,
  group_id        INTEGER NOT NULL,
  name            TEXT NOT NULL,
  pattern         TEXT NOT NULL,
  transformations TEXT NOT NULL,
  apply_on_transformed_logs INTEGER NOT NULL DEFAULT 0,
  created_at_ms   INTEGER NOT NULL
);
CREATE UNIQUE INDEX logs_metric_filters_by_name ON logs_metric_filters (group_id, name);
