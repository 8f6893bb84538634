-- DynamoDB's own partition hash (MD5 of "Outliers" and the key's bytes, as dynalite reproduced
-- it) replaces FNV-1a in the first 8 bytes of ddb_items.h, so that scans run in DynamoDB's
-- partition order. A database written before holds rows under the old hash: the DynamoDB module
-- rewrites every table's rows once at start (partition_rekey.h) while this setting is present.
CREATE TABLE ddb_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO ddb_settings (name, value)
  SELECT 'rekey_partitions', '1' WHERE EXISTS (SELECT 1 FROM ddb_tables);
