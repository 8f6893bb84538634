-- ELBv2 control plane (issue 7). Keyed by (account, region, arn) like the other services. `doc`
-- is the resource's wire-shaped JSON document (what Describe* returns, without the fields that
-- are computed at read time); the other columns are what queries filter, join or sort on.
CREATE TABLE elbv2_load_balancers (
  account       TEXT NOT NULL,
  region        TEXT NOT NULL,
  arn           TEXT NOT NULL,
  name          TEXT NOT NULL,
  state         TEXT NOT NULL,     -- provisioning, active
  active_at_ms  INTEGER NOT NULL,  -- when provisioning ends
  created_at_ms INTEGER NOT NULL,
  doc           TEXT NOT NULL,
  attributes    TEXT NOT NULL,     -- JSON object key -> value
  enis          TEXT NOT NULL,     -- JSON array [{SubnetId, EniId, PrivateIp, ZoneName}]
  PRIMARY KEY (account, region, arn)
);
CREATE UNIQUE INDEX elbv2_load_balancers_by_name ON elbv2_load_balancers (account, region, name);

CREATE TABLE elbv2_target_groups (
  account       TEXT NOT NULL,
  region        TEXT NOT NULL,
  arn           TEXT NOT NULL,
  name          TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  doc           TEXT NOT NULL,
  attributes    TEXT NOT NULL,
  PRIMARY KEY (account, region, arn)
);
CREATE UNIQUE INDEX elbv2_target_groups_by_name ON elbv2_target_groups (account, region, name);

CREATE TABLE elbv2_listeners (
  account       TEXT NOT NULL,
  region        TEXT NOT NULL,
  arn           TEXT NOT NULL,
  lb_arn        TEXT NOT NULL,
  port          INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  doc           TEXT NOT NULL,
  attributes    TEXT NOT NULL,
  PRIMARY KEY (account, region, arn)
);
CREATE UNIQUE INDEX elbv2_listeners_by_port ON elbv2_listeners (account, region, lb_arn, port);

-- Rules, the default rule of each listener included (priority NULL).
CREATE TABLE elbv2_rules (
  account       TEXT NOT NULL,
  region        TEXT NOT NULL,
  arn           TEXT NOT NULL,
  listener_arn  TEXT NOT NULL,
  lb_arn        TEXT NOT NULL,
  priority      INTEGER,
  doc           TEXT NOT NULL,
  PRIMARY KEY (account, region, arn)
);
CREATE UNIQUE INDEX elbv2_rules_by_priority ON elbv2_rules (account, region, listener_arn, priority);

-- Which target groups each rule's actions forward to (rebuilt with the rule).
CREATE TABLE elbv2_rule_target_groups (
  account       TEXT NOT NULL,
  region        TEXT NOT NULL,
  rule_arn      TEXT NOT NULL,
  lb_arn        TEXT NOT NULL,
  tg_arn        TEXT NOT NULL,
  PRIMARY KEY (account, region, rule_arn, tg_arn)
);
CREATE INDEX elbv2_rule_target_groups_by_tg ON elbv2_rule_target_groups (account, region, tg_arn);

CREATE TABLE elbv2_targets (
  account          TEXT NOT NULL,
  region           TEXT NOT NULL,
  tg_arn           TEXT NOT NULL,
  target_id        TEXT NOT NULL,
  port             INTEGER NOT NULL,  -- 0 for lambda targets
  availability_zone TEXT NOT NULL,
  state            TEXT NOT NULL,     -- initial, healthy, unhealthy, draining
  reason           TEXT NOT NULL,     -- '' or Elb.* / Target.*
  description      TEXT NOT NULL,
  registered_at_ms INTEGER NOT NULL,
  drain_until_ms   INTEGER NOT NULL,  -- draining: when the sweep removes it
  PRIMARY KEY (account, region, tg_arn, target_id, port)
);

CREATE TABLE elbv2_tags (
  account  TEXT NOT NULL,
  region   TEXT NOT NULL,
  arn      TEXT NOT NULL,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  seq      INTEGER NOT NULL,
  PRIMARY KEY (account, region, arn, key)
);
