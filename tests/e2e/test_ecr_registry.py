"""ECR's /v2/ registry end to end: skopeo pushes and pulls images built by oci_images.py, the ECR
API sees them, and the OCI distribution errors come back as the spec defines them."""
import base64
import hashlib
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest

from oci_images import (blob_digests, build_busybox_image, build_multiarch_image, manifest_of,
                        MEDIA_INDEX, MEDIA_MANIFEST)

ACCOUNT = "000000000000"

# emulator_only: the registry is served on the API endpoint's port (ECR's is a host of its own).
pytestmark = [pytest.mark.skipif(shutil.which("skopeo") is None, reason="skopeo not installed"),
              pytest.mark.emulator_only]


def skopeo(*args, check=True):
    r = subprocess.run(["skopeo", "--insecure-policy"] + list(args), capture_output=True,
                       text=True, timeout=300)
    if check and r.returncode != 0:
        raise AssertionError("skopeo %s failed:\n%s%s" % (" ".join(args), r.stdout, r.stderr))
    return r


def push(layout, tag, dest, *extra, check=True):
    return skopeo("copy", "--dest-tls-verify=false", *extra, "oci:%s:%s" % (layout, tag),
                  "docker://" + dest, check=check)


def pull(src, layout, tag, *extra):
    return skopeo("copy", "--src-tls-verify=false", "--preserve-digests", *extra,
                  "docker://" + src, "oci:%s:%s" % (layout, tag))


