-- IAM (issue 16). IAM is global: rows are per account, never per region.
--
-- An entity row is one role, user, group, customer managed policy, instance profile or OpenID
-- Connect provider, kept as one JSON document (iam_store.h says its members): IAM entities are
-- small, read whole, and their relations (inline policies, attached policy ARNs, group
-- memberships, an instance profile's role, a policy's versions) live inside the document that
-- owns them, so each API call reads and writes one or two rows. Names are unique per account and
-- kind case-insensitively, as IAM compares them: name_key is the lower-cased name (the URL
-- without "https://" for a provider).
CREATE TABLE iam_entities (
  account  TEXT NOT NULL,
  kind     TEXT NOT NULL,  -- 'role', 'user', 'group', 'policy', 'instance-profile', 'oidc-provider'
  name_key TEXT NOT NULL,
  doc      TEXT NOT NULL,
  PRIMARY KEY (account, kind, name_key)
);

-- Access keys of IAM users, found by id when SigV4 resolves a request's key. The secret is
-- kept because SigV4 needs it to check signatures. status is 'Active' or 'Inactive'.
CREATE TABLE iam_access_keys (
  access_key_id    TEXT PRIMARY KEY,
  account          TEXT NOT NULL,
  user_key         TEXT NOT NULL,  -- the user's name_key
  secret           TEXT NOT NULL,
  status           TEXT NOT NULL,
  created_at       INTEGER NOT NULL,  -- epoch seconds
  last_used_at     INTEGER,
  last_used_service TEXT,
  last_used_region TEXT
);
CREATE INDEX iam_access_keys_by_user ON iam_access_keys (account, user_key);
