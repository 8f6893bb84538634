-- STS sessions carry what AssumeRole and AssumeRoleWithWebIdentity were given: session tags
-- (aws:PrincipalTag/<key> for the session), which of them are transitive (they pass to the next
-- session in a role chain) and the source identity, which also passes along the chain.
ALTER TABLE sts_credentials ADD COLUMN session_tags TEXT NOT NULL DEFAULT '{}';
ALTER TABLE sts_credentials ADD COLUMN transitive_tag_keys TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sts_credentials ADD COLUMN source_identity TEXT NOT NULL DEFAULT '';