def request(gantry, method, path, data=None, headers=None):
    req = urllib.request.Request(gantry.endpoint + path, method=method, data=data,
                                 headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def error_code(body):
    return json.loads(body)["errors"][0]["code"]


@pytest.fixture
def ecr(make_client):
    return make_client("ecr")


@pytest.fixture
def image(tmp_path):
    return build_busybox_image(tmp_path / "src", cmd=["sh", "-c", "echo hi"],
                               extra_files={"/www/index.html": "hello from gantry\n"})


# A pushed image pulls back byte for byte: same manifest digest and the same blobs.
def test_push_pull_round_trip(gantry, ecr, image, tmp_path):
    ecr.create_repository(repositoryName="team/web")
    push(image, "latest", "127.0.0.1:%d/team/web:v1" % gantry.port)
    desc, manifest = manifest_of(image, "latest")

    out = tmp_path / "pulled"
    pull("127.0.0.1:%d/team/web:v1" % gantry.port, out, "v1")
    pulled_desc, pulled_manifest = manifest_of(out, "v1")
    assert pulled_manifest == manifest
    assert pulled_desc["digest"] == desc["digest"]
    assert blob_digests(image) <= blob_digests(out) | {desc["digest"]}
    for d in blob_digests(out):
        data = open(os.path.join(out, "blobs", "sha256", d[7:]), "rb").read()
        assert "sha256:" + hashlib.sha256(data).hexdigest() == d

    status, headers, body = request(gantry, "GET", "/v2/team/web/manifests/v1",
                                    headers={"Accept": MEDIA_MANIFEST})
    assert status == 200
    assert body == manifest
    assert headers["Docker-Content-Digest"] == desc["digest"]
    assert headers["Content-Type"] == MEDIA_MANIFEST


# describe-images through the AWS CLI and boto3 show what skopeo pushed.
def test_describe_images_after_push(gantry, ecr, image):
    ecr.create_repository(repositoryName="web")
    push(image, "latest", "127.0.0.1:%d/web:v1" % gantry.port)
    desc, manifest = manifest_of(image, "latest")
    details = ecr.describe_images(repositoryName="web")["imageDetails"]
    assert len(details) == 1
    d = details[0]
    assert d["imageDigest"] == desc["digest"]
    assert d["imageTags"] == ["v1"]
    assert d["imageManifestMediaType"] == MEDIA_MANIFEST
    assert d["artifactMediaType"] == "application/vnd.oci.image.config.v1+json"
    layers = json.loads(manifest)["layers"]
    assert d["imageSizeInBytes"] == sum(l["size"] for l in layers)

    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1")
    cli = subprocess.run(["aws", "--endpoint-url", gantry.endpoint, "ecr", "describe-images",
                          "--repository-name", "web", "--output", "json"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["imageDetails"][0]["imageDigest"] == desc["digest"]


# batch-delete-image removes the image from the registry too.
def test_batch_delete_image_removes_it_from_the_registry(gantry, ecr, image):
    ecr.create_repository(repositoryName="web")
    push(image, "latest", "127.0.0.1:%d/web:v1" % gantry.port)
    out = ecr.batch_delete_image(repositoryName="web", imageIds=[{"imageTag": "v1"}])
    assert out["failures"] == []
    assert out["imageIds"][0]["imageTag"] == "v1"
    status, _, body = request(gantry, "GET", "/v2/web/manifests/v1")
    assert status == 404
    assert error_code(body) == "MANIFEST_UNKNOWN"
    assert ecr.list_images(repositoryName="web")["imageIds"] == []


# An IMMUTABLE repository refuses to move a tag: skopeo's re-push of another image fails, and
# the tag still names the first image.
def test_immutable_tag_refuses_repush(gantry, ecr, image, tmp_path):
    ecr.create_repository(repositoryName="frozen", imageTagMutability="IMMUTABLE")
    push(image, "latest", "127.0.0.1:%d/frozen:v1" % gantry.port)
    other = build_busybox_image(tmp_path / "other", cmd=["sh", "-c", "echo other"])
    r = push(other, "latest", "127.0.0.1:%d/frozen:v1" % gantry.port, check=False)
    assert r.returncode != 0
    assert "TAG_INVALID" in r.stderr or "tag invalid" in r.stderr.lower()
    details = ecr.describe_images(repositoryName="frozen", imageIds=[{"imageTag": "v1"}])
    assert details["imageDetails"][0]["imageDigest"] == manifest_of(image, "latest")[0]["digest"]


# A multi-arch OCI index round-trips with its children, which ECR lists untagged.
def test_multiarch_index_round_trip(gantry, ecr, tmp_path):
    layout = build_multiarch_image(tmp_path / "multi", tag="multi")
    ecr.create_repository(repositoryName="multi")
    push(layout, "multi", "127.0.0.1:%d/multi:v1" % gantry.port, "--all")
    desc, index = manifest_of(layout, "multi")
    status, headers, body = request(gantry, "GET", "/v2/multi/manifests/v1",
                                    headers={"Accept": MEDIA_INDEX})
    assert status == 200 and body == index
    assert headers["Content-Type"] == MEDIA_INDEX
    images = ecr.describe_images(repositoryName="multi")["imageDetails"]
    assert len(images) == 3
    tagged = [i for i in images if i.get("imageTags")]
    assert tagged[0]["imageManifestMediaType"] == MEDIA_INDEX

    out = tmp_path / "pulled"
    pull("127.0.0.1:%d/multi:v1" % gantry.port, out, "v1", "--all")
    assert manifest_of(out, "v1")[1] == index
    for child in json.loads(index)["manifests"]:
        assert child["digest"] in blob_digests(out)
    # A child referenced by the index cannot be deleted on its own.
    child = json.loads(index)["manifests"][0]["digest"]
    r = ecr.batch_delete_image(repositoryName="multi", imageIds=[{"imageDigest": child}])
    assert r["failures"][0]["failureCode"] == "ImageReferencedByManifestList"


# A blob whose bytes do not match the digest it claims is refused and never stored.
def test_corrupted_upload_is_refused(gantry, ecr):
    ecr.create_repository(repositoryName="web")
    data = b"the real bytes"
    wrong = "sha256:" + hashlib.sha256(b"other bytes").hexdigest()
    status, _, body = request(gantry, "POST", "/v2/web/blobs/uploads/?digest=" + wrong, data=data,
                              headers={"Content-Type": "application/octet-stream"})
    assert status == 400
    assert error_code(body) == "DIGEST_INVALID"
    status, _, _ = request(gantry, "HEAD", "/v2/web/blobs/" + wrong)
    assert status == 404

    # Chunked session: the final PUT with a wrong digest fails the same way.
    status, headers, _ = request(gantry, "POST", "/v2/web/blobs/uploads/", data=b"")
    assert status == 202
    location = headers["Location"]
    status, headers, _ = request(gantry, "PATCH", location, data=data,
                                 headers={"Content-Type": "application/octet-stream",
                                          "Content-Range": "0-%d" % (len(data) - 1)})
    assert status == 202
    assert headers["Range"] == "0-%d" % (len(data) - 1)
    status, _, body = request(gantry, "PUT", location + "?digest=" + wrong, data=b"")
    assert status == 400 and error_code(body) == "DIGEST_INVALID"


# A chunk that does not continue the upload gets 416 and the current range.
def test_out_of_order_chunk_is_refused(gantry, ecr):
    ecr.create_repository(repositoryName="web")
    status, headers, _ = request(gantry, "POST", "/v2/web/blobs/uploads/", data=b"")
    location = headers["Location"]
    request(gantry, "PATCH", location, data=b"abc", headers={"Content-Range": "0-2"})
    status, headers, body = request(gantry, "PATCH", location, data=b"xyz",
                                    headers={"Content-Range": "5-7"})
    assert status == 416
    assert headers["Range"] == "0-2"
    status, _, _ = request(gantry, "PUT", location + "?digest=sha256:" +
                           hashlib.sha256(b"abcdef").hexdigest(), data=b"def")
    assert status == 201


def test_manifest_with_missing_blob_is_refused(gantry, ecr):
    ecr.create_repository(repositoryName="web")
    missing = "sha256:" + hashlib.sha256(b"never uploaded").hexdigest()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": MEDIA_MANIFEST,
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": missing, "size": 14},
                           "layers": []}).encode()
    status, _, body = request(gantry, "PUT", "/v2/web/manifests/v1", data=manifest,
                              headers={"Content-Type": MEDIA_MANIFEST})
    assert status == 400
    assert error_code(body) == "MANIFEST_BLOB_UNKNOWN"


def test_malformed_manifest_is_refused(gantry, ecr):
    ecr.create_repository(repositoryName="web")
    for bad in [b"{", b"[]", b'{"schemaVersion": 2, "mediaType": "%s"}' % MEDIA_MANIFEST.encode()]:
        status, _, body = request(gantry, "PUT", "/v2/web/manifests/v1", data=bad,
                                  headers={"Content-Type": MEDIA_MANIFEST})
        assert status == 400
        assert error_code(body) == "MANIFEST_INVALID"


def test_unknown_repository_is_name_unknown(gantry):
    status, _, body = request(gantry, "GET", "/v2/nope/tags/list")
    assert status == 404
    assert error_code(body) == "NAME_UNKNOWN"
    status, _, body = request(gantry, "POST", "/v2/nope/blobs/uploads/", data=b"")
    assert status == 404 and error_code(body) == "NAME_UNKNOWN"


def test_hostile_paths_and_digests_are_rejected(gantry, ecr):
    ecr.create_repository(repositoryName="web")
    for path in ["/v2/web/blobs/sha256:..%2F..%2Fetc%2Fpasswd", "/v2/web/blobs/md5:abc",
                 "/v2/../../etc/passwd/tags/list", "/v2/web/manifests/" + "a" * 5000]:
        status, _, body = request(gantry, "GET", path)
        assert 400 <= status < 500, path
    # A manifest over 4 MiB is refused without being stored.
    huge = b'{"schemaVersion":2,"pad":"' + b"x" * (5 << 20) + b'"}'
    status, _, body = request(gantry, "PUT", "/v2/web/manifests/big", data=huge,
                              headers={"Content-Type": MEDIA_MANIFEST})
    assert status in (400, 413)
    assert ecr.list_images(repositoryName="web")["imageIds"] == []


# Tags and catalog paginate with n/last and a Link header.
def test_tags_list_and_catalog_paginate(gantry, ecr, image):
    for name in ["aa", "bb", "cc"]:
        ecr.create_repository(repositoryName=name)
    status, headers, body = request(gantry, "GET", "/v2/_catalog?n=2")
    assert json.loads(body)["repositories"] == ["aa", "bb"]
    assert 'rel="next"' in headers["Link"]
    status, _, body = request(gantry, "GET", "/v2/_catalog?n=2&last=bb")
    assert json.loads(body)["repositories"] == ["cc"]
    push(image, "latest", "127.0.0.1:%d/aa:one" % gantry.port)
    push(image, "latest", "127.0.0.1:%d/aa:two" % gantry.port)
    status, _, body = request(gantry, "GET", "/v2/aa/tags/list")
    assert json.loads(body) == {"name": "aa", "tags": ["one", "two"]}
    r = skopeo("list-tags", "--tls-verify=false", "docker://127.0.0.1:%d/aa" % gantry.port)
    assert json.loads(r.stdout)["Tags"] == ["one", "two"]


def test_blob_range_requests(gantry, ecr, image):
    ecr.create_repository(repositoryName="web")
    push(image, "latest", "127.0.0.1:%d/web:v1" % gantry.port)
    _, manifest = manifest_of(image, "latest")
    layer = json.loads(manifest)["layers"][0]["digest"]
    full = open(os.path.join(image, "blobs", "sha256", layer[7:]), "rb").read()
    status, headers, body = request(gantry, "GET", "/v2/web/blobs/" + layer,
                                    headers={"Range": "bytes=10-19"})
    assert status == 206
    assert body == full[10:20]
    assert headers["Content-Range"] == "bytes 10-19/%d" % len(full)


# Cross-repository mount links an existing blob without uploading it again.
def test_cross_repository_mount(gantry, ecr, image):
    ecr.create_repository(repositoryName="src")
    ecr.create_repository(repositoryName="dst")
    push(image, "latest", "127.0.0.1:%d/src:v1" % gantry.port)
    _, manifest = manifest_of(image, "latest")
    layer = json.loads(manifest)["layers"][0]["digest"]
    status, headers, _ = request(gantry, "POST",
                                 "/v2/dst/blobs/uploads/?mount=%s&from=src" % layer, data=b"")
    assert status == 201
    assert headers["Docker-Content-Digest"] == layer
    status, _, _ = request(gantry, "HEAD", "/v2/dst/blobs/" + layer)
    assert status == 200


# skopeo logs in with the password from get-login-password and pushes through the
# <account>.dkr.ecr.<region>.localhost host of repositoryUri.
def test_push_with_ecr_credentials_to_repository_uri(gantry, ecr, image, tmp_path):
    repo = ecr.create_repository(repositoryName="web")["repository"]
    uri = repo["repositoryUri"]
    assert uri == "%s.dkr.ecr.us-east-1.localhost:%d/web" % (ACCOUNT, gantry.port)
    token = ecr.get_authorization_token()["authorizationData"][0]
    user, password = base64.b64decode(token["authorizationToken"]).decode().split(":", 1)
    assert user == "AWS"
    push(image, "latest", uri + ":v1", "--dest-creds", "AWS:" + password)
    pull(uri + ":v1", tmp_path / "back", "v1", "--src-creds", "AWS:" + password)
    assert manifest_of(tmp_path / "back", "v1")[1] == manifest_of(image, "latest")[1]


# Strict auth: the registry wants the GetAuthorizationToken token.
@pytest.mark.emulator_only
def test_strict_auth_requires_a_token(tmp_gantry, image):
    import conftest
    g = tmp_gantry("--auth", "strict", "--credentials", "AKIDSTRICT:secretsecret:111122223333")
    ecr = conftest.client_for(g.endpoint, "ecr", key="AKIDSTRICT", secret="secretsecret")
    ecr.create_repository(repositoryName="web")
    status, headers, body = request(g, "GET", "/v2/web/tags/list")
    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Basic ")
    assert error_code(body) == "UNAUTHORIZED"
    r = push(image, "latest", "127.0.0.1:%d/web:v1" % g.port, check=False)
    assert r.returncode != 0
    token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
    password = base64.b64decode(token).decode().split(":", 1)[1]
    push(image, "latest", "127.0.0.1:%d/web:v1" % g.port, "--dest-creds", "AWS:" + password)
    assert len(ecr.describe_images(repositoryName="web")["imageDetails"]) == 1
    status, _, _ = request(g, "GET", "/v2/web/tags/list",
                           headers={"Authorization": "Basic " +
                                    base64.b64encode(b"AWS:forged.token").decode()})
    assert status == 401


# `aws ecr get-login-password | skopeo login --password-stdin --username AWS <registry>` works,
# and a push then uses the stored credentials.
def test_skopeo_login_with_get_login_password(gantry, ecr, image, tmp_path):
    repo = ecr.create_repository(repositoryName="web")["repository"]
    registry = repo["repositoryUri"].split("/")[0]
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", REGISTRY_AUTH_FILE=str(tmp_path / "auth.json"))
    password = subprocess.run(["aws", "--endpoint-url", gantry.endpoint, "ecr",
                               "get-login-password"], capture_output=True, text=True, env=env,
                              timeout=60)
    assert password.returncode == 0, password.stderr
    login = subprocess.run(["skopeo", "login", "--tls-verify=false", "--password-stdin",
                            "--username", "AWS", registry], input=password.stdout,
                           capture_output=True, text=True, env=env, timeout=60)
    assert login.returncode == 0, login.stderr
    assert registry in json.load(open(tmp_path / "auth.json"))["auths"]
    r = subprocess.run(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                        "oci:%s:latest" % image, "docker://%s/web:v1" % registry],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr


# OCI 1.1 referrers: a manifest with a subject is listed under its subject's digest.
def test_referrers_api_lists_manifests_with_a_subject(gantry, ecr, image):
    ecr.create_repository(repositoryName="web")
    push(image, "latest", "127.0.0.1:%d/web:v1" % gantry.port)
    subject, subject_bytes = manifest_of(image, "latest")
    config = b"{}"
    status, _, _ = request(gantry, "POST", "/v2/web/blobs/uploads/?digest=sha256:" +
                           hashlib.sha256(config).hexdigest(), data=config)
    assert status == 201
    sbom = json.dumps({
        "schemaVersion": 2, "mediaType": MEDIA_MANIFEST, "artifactType": "application/spdx+json",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json",
                   "digest": "sha256:" + hashlib.sha256(config).hexdigest(), "size": 2},
        "layers": [],
        "subject": {"mediaType": MEDIA_MANIFEST, "digest": subject["digest"],
                    "size": len(subject_bytes)}}).encode()
    sbom_digest = "sha256:" + hashlib.sha256(sbom).hexdigest()
    status, headers, _ = request(gantry, "PUT", "/v2/web/manifests/" + sbom_digest, data=sbom,
                                 headers={"Content-Type": MEDIA_MANIFEST})
    assert status == 201
    assert headers["OCI-Subject"] == subject["digest"]
    status, headers, body = request(gantry, "GET", "/v2/web/referrers/" + subject["digest"])
    assert status == 200
    assert headers["Content-Type"] == MEDIA_INDEX
    refs = json.loads(body)["manifests"]
    assert [(r["digest"], r["artifactType"]) for r in refs] == [(sbom_digest,
                                                                 "application/spdx+json")]
    status, _, body = request(gantry, "GET", "/v2/web/referrers/%s?artifactType=x/y" %
                              subject["digest"])
    assert json.loads(body)["manifests"] == []
