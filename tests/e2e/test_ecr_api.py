"""The ECR JSON API end to end with boto3: repositories, the SDK layer-upload API, policies,
lifecycle expiry in the background, tokens, and state that survives restarts and resets."""
import base64
import hashlib
import json
import os
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

import conftest
from conftest import wait_for

CONFIG_TYPE = "application/vnd.oci.image.config.v1+json"
MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"


@pytest.fixture
def ecr(make_client):
    return make_client("ecr")


def digest_of(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def upload_layer(ecr, repo, data, part_size=None):
    """The SDK path: InitiateLayerUpload, UploadLayerPart(s), CompleteLayerUpload."""
    upload = ecr.initiate_layer_upload(repositoryName=repo)
    part_size = part_size or len(data)
    for first in range(0, len(data), part_size):
        part = data[first:first + part_size]
        r = ecr.upload_layer_part(repositoryName=repo, uploadId=upload["uploadId"],
                                  partFirstByte=first, partLastByte=first + len(part) - 1,
                                  layerPartBlob=part)
        assert r["lastByteReceived"] == first + len(part) - 1
    done = ecr.complete_layer_upload(repositoryName=repo, uploadId=upload["uploadId"],
                                     layerDigests=[digest_of(data)])
    assert done["layerDigest"] == digest_of(data)
    return digest_of(data)


def put_image(ecr, repo, seed, tag=None):
    config = json.dumps({"architecture": "amd64", "os": "linux", "seed": seed}).encode()
    layer = ("layer for %s" % seed).encode() * 100
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": MANIFEST_TYPE,
        "config": {"mediaType": CONFIG_TYPE, "digest": upload_layer(ecr, repo, config),
                   "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": upload_layer(ecr, repo, layer), "size": len(layer)}]})
    kw = {"imageTag": tag} if tag else {}
    return ecr.put_image(repositoryName=repo, imageManifest=manifest, **kw)["image"]


def test_repository_lifecycle_and_errors(ecr):
    repo = ecr.create_repository(repositoryName="team/api", imageTagMutability="IMMUTABLE",
                                 tags=[{"Key": "team", "Value": "a"}])["repository"]
    assert repo["repositoryArn"].endswith(":repository/team/api")
    with pytest.raises(ClientError, match="RepositoryAlreadyExistsException"):
        ecr.create_repository(repositoryName="team/api")
    with pytest.raises(ClientError, match="InvalidParameterException"):
        ecr.create_repository(repositoryName="Upper/Case")
    with pytest.raises(ClientError, match="RepositoryNotFoundException"):
        ecr.describe_repositories(repositoryNames=["missing"])
    assert ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"] == [
        {"Key": "team", "Value": "a"}]
    put_image(ecr, "team/api", "one", "v1")
    with pytest.raises(ClientError, match="RepositoryNotEmptyException"):
        ecr.delete_repository(repositoryName="team/api")
    ecr.delete_repository(repositoryName="team/api", force=True)
    with pytest.raises(ClientError, match="RepositoryNotFoundException"):
        ecr.list_images(repositoryName="team/api")


# The SDK upload API and the registry share storage: a layer uploaded with UploadLayerPart is a
# /v2/ blob, and GetDownloadUrlForLayer's URL serves it.
@pytest.mark.emulator_only  # the registry on the API's port
def test_layer_upload_api_shares_storage_with_the_registry(gantry, ecr):
    ecr.create_repository(repositoryName="web")
    data = os.urandom(3 * 1024 * 1024 + 17)
    digest = upload_layer(ecr, "web", data, part_size=1024 * 1024)
    check = ecr.batch_check_layer_availability(repositoryName="web", layerDigests=[digest])
    assert check["layers"][0]["layerAvailability"] == "AVAILABLE"
    assert check["layers"][0]["layerSize"] == len(data)
    with urllib.request.urlopen(gantry.endpoint + "/v2/web/blobs/" + digest) as r:
        assert r.read() == data
    url = ecr.get_download_url_for_layer(repositoryName="web", layerDigest=digest)["downloadUrl"]
    with urllib.request.urlopen(url) as r:
        assert r.read() == data
    with pytest.raises(ClientError, match="LayersNotFoundException"):
        ecr.get_download_url_for_layer(repositoryName="web", layerDigest=digest_of(b"nope"))


