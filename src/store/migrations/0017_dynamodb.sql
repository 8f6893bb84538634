-- DynamoDB (issue 18). A table row is one DynamoDB table of an account and region; `description`
-- is its TableDescription as DescribeTable shows it (JSON, without the live members: status,
-- item count and size), `tags` a JSON array of {Key, Value}. item_count and size_bytes are kept in
-- the same transaction as every item write.
CREATE TABLE ddb_tables (
  id          INTEGER PRIMARY KEY,
  account     TEXT NOT NULL,
  region      TEXT NOT NULL,
  name        TEXT NOT NULL,
  description TEXT NOT NULL,
  tags        TEXT NOT NULL DEFAULT '[]',
  created_ms  INTEGER NOT NULL,
  item_count  INTEGER NOT NULL DEFAULT 0,
  size_bytes  INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account, region, name)
);

-- Items of every table and index, one keyed store. `space` is table id * 64 for a table's own
-- items and table id * 64 + slot (1..63) for one of its secondary indexes. `h` is 8 bytes of a
-- hash of the partition key followed by the key's order bytes, so that a scan in key order visits
-- partitions in hash order as DynamoDB does; `s` is the sort key's order bytes ('' without one);
-- `u` is empty for a table's own items and the base item's h || 0 || s in an index, where two items
-- may share the index key. `item` is the (projected) item as JSON.
CREATE TABLE ddb_items (
  space INTEGER NOT NULL,
  h     BLOB NOT NULL,
  s     BLOB NOT NULL,
  u     BLOB NOT NULL,
  item  BLOB NOT NULL,
  PRIMARY KEY (space, h, s, u)
) WITHOUT ROWID;

-- On-demand backups: a real copy of a table's items (ddb_items rows in space -id * 64, indexes
-- rebuilt on restore) and the source table's description as it was.
CREATE TABLE ddb_backups (
  id          INTEGER PRIMARY KEY,
  arn         TEXT NOT NULL UNIQUE,
  account     TEXT NOT NULL,
  region      TEXT NOT NULL,
  name        TEXT NOT NULL,
  table_name  TEXT NOT NULL,
  source      TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  item_count  INTEGER NOT NULL,
  size_bytes  INTEGER NOT NULL
);
CREATE INDEX ddb_backups_by_table ON ddb_backups (account, region, table_name);
