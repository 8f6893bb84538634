"""SSM Parameter Store against Gantry: parameters and versions, SecureString under KMS (default and
custom keys, a disabled key), paging, labels, history, tags, the public /aws/service/ parameters,
the AWS CLI, and no SecureString plaintext in the data directory or the server's log."""
import base64

import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, aws_cli, client_for
from secrets_env import error, files_containing, server_on


@pytest.fixture
def ssm(make_client):
    return make_client("ssm")


@pytest.fixture
def kms(make_client):
    return make_client("kms")


# --- parameters and versions ----------------------------------------------------------------

def test_put_get_overwrite_and_versions(ssm, account):
    assert ssm.put_parameter(Name="/e2e/app/url", Value="http://a", Type="String",
                             Description="first")["Version"] == 1
    p = ssm.get_parameter(Name="/e2e/app/url")["Parameter"]
    assert p["Value"] == "http://a" and p["Type"] == "String" and p["Version"] == 1
    assert p["ARN"] == "arn:aws:ssm:us-east-1:%s:parameter/e2e/app/url" % account
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/e2e/app/url", Value="http://b", Type="String")
    assert error(e) == ("ParameterAlreadyExists", 400)
    out = ssm.put_parameter(Name="/e2e/app/url", Value="http://b", Overwrite=True)
    assert out == {**out, "Version": 2, "Tier": "Standard"}
    assert ssm.get_parameter(Name="/e2e/app/url")["Parameter"]["Value"] == "http://b"
    old = ssm.get_parameter(Name="/e2e/app/url:1")["Parameter"]
    assert old["Value"] == "http://a" and old["Selector"] == ":1"
    with pytest.raises(ClientError) as e:
        ssm.get_parameter(Name="/e2e/app/url:5")
    assert error(e) == ("ParameterVersionNotFound", 400)
    with pytest.raises(ClientError) as e:
        ssm.get_parameter(Name="/e2e/none")
    assert error(e) == ("ParameterNotFound", 400)


def test_put_parameter_errors(ssm):
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="ssm-thing", Value="v", Type="String")
    assert error(e) == ("ValidationException", 400)
    assert e.value.response["Error"]["Message"] == \
        'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).'
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/n", Value="abc", Type="String", AllowedPattern=r"^\d+$")
    assert error(e) == ("ParameterPatternMismatchException", 400)
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/n", Value="x" * 4097, Type="String")
    assert error(e) == ("ValidationException", 400)
    assert ssm.put_parameter(Name="/n", Value="x" * 4097, Type="String",
                             Tier="Advanced")["Tier"] == "Advanced"
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/n", Value="y", Overwrite=True, Tier="Standard")
    assert error(e) == ("ValidationException", 400)
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/n", Value="y", Overwrite=True, Tags=[{"Key": "a", "Value": "b"}])
    assert error(e) == ("ValidationException", 400)
    deep = "".join("/l%d" % i for i in range(16))
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name=deep, Value="v", Type="String")
    assert error(e) == ("HierarchyLevelLimitExceededException", 400)


def test_get_parameters_and_delete(ssm):
    ssm.put_parameter(Name="/e2e/a", Value="1", Type="String")
    ssm.put_parameter(Name="/e2e/b", Value="x,y", Type="StringList")
    out = ssm.get_parameters(Names=["/e2e/a", "/e2e/b", "/e2e/missing"])
    assert sorted(p["Name"] for p in out["Parameters"]) == ["/e2e/a", "/e2e/b"]
    assert out["InvalidParameters"] == ["/e2e/missing"]
    ssm.delete_parameter(Name="/e2e/a")
    with pytest.raises(ClientError) as e:
        ssm.delete_parameter(Name="/e2e/a")
    assert error(e) == ("ParameterNotFound", 400)
    out = ssm.delete_parameters(Names=["/e2e/b", "/e2e/a"])
    assert out["DeletedParameters"] == ["/e2e/b"] and out["InvalidParameters"] == ["/e2e/a"]


# --- SecureString ----------------------------------------------------------------------------

def test_secure_string_default_key(ssm, kms, account):
    ssm.put_parameter(Name="/e2e/db/password", Value="hunter2", Type="SecureString")
    enc = ssm.get_parameter(Name="/e2e/db/password")["Parameter"]["Value"]
    assert enc != "hunter2"
    # The value without decryption is the KMS ciphertext, base64, under the parameter's ARN.
    arn = "arn:aws:ssm:us-east-1:%s:parameter/e2e/db/password" % account
    dec = kms.decrypt(CiphertextBlob=base64.b64decode(enc),
                      EncryptionContext={"PARAMETER_ARN": arn})
    assert dec["Plaintext"] == b"hunter2"
    managed = kms.describe_key(KeyId="alias/aws/ssm")["KeyMetadata"]
    assert dec["KeyId"] == managed["Arn"]
    assert ssm.get_parameter(Name="/e2e/db/password",
                             WithDecryption=True)["Parameter"]["Value"] == "hunter2"
    meta = ssm.describe_parameters(ParameterFilters=[
        {"Key": "Name", "Values": ["/e2e/db/password"]}])["Parameters"][0]
    assert meta["KeyId"] == "alias/aws/ssm" and meta["Type"] == "SecureString"


