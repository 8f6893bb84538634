-- Application Auto Scaling (issue 15). Targets, policies and scheduled actions are keyed by
-- (account, region, namespace, resource id, dimension) and kept as their wire documents (doc,
-- JSON text): the handlers read and write them whole. A target's last scale-out and scale-in
-- times drive the cooldowns; a scheduled action's next_run_ms is when the runner fires it next
-- (NULL: never again).
CREATE TABLE aas_targets (
  id          INTEGER PRIMARY KEY,
  account     TEXT NOT NULL,
  region      TEXT NOT NULL,
  namespace   TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  dimension   TEXT NOT NULL,
  arn         TEXT NOT NULL,
  doc         TEXT NOT NULL,
  tags        TEXT NOT NULL DEFAULT '{}',
  last_out_ms INTEGER NOT NULL DEFAULT 0,
  last_in_ms  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX aas_targets_by_key ON aas_targets (account, region, namespace, resource_id, dimension);
CREATE UNIQUE INDEX aas_targets_by_arn ON aas_targets (arn);

CREATE TABLE aas_policies (
  id          INTEGER PRIMARY KEY,
  account     TEXT NOT NULL,
  region      TEXT NOT NULL,
  namespace   TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  dimension   TEXT NOT NULL,
  name        TEXT NOT NULL,
  arn         TEXT NOT NULL,
  doc         TEXT NOT NULL
);
CREATE UNIQUE INDEX aas_policies_by_key ON aas_policies (account, region, namespace, resource_id, dimension, name);
CREATE UNIQUE INDEX aas_policies_by_arn ON aas_policies (arn);

CREATE TABLE aas_scheduled_actions (
  id          INTEGER PRIMARY KEY,
  account     TEXT NOT NULL,
  region      TEXT NOT NULL,
  namespace   TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  dimension   TEXT NOT NULL,
  name        TEXT NOT NULL,
  arn         TEXT NOT NULL,
  doc         TEXT NOT NULL,
  next_run_ms INTEGER
);
CREATE UNIQUE INDEX aas_scheduled_by_key ON aas_scheduled_actions (account, region, namespace, resource_id, dimension, name);
CREATE INDEX aas_scheduled_by_next ON aas_scheduled_actions (next_run_ms);

-- AUTOINCREMENT: newest first is ORDER BY id DESC, and paging tokens stay unambiguous.
CREATE TABLE aas_activities (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account     TEXT NOT NULL,
  region      TEXT NOT NULL,
  namespace   TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  dimension   TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  doc         TEXT NOT NULL
);
CREATE INDEX aas_activities_by_target ON aas_activities (account, region, namespace, resource_id, dimension, id);
CREATE UNIQUE INDEX aas_activities_by_activity_id ON aas_activities (activity_id);
