-- SSM Parameter Store (issue 16). A parameter of an account and region is keyed by its name
-- without a leading '/' (AWS treats "/db" and "db" as one parameter); `name` is the name as it
-- was created. Tags are a JSON object of tag key -> value.
CREATE TABLE ssm_parameters (
  account  TEXT NOT NULL,
  region   TEXT NOT NULL,
  name_key TEXT NOT NULL,
  name     TEXT NOT NULL,
  tags     TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (account, region, name_key)
);

-- Every retained version of a parameter (at most 100: PutParameter drops the oldest). A
-- SecureString's `value` is base64 of its KMS ciphertext, never the plaintext: `encryption` says
-- how it was made ('kms' = KMS Encrypt, 'envelope' = a KMS data key, for advanced values past
-- Encrypt's 4 KB), with {"PARAMETER_ARN": <arn>} as encryption context. key_id is the KeyId as
-- the caller gave it (DescribeParameters shows it), key_arn the key it named. Labels are a JSON
-- array; a label is on at most one version of a parameter.
CREATE TABLE ssm_parameter_versions (
  account         TEXT NOT NULL,
  region          TEXT NOT NULL,
  name_key        TEXT NOT NULL,
  version         INTEGER NOT NULL,
  type            TEXT NOT NULL,
  value           TEXT NOT NULL,
  encryption      TEXT NOT NULL DEFAULT '',
  key_id          TEXT NOT NULL DEFAULT '',
  key_arn         TEXT NOT NULL DEFAULT '',
  description     TEXT NOT NULL DEFAULT '',
  allowed_pattern TEXT NOT NULL DEFAULT '',
  tier            TEXT NOT NULL,
  data_type       TEXT NOT NULL,
  policies        TEXT NOT NULL DEFAULT '',
  modified_at_ms  INTEGER NOT NULL,
  modified_by     TEXT NOT NULL,
  labels          TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (account, region, name_key, version)
);
