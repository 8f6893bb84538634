-- EC2 networking: VPCs, subnets, security groups and their rules, gateways, route tables,
-- Elastic IPs and network interfaces. Each row holds the resource as DescribeX returns it (a
-- model document, JSON) plus the columns queries need. Scoped by account and region.
CREATE TABLE ec2_resources (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order: Describe order and page tokens
  account   TEXT NOT NULL,
  region    TEXT NOT NULL,
  id        TEXT NOT NULL,                      -- vpc-..., subnet-..., sg-..., sgr-..., eni-...
  kind      TEXT NOT NULL,                      -- 'vpc', 'subnet', 'security-group', ...
  vpc_id    TEXT,                               -- the VPC it lives in, when it has one
  parent_id TEXT,                               -- sgr: its group; eni and nat: their subnet
  doc       TEXT NOT NULL,
  UNIQUE (account, region, id)
);
CREATE INDEX ec2_resources_by_kind ON ec2_resources (account, region, kind, seq);
CREATE INDEX ec2_resources_by_vpc ON ec2_resources (account, region, vpc_id, kind);
CREATE INDEX ec2_resources_by_parent ON ec2_resources (account, region, parent_id, kind);
CREATE INDEX ec2_resources_by_id ON ec2_resources (id);

-- Private IPv4 addresses in use in each subnet (ENIs), so that two allocations never collide.
CREATE TABLE ec2_ip_allocations (
  account   TEXT NOT NULL,
  region    TEXT NOT NULL,
  subnet_id TEXT NOT NULL,
  ip        INTEGER NOT NULL,  -- host-order IPv4
  owner_id  TEXT NOT NULL,     -- eni-...
  PRIMARY KEY (account, region, subnet_id, ip)
);
CREATE INDEX ec2_ip_allocations_by_owner ON ec2_ip_allocations (owner_id);

-- (account, region) pairs whose default VPC has been made, as AWS makes one per new account.
CREATE TABLE ec2_defaults (
  account TEXT NOT NULL,
  region  TEXT NOT NULL,
  vpc_id  TEXT NOT NULL,
  PRIMARY KEY (account, region)
);
