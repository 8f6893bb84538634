-- CloudWatch Logs (issue 6). Groups and streams are keyed by integer ids so that the events table
-- stays narrow: an event row is (stream, timestamp, ingestion time, message), indexed by
-- (stream_id, timestamp_ms, id) for GetLogEvents and by (group_id, timestamp_ms, id) for
-- FilterLogEvents (one ordered range scan across a group's streams) and retention. The group's
-- account, region and name are on the group row only.
CREATE TABLE logs_groups (
  id                  INTEGER PRIMARY KEY,
  account             TEXT NOT NULL,
  region              TEXT NOT NULL,
  name                TEXT NOT NULL,
  created_at_ms       INTEGER NOT NULL,
  retention_days      INTEGER,
  kms_key_id          TEXT,
  log_group_class     TEXT NOT NULL DEFAULT 'STANDARD',
  deletion_protection INTEGER NOT NULL DEFAULT 0,
  tags                TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX logs_groups_by_name ON logs_groups (account, region, name);

CREATE TABLE logs_streams (
  id                INTEGER PRIMARY KEY,
  group_id          INTEGER NOT NULL,
  name              TEXT NOT NULL,
  created_at_ms     INTEGER NOT NULL,
  first_event_ms    INTEGER,
  last_event_ms     INTEGER,
  last_ingestion_ms INTEGER,
  stored_bytes      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX logs_streams_by_name ON logs_streams (group_id, name);

-- AUTOINCREMENT: an event id is never reused, so eventIds and paging tokens stay unambiguous
-- after retention or DeleteLogStream removed the newest rows.
CREATE TABLE logs_events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id    INTEGER NOT NULL,
  group_id     INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  ingestion_ms INTEGER NOT NULL,
  message      TEXT NOT NULL
);
CREATE INDEX logs_events_by_time ON logs_events (stream_id, timestamp_ms, id);
CREATE INDEX logs_events_by_group_time ON logs_events (group_id, timestamp_ms, id);
