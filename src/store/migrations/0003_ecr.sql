-- ECR: repositories, images (manifests stored byte for byte), tags, which blobs each repository
-- may serve, and upload sessions. Blob bytes live in <data_dir>/blobs, upload bytes in
-- <data_dir>/uploads; these tables say who may see them.
CREATE TABLE ecr_repositories (
  account          TEXT NOT NULL,
  region           TEXT NOT NULL,
  name             TEXT NOT NULL,
  created_at_ms    INTEGER NOT NULL,
  tag_mutability   TEXT NOT NULL DEFAULT 'MUTABLE',
  scan_on_push     INTEGER NOT NULL DEFAULT 0,
  encryption_type  TEXT NOT NULL DEFAULT 'AES256',
  kms_key          TEXT,
  policy           TEXT,
  lifecycle_policy TEXT,
  lifecycle_evaluated_at_ms INTEGER,
  tags             TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (account, region, name)
);

CREATE TABLE ecr_images (
  account             TEXT NOT NULL,
  region              TEXT NOT NULL,
  repository          TEXT NOT NULL,
  digest              TEXT NOT NULL,
  media_type          TEXT NOT NULL,
  artifact_media_type TEXT,
  artifact_type       TEXT,
  subject             TEXT,
  manifest            BLOB NOT NULL,
  size                INTEGER NOT NULL,
  pushed_at_ms        INTEGER NOT NULL,
  last_pulled_at_ms   INTEGER,
  PRIMARY KEY (account, region, repository, digest)
);
CREATE INDEX ecr_images_subject ON ecr_images (account, region, repository, subject);

CREATE TABLE ecr_tags (
  account    TEXT NOT NULL,
  region     TEXT NOT NULL,
  repository TEXT NOT NULL,
  tag        TEXT NOT NULL,
  digest     TEXT NOT NULL,
  PRIMARY KEY (account, region, repository, tag)
);
CREATE INDEX ecr_tags_digest ON ecr_tags (account, region, repository, digest);

-- What each image points at: 'blob' (config, layers) or 'manifest' (children of an index).
CREATE TABLE ecr_image_refs (
  account      TEXT NOT NULL,
  region       TEXT NOT NULL,
  repository   TEXT NOT NULL,
  image_digest TEXT NOT NULL,
  ref_digest   TEXT NOT NULL,
  kind         TEXT NOT NULL,
  PRIMARY KEY (account, region, repository, image_digest, ref_digest)
);
CREATE INDEX ecr_image_refs_ref ON ecr_image_refs (ref_digest);

-- Blobs uploaded to (or mounted into) a repository, before and after a manifest references them.
CREATE TABLE ecr_repo_blobs (
  account      TEXT NOT NULL,
  region       TEXT NOT NULL,
  repository   TEXT NOT NULL,
  digest       TEXT NOT NULL,
  size         INTEGER NOT NULL,
  media_type   TEXT,
  linked_at_ms INTEGER NOT NULL,
  PRIMARY KEY (account, region, repository, digest)
);
CREATE INDEX ecr_repo_blobs_digest ON ecr_repo_blobs (digest);

CREATE TABLE ecr_uploads (
  id            TEXT PRIMARY KEY,
  account       TEXT NOT NULL,
  region        TEXT NOT NULL,
  repository    TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
