-- CloudWatch (issue 15). A metric is its identity (account, region, namespace, name and the
-- canonical text of its sorted dimensions); datapoints refer to it by id. A datapoint row is one
-- PutMetricData datum (or a merge of several once the retention sweeper downsampled them): its
-- statistics and, when known, its values as a JSON array of [value, count] for percentiles.
-- resolution_s is the bucket the row stands for: 1 (high resolution), 60, 300 or 3600.
CREATE TABLE cw_metrics (
  id          INTEGER PRIMARY KEY,
  account     TEXT NOT NULL,
  region      TEXT NOT NULL,
  namespace   TEXT NOT NULL,
  name        TEXT NOT NULL,
  dimensions  TEXT NOT NULL,
  last_put_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX cw_metrics_identity ON cw_metrics (account, region, namespace, name, dimensions);

CREATE TABLE cw_datapoints (
  id           INTEGER PRIMARY KEY,
  metric_id    INTEGER NOT NULL,
  ts_ms        INTEGER NOT NULL,
  resolution_s INTEGER NOT NULL,
  unit         TEXT NOT NULL,
  sample_count REAL NOT NULL,
  sum          REAL NOT NULL,
  minimum      REAL NOT NULL,
  maximum      REAL NOT NULL,
  vals         TEXT
);
CREATE INDEX cw_datapoints_by_metric_time ON cw_datapoints (metric_id, ts_ms);
CREATE INDEX cw_datapoints_by_age ON cw_datapoints (resolution_s, ts_ms);

-- A metric alarm: its PutMetricAlarm definition as a JSON document, its state and tags.
CREATE TABLE cw_alarms (
  id                    INTEGER PRIMARY KEY,
  account               TEXT NOT NULL,
  region                TEXT NOT NULL,
  name                  TEXT NOT NULL,
  definition            TEXT NOT NULL,
  actions_enabled       INTEGER NOT NULL,
  state                 TEXT NOT NULL,
  state_reason          TEXT NOT NULL,
  state_reason_data     TEXT,
  state_updated_ms      INTEGER NOT NULL,
  state_transitioned_ms INTEGER NOT NULL,
  config_updated_ms     INTEGER NOT NULL,
  tags                  TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX cw_alarms_by_name ON cw_alarms (account, region, name);

CREATE TABLE cw_alarm_history (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  account    TEXT NOT NULL,
  region     TEXT NOT NULL,
  alarm_name TEXT NOT NULL,
  alarm_type TEXT NOT NULL,
  ts_ms      INTEGER NOT NULL,
  item_type  TEXT NOT NULL,
  summary    TEXT NOT NULL,
  data       TEXT NOT NULL
);
CREATE INDEX cw_alarm_history_by_alarm ON cw_alarm_history (account, region, alarm_name, id);

CREATE TABLE cw_dashboards (
  account     TEXT NOT NULL,
  region      TEXT NOT NULL,
  name        TEXT NOT NULL,
  body        TEXT NOT NULL,
  modified_ms INTEGER NOT NULL,
  tags        TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (account, region, name)
);