def test_layer_upload_errors(ecr):
    ecr.create_repository(repositoryName="web")
    upload = ecr.initiate_layer_upload(repositoryName="web")["uploadId"]
    with pytest.raises(ClientError, match="InvalidLayerPartException"):
        ecr.upload_layer_part(repositoryName="web", uploadId=upload, partFirstByte=10,
                              partLastByte=12, layerPartBlob=b"abc")
    with pytest.raises(ClientError, match="EmptyUploadException"):
        ecr.complete_layer_upload(repositoryName="web", uploadId=upload,
                                  layerDigests=[digest_of(b"abc")])
    ecr.upload_layer_part(repositoryName="web", uploadId=upload, partFirstByte=0,
                          partLastByte=2, layerPartBlob=b"abc")
    with pytest.raises(ClientError, match="InvalidLayerException"):
        ecr.complete_layer_upload(repositoryName="web", uploadId=upload,
                                  layerDigests=[digest_of(b"abd")])
    with pytest.raises(ClientError, match="UploadNotFoundException"):
        ecr.upload_layer_part(repositoryName="web", uploadId="0" * 8 + "-0000-0000-0000-" + "0" * 12,
                              partFirstByte=0, partLastByte=0, layerPartBlob=b"a")


def test_put_image_errors_and_immutability(ecr):
    ecr.create_repository(repositoryName="web", imageTagMutability="IMMUTABLE")
    first = put_image(ecr, "web", "one", "v1")
    with pytest.raises(ClientError, match="ImageAlreadyExistsException"):
        ecr.put_image(repositoryName="web", imageManifest=first["imageManifest"], imageTag="v1")
    with pytest.raises(ClientError, match="ImageTagAlreadyExistsException"):
        second = put_image(ecr, "web", "two")
        ecr.put_image(repositoryName="web", imageManifest=second["imageManifest"],
                      imageTag="v1")
    missing = json.dumps({"schemaVersion": 2, "mediaType": MANIFEST_TYPE,
                          "config": {"mediaType": CONFIG_TYPE, "digest": digest_of(b"x"),
                                     "size": 1}, "layers": []})
    with pytest.raises(ClientError, match="LayersNotFoundException"):
        ecr.put_image(repositoryName="web", imageManifest=missing, imageTag="v9")
    got = ecr.batch_get_image(repositoryName="web", imageIds=[{"imageTag": "v1"},
                                                               {"imageTag": "zzz"}])
    assert got["images"][0]["imageManifest"] == first["imageManifest"]
    assert got["failures"][0]["failureCode"] == "ImageNotFound"


def test_repository_policy_round_trip(ecr):
    ecr.create_repository(repositoryName="web")
    with pytest.raises(ClientError, match="RepositoryPolicyNotFoundException"):
        ecr.get_repository_policy(repositoryName="web")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "pull", "Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage"]}]})
    ecr.set_repository_policy(repositoryName="web", policyText=policy)
    assert ecr.get_repository_policy(repositoryName="web")["policyText"] == policy
    ecr.delete_repository_policy(repositoryName="web")
    with pytest.raises(ClientError, match="RepositoryPolicyNotFoundException"):
        ecr.delete_repository_policy(repositoryName="web")