def test_secure_string_custom_key_and_disabled_key(ssm, kms):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    ssm.put_parameter(Name="/e2e/custom", Value="s3cr3t", Type="SecureString", KeyId=key)
    assert ssm.get_parameter(Name="/e2e/custom", WithDecryption=True)["Parameter"]["Value"] == \
        "s3cr3t"
    kms.disable_key(KeyId=key)
    with pytest.raises(ClientError) as e:
        ssm.get_parameter(Name="/e2e/custom", WithDecryption=True)
    assert error(e) == ("InvalidKeyId", 400)
    assert "DisabledException" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/e2e/custom2", Value="v", Type="SecureString", KeyId=key)
    assert error(e) == ("InvalidKeyId", 400)
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/e2e/custom3", Value="v", Type="SecureString",
                          KeyId="alias/e2e-missing")
    assert error(e) == ("InvalidKeyId", 400)
    kms.enable_key(KeyId=key)
    assert ssm.get_parameter(Name="/e2e/custom", WithDecryption=True)["Parameter"]["Value"] == \
        "s3cr3t"


# --- queries, paging, labels, history, tags -------------------------------------------------

def test_get_parameters_by_path_pages_and_filters(ssm):
    for i in range(13):
        ssm.put_parameter(Name="/e2e/svc/p%02d" % i, Value=str(i), Type="String")
    ssm.put_parameter(Name="/e2e/svc/deep/secret", Value="pw", Type="SecureString")
    page = ssm.get_parameters_by_path(Path="/e2e/svc")
    assert len(page["Parameters"]) == 10 and "NextToken" in page
    one_level = ssm.get_paginator("get_parameters_by_path").paginate(
        Path="/e2e/svc").build_full_result()["Parameters"]
    assert [p["Name"] for p in one_level] == ["/e2e/svc/p%02d" % i for i in range(13)]
    everything = ssm.get_paginator("get_parameters_by_path").paginate(
        Path="/e2e/svc", Recursive=True, WithDecryption=True).build_full_result()["Parameters"]
    assert len(everything) == 14
    assert [p["Value"] for p in everything if p["Name"] == "/e2e/svc/deep/secret"] == ["pw"]
    secure = ssm.get_parameters_by_path(Path="/e2e/svc", Recursive=True, ParameterFilters=[
        {"Key": "Type", "Values": ["SecureString"]}])["Parameters"]
    assert [p["Name"] for p in secure] == ["/e2e/svc/deep/secret"]
    with pytest.raises(ClientError) as e:
        ssm.get_parameters_by_path(Path="/e2e/svc", MaxResults=11)
    assert error(e) == ("ValidationException", 400)


def test_describe_parameters_filters_and_pages(ssm, account):
    for i in range(7):
        ssm.put_parameter(Name="/e2e/d/p%d" % i, Value="v", Type="String",
                          Tags=[{"Key": "n", "Value": str(i % 2)}])
    got = ssm.get_paginator("describe_parameters").paginate(
        ParameterFilters=[{"Key": "Path", "Values": ["/e2e/d"]}],
        PaginationConfig={"PageSize": 3}).build_full_result()["Parameters"]
    assert [p["Name"] for p in got] == ["/e2e/d/p%d" % i for i in range(7)]
    assert got[0]["LastModifiedUser"].startswith("arn:aws:")
    odd = ssm.describe_parameters(ParameterFilters=[{"Key": "tag:n", "Values": ["1"]}])
    assert [p["Name"] for p in odd["Parameters"]] == ["/e2e/d/p1", "/e2e/d/p3", "/e2e/d/p5"]
    with pytest.raises(ClientError) as e:
        ssm.describe_parameters(ParameterFilters=[{"Key": "Label", "Values": ["x"]}])
    assert error(e) == ("InvalidFilterKey", 400)


