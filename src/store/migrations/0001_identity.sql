-- STS temporary credentials (AssumeRole, GetSessionToken) so that they can sign later requests
-- and survive a restart.
CREATE TABLE sts_credentials (
  access_key_id     TEXT PRIMARY KEY,
  secret_access_key TEXT NOT NULL,
  session_token     TEXT NOT NULL,
  account           TEXT NOT NULL,
  arn               TEXT NOT NULL,
  user_id           TEXT NOT NULL,
  expires_at_ms     INTEGER NOT NULL
);
