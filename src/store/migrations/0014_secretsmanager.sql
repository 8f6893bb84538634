-- Secrets Manager (issue 16). A secret row is one secret of an account and region, named by its
-- name and by its ARN (name + "-" + 6 random characters). `kms_key_id` is what CreateSecret or
-- UpdateSecret named ('' = the AWS managed key alias/aws/secretsmanager). A secret scheduled for
-- deletion has deleted_date_ms (the DeletionDate DeleteSecret answered) and goes at
-- deletion_due_ms (the same date under the time scale). Tags are a JSON array of {"Key","Value"}
-- in the order they were added; rotation_rules a JSON object (RotationRules); rotation_enabled is
-- NULL until rotation was ever configured.
CREATE TABLE sm_secrets (
  account             TEXT NOT NULL,
  region              TEXT NOT NULL,
  name                TEXT NOT NULL,
  arn                 TEXT NOT NULL UNIQUE,
  description         TEXT,
  kms_key_id          TEXT NOT NULL DEFAULT '',
  created_at_ms       INTEGER NOT NULL,
  last_changed_ms     INTEGER NOT NULL,
  last_accessed_ms    INTEGER,
  deleted_date_ms     INTEGER,
  deletion_due_ms     INTEGER,
  rotation_enabled    INTEGER,
  rotation_lambda_arn TEXT,
  rotation_rules      TEXT,
  last_rotated_ms     INTEGER,
  next_rotation_ms    INTEGER,
  tags                TEXT NOT NULL DEFAULT '[]',
  policy              TEXT,
  PRIMARY KEY (account, region, name)
);
CREATE INDEX sm_secrets_by_deletion ON sm_secrets (deletion_due_ms)
  WHERE deletion_due_ms IS NOT NULL;

-- One version of a secret. The value is never stored in the clear: `sealed` is base64 of a KMS
-- envelope (services/kms/envelope.h) under the secret's key, with the encryption context
-- {"SecretARN": arn, "SecretVersionId": version_id}; `is_binary` says whether it is SecretBinary.
-- `stages` is a JSON array of staging labels; a version with none is deprecated.
CREATE TABLE sm_secret_versions (
  secret_arn       TEXT NOT NULL,
  version_id       TEXT NOT NULL,
  sealed           TEXT NOT NULL,
  is_binary        INTEGER NOT NULL,
  key_arn          TEXT NOT NULL,
  stages           TEXT NOT NULL DEFAULT '[]',
  created_at_ms    INTEGER NOT NULL,
  last_accessed_ms INTEGER,
  PRIMARY KEY (secret_arn, version_id)
);
