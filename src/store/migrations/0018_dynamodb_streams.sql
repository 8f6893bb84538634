-- DynamoDB Streams (issue 18). One row per stream a table ever had: enabling a table's stream
-- adds one (ENABLED), disabling it or deleting the table marks it DISABLED (disabled_ms) and
-- clears table_id, and the trim sweep deletes it 24 hours (AWS time) after that. Each stream has
-- one shard (shard_id); its sequence numbers run from start_seq and, once closed, to end_seq.
-- trimmed_seq is the highest sequence number the sweep has removed (the trim horizon).
CREATE TABLE ddb_streams (
  id           INTEGER PRIMARY KEY,
  arn          TEXT NOT NULL UNIQUE,
  account      TEXT NOT NULL,
  region       TEXT NOT NULL,
  table_name   TEXT NOT NULL,
  table_id     INTEGER,
  label        TEXT NOT NULL,
  view_type    TEXT NOT NULL,
  key_schema   TEXT NOT NULL,
  status       TEXT NOT NULL,
  created_ms   INTEGER NOT NULL,
  disabled_ms  INTEGER,
  shard_id     TEXT NOT NULL,
  start_seq    INTEGER NOT NULL,
  end_seq      INTEGER,
  trimmed_seq  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ddb_streams_by_table ON ddb_streams (table_id);
CREATE INDEX ddb_streams_by_account ON ddb_streams (account, region, table_name);

-- Stream records, written in the same transaction as the item change they describe. seq is the
-- record's sequence number: AUTOINCREMENT never reuses one, and the store's single writer makes
-- the order of seq the commit order. `record` is the Record as GetRecords returns it (attribute
-- values in the wire form, B as base64) without SequenceNumber and ApproximateCreationDateTime,
-- which come from seq and created_ms.
CREATE TABLE ddb_stream_records (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id  INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  record     TEXT NOT NULL
);
CREATE INDEX ddb_stream_records_by_stream ON ddb_stream_records (stream_id, seq);
CREATE INDEX ddb_stream_records_by_age ON ddb_stream_records (created_ms);

-- Tables stored before this migration: an enabled stream gets its row (one empty shard, created
-- with the table as far as anyone can tell), and a disabled one loses the StreamSpecification
-- that DescribeTable does not show for it.
INSERT INTO ddb_streams (arn, account, region, table_name, table_id, label, view_type, key_schema,
                         status, created_ms, shard_id, start_seq)
SELECT json_extract(description, '$.LatestStreamArn'), account, region, name, id,
       json_extract(description, '$.LatestStreamLabel'),
       json_extract(description, '$.StreamSpecification.StreamViewType'),
       json_extract(description, '$.KeySchema'), 'ENABLED', created_ms,
       'shardId-' || printf('%020d', created_ms) || '-' || lower(hex(randomblob(4))), 1
FROM ddb_tables
WHERE json_extract(description, '$.StreamSpecification.StreamEnabled') = 1
  AND json_extract(description, '$.LatestStreamArn') IS NOT NULL;
UPDATE ddb_tables SET description = json_remove(description, '$.StreamSpecification')
WHERE json_extract(description, '$.StreamSpecification.StreamEnabled') = 0;