# A lifecycle policy really expires images, in the background, and the blobs only they used are
# garbage-collected.
@pytest.mark.emulator_only  # the registry on the API's port
def test_lifecycle_policy_expires_images_in_the_background(gantry, ecr):
    ecr.create_repository(repositoryName="web")
    images = [put_image(ecr, "web", "img%d" % i, "t%d" % i) for i in range(4)]
    with pytest.raises(ClientError, match="LifecyclePolicyNotFoundException"):
        ecr.get_lifecycle_policy(repositoryName="web")
    policy = json.dumps({"rules": [{
        "rulePriority": 1, "description": "keep two",
        "selection": {"tagStatus": "tagged", "tagPrefixList": ["t"],
                      "countType": "imageCountMoreThan", "countNumber": 2},
        "action": {"type": "expire"}}]})
    ecr.start_lifecycle_policy_preview(repositoryName="web", lifecyclePolicyText=policy)
    preview = ecr.get_lifecycle_policy_preview(repositoryName="web")
    assert preview["status"] == "COMPLETE"
    assert preview["summary"]["expiringImageTotalCount"] == 2

    ecr.put_lifecycle_policy(repositoryName="web", lifecyclePolicyText=policy)

    def two_left():
        left = ecr.describe_images(repositoryName="web")["imageDetails"]
        return left if len(left) == 2 else None
    left = wait_for(two_left, 20, 0.1, "two images left")
    assert sorted(d["imageTags"][0] for d in left) == ["t2", "t3"]
    assert "lastEvaluatedAt" in ecr.get_lifecycle_policy(repositoryName="web")
    # The expired images' layers are gone from the registry once GC has run.
    old_layer = json.loads(images[0]["imageManifest"])["layers"][0]["digest"]

    def blob_gone():
        try:
            urllib.request.urlopen(gantry.endpoint + "/v2/web/blobs/" + old_layer).close()
            return False
        except urllib.error.HTTPError as e:
            assert e.code == 404
            return True
    wait_for(blob_gone, 20, 0.1, "the expired layer gone from the registry")


@pytest.mark.emulator_only  # the registry's .localhost host
def test_authorization_token(gantry, ecr):
    data = ecr.get_authorization_token()["authorizationData"][0]
    user, password = base64.b64decode(data["authorizationToken"]).decode().split(":", 1)
    assert user == "AWS" and password
    assert data["proxyEndpoint"].endswith(".dkr.ecr.us-east-1.localhost:%d" % gantry.port)
    hours = (data["expiresAt"].timestamp() - time.time()) / 3600
    assert 11.9 < hours <= 12.01


# An upload session started before a restart can be finished after it.
@pytest.mark.emulator_only
def test_upload_session_survives_restart(tmp_gantry, tmp_path):
    g = tmp_gantry(data_dir=str(tmp_path / "data"))
    ecr = conftest.client_for(g.endpoint, "ecr")
    ecr.create_repository(repositoryName="web")
    upload = ecr.initiate_layer_upload(repositoryName="web")["uploadId"]
    ecr.upload_layer_part(repositoryName="web", uploadId=upload, partFirstByte=0,
                          partLastByte=2, layerPartBlob=b"abc")
    g.stop()
    g2 = tmp_gantry(data_dir=str(tmp_path / "data"))
    ecr = conftest.client_for(g2.endpoint, "ecr")
    ecr.upload_layer_part(repositoryName="web", uploadId=upload, partFirstByte=3,
                          partLastByte=5, layerPartBlob=b"def")
    done = ecr.complete_layer_upload(repositoryName="web", uploadId=upload,
                                     layerDigests=[digest_of(b"abcdef")])
    assert done["layerDigest"] == digest_of(b"abcdef")


# POST /_gantry/reset wipes ECR's rows and its blob files.
@pytest.mark.emulator_only
def test_reset_wipes_repositories_and_blobs(tmp_gantry, tmp_path):
    data_dir = tmp_path / "data"
    g = tmp_gantry(data_dir=str(data_dir))
    ecr = conftest.client_for(g.endpoint, "ecr")
    ecr.create_repository(repositoryName="web")
    put_image(ecr, "web", "one", "v1")
    blobs = data_dir / "ecr" / "blobs" / "sha256"
    assert sum(len(files) for _, _, files in os.walk(blobs)) == 2
    g.reset()
    assert ecr.describe_repositories()["repositories"] == []
    assert sum(len(files) for _, _, files in os.walk(blobs)) == 0
