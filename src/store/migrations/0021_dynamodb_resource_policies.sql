-- DynamoDB resource-based policies of tables (PutResourcePolicy): the policy text and its
-- revision, the epoch milliseconds of the change that made it, as DynamoDB's revision ids are.
CREATE TABLE ddb_resource_policies (
  table_id INTEGER PRIMARY KEY REFERENCES ddb_tables (id) ON DELETE CASCADE,
  policy   TEXT NOT NULL,
  revision TEXT NOT NULL
);
