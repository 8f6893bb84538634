-- ECS control plane (issue 4). One table per resource, keyed by (account, region, arn). The
-- columns are what queries filter or sort on; `doc` is the resource's wire-shaped JSON document
-- (what Describe* returns), so every field a caller sent is echoed back.
CREATE TABLE ecs_clusters (
  account       TEXT NOT NULL,
  region        TEXT NOT NULL,
  arn           TEXT NOT NULL,
  name          TEXT NOT NULL,
  status        TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  doc           TEXT NOT NULL,
  PRIMARY KEY (account, region, arn)
);
CREATE UNIQUE INDEX ecs_clusters_by_name ON ecs_clusters (account, region, name);

CREATE TABLE ecs_task_definitions (
  account          TEXT NOT NULL,
  region           TEXT NOT NULL,
  arn              TEXT NOT NULL,
  family           TEXT NOT NULL,
  revision         INTEGER NOT NULL,
  status           TEXT NOT NULL,
  registered_at_ms INTEGER NOT NULL,
  doc              TEXT NOT NULL,
  PRIMARY KEY (account, region, arn)
);
CREATE UNIQUE INDEX ecs_task_definitions_by_family
  ON ecs_task_definitions (account, region, family, revision);

CREATE TABLE ecs_services (
  account             TEXT NOT NULL,
  region              TEXT NOT NULL,
  arn                 TEXT NOT NULL,
  cluster_arn         TEXT NOT NULL,
  name                TEXT NOT NULL,
  status              TEXT NOT NULL,
  launch_type         TEXT NOT NULL,
  scheduling_strategy TEXT NOT NULL,
  client_token        TEXT NOT NULL,
  created_at_ms       INTEGER NOT NULL,
  doc                 TEXT NOT NULL,
  PRIMARY KEY (account, region, arn)
);
CREATE INDEX ecs_services_by_cluster ON ecs_services (account, region, cluster_arn, status, arn);

CREATE TABLE ecs_tasks (
  account        TEXT NOT NULL,
  region         TEXT NOT NULL,
  arn            TEXT NOT NULL,
  cluster_arn    TEXT NOT NULL,
  family         TEXT NOT NULL,
  service_name   TEXT NOT NULL,  -- '' unless started by a service ("ecs-svc/..." group)
  started_by     TEXT NOT NULL,
  desired_status TEXT NOT NULL,
  last_status    TEXT NOT NULL,
  launch_type    TEXT NOT NULL,
  created_at_ms  INTEGER NOT NULL,
  doc            TEXT NOT NULL,
  PRIMARY KEY (account, region, arn)
);
CREATE INDEX ecs_tasks_by_cluster ON ecs_tasks (account, region, cluster_arn, desired_status, arn);

CREATE TABLE ecs_capacity_providers (
  account TEXT NOT NULL,
  region  TEXT NOT NULL,
  arn     TEXT NOT NULL,
  name    TEXT NOT NULL,
  status  TEXT NOT NULL,
  doc     TEXT NOT NULL,
  PRIMARY KEY (account, region, arn)
);
CREATE UNIQUE INDEX ecs_capacity_providers_by_name ON ecs_capacity_providers (account, region, name);

-- principal_arn '' holds the account default (PutAccountSettingDefault).
CREATE TABLE ecs_account_settings (
  account       TEXT NOT NULL,
  region        TEXT NOT NULL,
  principal_arn TEXT NOT NULL,
  name          TEXT NOT NULL,
  value         TEXT NOT NULL,
  PRIMARY KEY (account, region, principal_arn, name)
);

-- Tags of every taggable ECS resource, in the order they were first set.
CREATE TABLE ecs_tags (
  account      TEXT NOT NULL,
  region       TEXT NOT NULL,
  resource_arn TEXT NOT NULL,
  key          TEXT NOT NULL,
  value        TEXT NOT NULL,
  position     INTEGER NOT NULL,
  PRIMARY KEY (account, region, resource_arn, key)
);
