-- CloudFormation (issue 17). A stack is keyed by its id (the stack ARN); its name is unique among
-- the account and region's stacks that are not deleted. Deleted stacks stay (DELETE_COMPLETE),
-- as DescribeStacks by id and ListStacks show them. JSON columns hold the wire shapes' lists:
-- parameters [{ParameterKey, ParameterValue}], tags [{Key, Value}], outputs [{OutputKey,
-- OutputValue, Description, ExportName}], capabilities and notification ARNs as string lists.
-- `previous_*` is what the stack ran before its last update, for the update's rollback.
CREATE TABLE cfn_stacks (
  stack_id               TEXT PRIMARY KEY,
  account                TEXT NOT NULL,
  region                 TEXT NOT NULL,
  name                   TEXT NOT NULL,
  status                 TEXT NOT NULL,
  status_reason          TEXT NOT NULL DEFAULT '',
  description            TEXT NOT NULL DEFAULT '',
  template_body          TEXT NOT NULL,
  parameters             TEXT NOT NULL DEFAULT '[]',
  previous_template      TEXT NOT NULL DEFAULT '',
  previous_parameters    TEXT NOT NULL DEFAULT '[]',
  capabilities           TEXT NOT NULL DEFAULT '[]',
  notification_arns      TEXT NOT NULL DEFAULT '[]',
  tags                   TEXT NOT NULL DEFAULT '[]',
  outputs                TEXT NOT NULL DEFAULT '[]',
  role_arn               TEXT NOT NULL DEFAULT '',
  timeout_minutes        INTEGER NOT NULL DEFAULT 0,
  disable_rollback       INTEGER NOT NULL DEFAULT 0,
  termination_protection INTEGER NOT NULL DEFAULT 0,
  change_set_id          TEXT NOT NULL DEFAULT '',
  created_ms             INTEGER NOT NULL,
  updated_ms             INTEGER NOT NULL DEFAULT 0,
  deleted_ms             INTEGER NOT NULL DEFAULT 0,
  drift_status           TEXT NOT NULL DEFAULT 'NOT_CHECKED',
  drift_checked_ms       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cfn_stacks_by_name ON cfn_stacks (account, region, name);

-- A stack's resources as last applied: properties resolved (intrinsics evaluated; values from
-- dynamic references are not kept), attributes as Fn::GetAtt reads them.
CREATE TABLE cfn_resources (
  stack_id      TEXT NOT NULL,
  logical_id    TEXT NOT NULL,
  type          TEXT NOT NULL,
  physical_id   TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL,
  status_reason TEXT NOT NULL DEFAULT '',
  properties    TEXT NOT NULL DEFAULT 'null',
  attributes    TEXT NOT NULL DEFAULT '{}',
  metadata      TEXT NOT NULL DEFAULT 'null',
  updated_ms    INTEGER NOT NULL,
  drift_status  TEXT NOT NULL DEFAULT 'NOT_CHECKED',
  drift_details TEXT NOT NULL DEFAULT 'null',
  drift_checked_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (stack_id, logical_id)
);

-- Every event, numbered per stack in the order written (DescribeStackEvents shows newest first).
CREATE TABLE cfn_events (
  stack_id      TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  event_id      TEXT NOT NULL,
  logical_id    TEXT NOT NULL,
  physical_id   TEXT NOT NULL DEFAULT '',
  type          TEXT NOT NULL,
  status        TEXT NOT NULL,
  status_reason TEXT NOT NULL DEFAULT '',
  properties    TEXT NOT NULL DEFAULT '',
  timestamp_ms  INTEGER NOT NULL,
  PRIMARY KEY (stack_id, seq)
);

-- Exports of stacks that are not deleted, and who imports them.
CREATE TABLE cfn_exports (
  account  TEXT NOT NULL,
  region   TEXT NOT NULL,
  name     TEXT NOT NULL,
  value    TEXT NOT NULL,
  stack_id TEXT NOT NULL,
  PRIMARY KEY (account, region, name)
);
CREATE TABLE cfn_imports (
  account     TEXT NOT NULL,
  region      TEXT NOT NULL,
  export_name TEXT NOT NULL,
  stack_id    TEXT NOT NULL,
  PRIMARY KEY (account, region, export_name, stack_id)
);

-- Change sets. `changes` is the wire list [{Type: Resource, ResourceChange: {...}}].
CREATE TABLE cfn_change_sets (
  change_set_id    TEXT PRIMARY KEY,
  account          TEXT NOT NULL,
  region           TEXT NOT NULL,
  stack_id         TEXT NOT NULL,
  name             TEXT NOT NULL,
  type             TEXT NOT NULL,
  status           TEXT NOT NULL,
  status_reason    TEXT NOT NULL DEFAULT '',
  execution_status TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  template_body    TEXT NOT NULL,
  parameters       TEXT NOT NULL DEFAULT '[]',
  capabilities     TEXT NOT NULL DEFAULT '[]',
  notification_arns TEXT NOT NULL DEFAULT '[]',
  tags             TEXT NOT NULL DEFAULT '[]',
  changes          TEXT NOT NULL DEFAULT '[]',
  created_ms       INTEGER NOT NULL
);
CREATE INDEX cfn_change_sets_by_stack ON cfn_change_sets (stack_id, name);

-- SignalResource's signals, stored (WaitCondition and CreationPolicy count them).
CREATE TABLE cfn_signals (
  stack_id   TEXT NOT NULL,
  logical_id TEXT NOT NULL,
  unique_id  TEXT NOT NULL,
  status     TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (stack_id, logical_id, unique_id)
);