def test_labels_and_history(ssm):
    ssm.put_parameter(Name="/e2e/l", Value="v1", Type="SecureString")
    ssm.put_parameter(Name="/e2e/l", Value="v2", Overwrite=True)
    out = ssm.label_parameter_version(Name="/e2e/l", ParameterVersion=1,
                                      Labels=["prod", "9bad"])
    assert out["InvalidLabels"] == ["9bad"] and out["ParameterVersion"] == 1
    assert ssm.get_parameter(Name="/e2e/l:prod", WithDecryption=True)["Parameter"]["Value"] == "v1"
    ssm.label_parameter_version(Name="/e2e/l", Labels=["prod"])  # moves to version 2
    assert ssm.get_parameter(Name="/e2e/l:prod", WithDecryption=True)["Parameter"]["Value"] == "v2"
    hist = ssm.get_parameter_history(Name="/e2e/l", WithDecryption=True)["Parameters"]
    assert [(h["Version"], h["Value"], h["Labels"]) for h in hist] == \
        [(1, "v1", []), (2, "v2", ["prod"])]
    hidden = ssm.get_parameter_history(Name="/e2e/l")["Parameters"]
    assert all(h["Value"] not in ("v1", "v2") for h in hidden)
    paged = ssm.get_paginator("get_parameter_history").paginate(
        Name="/e2e/l", PaginationConfig={"PageSize": 1}).build_full_result()["Parameters"]
    assert [h["Version"] for h in paged] == [1, 2]
    with pytest.raises(ClientError) as e:
        ssm.label_parameter_version(Name="/e2e/l", Labels=["l%d" % i for i in range(11)])
    assert error(e) == ("ValidationException", 400)  # the model allows 10 labels a call
    ssm.label_parameter_version(Name="/e2e/l", Labels=["a%d" % i for i in range(9)])
    with pytest.raises(ClientError) as e:
        ssm.label_parameter_version(Name="/e2e/l", Labels=["one-more"])
    assert error(e) == ("ParameterVersionLabelLimitExceeded", 400)
    out = ssm.unlabel_parameter_version(Name="/e2e/l", ParameterVersion=2,
                                        Labels=["prod", "nope"])
    assert out["RemovedLabels"] == ["prod"] and out["InvalidLabels"] == ["nope"]


def test_tags(ssm):
    ssm.put_parameter(Name="/e2e/t", Value="v", Type="String", Tags=[{"Key": "a", "Value": "1"}])
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/e2e/t",
                             Tags=[{"Key": "b", "Value": "2"}])
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/e2e/t")["TagList"] \
        == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId="/e2e/t", TagKeys=["a"])
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/e2e/t")["TagList"] \
        == [{"Key": "b", "Value": "2"}]
    with pytest.raises(ClientError) as e:
        ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/e2e/none")
    assert error(e) == ("InvalidResourceId", 400)


# --- public parameters ------------------------------------------------------------------------

def test_public_parameters(ssm):
    regions = ssm.get_paginator("get_parameters_by_path").paginate(
        Path="/aws/service/global-infrastructure/regions").build_full_result()["Parameters"]
    names = [p["Value"] for p in regions]
    assert "us-east-1" in names and "eu-west-1" in names
    ami = ssm.get_parameter(
        Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]
    assert ami["Value"].startswith("ami-") and ami["DataType"] == "aws:ec2:image"
    rec = ssm.get_parameter(
        Name="/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id")["Parameter"]
    assert rec["Value"].startswith("ami-")
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/aws/service/global-infrastructure/regions/x", Value="v",
                          Type="String", Overwrite=True)
    assert error(e) == ("AccessDeniedException", 400)


# --- the AWS CLI ------------------------------------------------------------------------------

@pytest.mark.parametrize("cli", CLIS)
def test_aws_cli(cli, endpoint, tmp_path):
    aws = aws_cli(cli, endpoint, tmp_path, "ssm")
    aws("put-parameter", "--name", "/cli/db/pw", "--value", "cli-secret", "--type", "SecureString")
    aws("put-parameter", "--name", "/cli/db/host", "--value", "db", "--type", "String")
    got = aws("get-parameter", "--name", "/cli/db/pw", "--with-decryption")["Parameter"]
    assert got["Value"] == "cli-secret"
    by_path = aws("get-parameters-by-path", "--path", "/cli", "--recursive")["Parameters"]
    assert sorted(p["Name"] for p in by_path) == ["/cli/db/host", "/cli/db/pw"]
    assert [p["Value"] for p in by_path if p["Name"] == "/cli/db/pw"] != ["cli-secret"]


# --- secrecy at rest ------------------------------------------------------------------------

MARKER = "GANTRY-SSM-SECURESTRING-MARKER-c41e"


@pytest.mark.emulator_only
def test_no_secure_string_plaintext_at_rest_or_in_the_log(tmp_path):
    d = str(tmp_path / "data")
    g = server_on(d)
    try:
        ssm = client_for(g.endpoint, "ssm")
        ssm.put_parameter(Name="/rest/pw", Value=MARKER, Type="SecureString")
        ssm.put_parameter(Name="/rest/pw", Value=MARKER + "-2", Overwrite=True)
        ssm.label_parameter_version(Name="/rest/pw", Labels=["cur"])
        assert ssm.get_parameter(Name="/rest/pw:1", WithDecryption=True)["Parameter"]["Value"] \
            == MARKER
        ssm.get_parameter_history(Name="/rest/pw", WithDecryption=True)
        with pytest.raises(ClientError):
            ssm.put_parameter(Name="/rest/pw2", Value=MARKER, Type="SecureString",
                              AllowedPattern="^nomatch$")
    finally:
        g.stop()
    assert files_containing(d, MARKER.encode()) == []
    g2 = server_on(d)
    try:
        ssm = client_for(g2.endpoint, "ssm")
        assert ssm.get_parameter(Name="/rest/pw:cur", WithDecryption=True)["Parameter"][
            "Value"] == MARKER + "-2"
    finally:
        g2.stop()
    assert files_containing(d, MARKER.encode()) == []
