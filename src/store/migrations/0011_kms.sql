-- KMS (issue 16). A key row is one KMS key of an account and region; its 32 bytes of key
-- material are never stored in the clear: `material` is base64 of the material sealed with
-- AES-256-GCM under the host key (<data-dir>/kms/host.key), with the key's account, region and id
-- as authenticated data, so that a row's material cannot be moved to another key. State is
-- 'Enabled', 'Disabled' or 'PendingDeletion'; a key pending deletion goes at deletion_due_ms
-- (deletion_date_ms is the date DescribeKey shows; the two differ under a time scale).
-- Tags are a JSON object of tag key -> value.
CREATE TABLE kms_keys (
  account              TEXT NOT NULL,
  region               TEXT NOT NULL,
  key_id               TEXT NOT NULL,
  description          TEXT NOT NULL DEFAULT '',
  key_usage            TEXT NOT NULL,
  key_spec             TEXT NOT NULL,
  origin               TEXT NOT NULL,
  key_manager          TEXT NOT NULL,
  state                TEXT NOT NULL,
  created_at_ms        INTEGER NOT NULL,
  deletion_date_ms     INTEGER,
  deletion_due_ms      INTEGER,
  pending_window_days  INTEGER,
  policy               TEXT NOT NULL,
  rotation_enabled     INTEGER NOT NULL DEFAULT 0,
  rotation_period_days INTEGER,
  next_rotation_ms     INTEGER,
  tags                 TEXT NOT NULL DEFAULT '{}',
  material             TEXT NOT NULL,
  PRIMARY KEY (account, region, key_id)
);
CREATE INDEX kms_keys_by_deletion ON kms_keys (deletion_due_ms) WHERE deletion_due_ms IS NOT NULL;

-- Aliases name keys of the same account and region ("alias/..."); deleting a key deletes its
-- aliases.
CREATE TABLE kms_aliases (
  account       TEXT NOT NULL,
  region        TEXT NOT NULL,
  name          TEXT NOT NULL,
  key_id        TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (account, region, name)
);
CREATE INDEX kms_aliases_by_key ON kms_aliases (account, region, key_id);
