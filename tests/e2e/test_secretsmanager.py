"""Secrets Manager against Gantry with boto3 and the AWS CLI: secrets and their versions, staging
labels, deletion and restore, filters, random passwords, errors in AWS's words, and no plaintext
in the data directory or the server's log."""
import base64
import os
import string

import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, aws_cli, client_for
from secrets_env import error_message, files_containing, server_on


@pytest.fixture
def sm(make_client):
    return make_client("secretsmanager")


def stages(sm, secret_id):
    return sm.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {})


# --- secrets and values ---------------------------------------------------------------------

def test_create_get_describe(sm, account):
    c = sm.create_secret(Name="e2e/db", SecretString='{"user":"app","password":"pw"}',
                         Description="the db", Tags=[{"Key": "team", "Value": "a"}])
    prefix = "arn:aws:secretsmanager:us-east-1:%s:secret:e2e/db-" % account
    assert c["ARN"].startswith(prefix) and len(c["ARN"]) == len(prefix) + 6
    v = sm.get_secret_value(SecretId="e2e/db")
    assert v["SecretString"] == '{"user":"app","password":"pw"}'
    assert v["VersionId"] == c["VersionId"] and v["VersionStages"] == ["AWSCURRENT"]
    # By full ARN and by partial ARN (the ARN without its 6 random characters).
    assert sm.get_secret_value(SecretId=c["ARN"])["ARN"] == c["ARN"]
    assert sm.get_secret_value(SecretId=prefix[:-1])["ARN"] == c["ARN"]
    d = sm.describe_secret(SecretId=c["ARN"])
    assert d["Name"] == "e2e/db" and d["Description"] == "the db"
    assert d["Tags"] == [{"Key": "team", "Value": "a"}]
    assert d["VersionIdsToStages"] == {c["VersionId"]: ["AWSCURRENT"]}
    assert "KmsKeyId" not in d and "DeletedDate" not in d


def test_binary_secret(sm):
    sm.create_secret(Name="e2e/bin", SecretBinary=b"\x00\x01binary\xff")
    v = sm.get_secret_value(SecretId="e2e/bin")
    assert v["SecretBinary"] == b"\x00\x01binary\xff" and "SecretString" not in v


def test_errors_in_aws_words(sm):
    with pytest.raises(ClientError) as e:
        sm.get_secret_value(SecretId="e2e/none")
    assert error_message(e) == ("ResourceNotFoundException",
                                "Secrets Manager can't find the specified secret.")
    sm.create_secret(Name="e2e/dup", SecretString="x")
    with pytest.raises(ClientError) as e:
        sm.create_secret(Name="e2e/dup", SecretString="y")
    assert error_message(e) == ("ResourceExistsException",
                                "The operation failed because the secret e2e/dup already exists.")
    with pytest.raises(ClientError) as e:
        sm.create_secret(Name="bad name", SecretString="y")
    assert error_message(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        sm.delete_secret(SecretId="e2e/dup", RecoveryWindowInDays=7,
                         ForceDeleteWithoutRecovery=True)
    assert error_message(e)[0] == "InvalidParameterException"


def test_client_request_token_is_idempotent_for_the_same_value(sm):
    token = "11111111-2222-3333-4444-555555555555"
    a = sm.create_secret(Name="e2e/idem", SecretString="one", ClientRequestToken=token)
    b = sm.create_secret(Name="e2e/idem", SecretString="one", ClientRequestToken=token)
    assert a["ARN"] == b["ARN"] and b["VersionId"] == token
    with pytest.raises(ClientError) as e:
        sm.create_secret(Name="e2e/idem", SecretString="two", ClientRequestToken=token)
    assert error_message(e)[0] == "ResourceExistsException"


# --- staging labels -------------------------------------------------------------------------

def test_staging_labels_move_with_put_and_update_stage(sm):
    v1 = sm.create_secret(Name="e2e/rot", SecretString="one")["VersionId"]
    v2 = sm.put_secret_value(SecretId="e2e/rot", SecretString="two")["VersionId"]
    assert stages(sm, "e2e/rot") == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}
    p = sm.put_secret_value(SecretId="e2e/rot", SecretString="three",
                            VersionStages=["AWSPENDING"])
    v3 = p["VersionId"]
    assert p["VersionStages"] == ["AWSPENDING"]
    assert sm.get_secret_value(SecretId="e2e/rot")["SecretString"] == "two"
    assert sm.get_secret_value(SecretId="e2e/rot", VersionStage="AWSPENDING")[
        "SecretString"] == "three"
    # Moving AWSCURRENT without naming where it is fails; naming it moves AWSPREVIOUS too.
    with pytest.raises(ClientError) as e:
        sm.update_secret_version_stage(SecretId="e2e/rot", VersionStage="AWSCURRENT",
                                       MoveToVersionId=v3)
    assert error_message(e)[0] == "InvalidParameterException"
    sm.update_secret_version_stage(SecretId="e2e/rot", VersionStage="AWSCURRENT",
                                   MoveToVersionId=v3, RemoveFromVersionId=v2)
    assert stages(sm, "e2e/rot") == {v2: ["AWSPREVIOUS"], v3: ["AWSPENDING", "AWSCURRENT"]}
    assert sm.get_secret_value(SecretId="e2e/rot")["SecretString"] == "three"
    assert sm.get_secret_value(SecretId="e2e/rot", VersionId=v1)["SecretString"] == "one"
    listed = sm.list_secret_version_ids(SecretId="e2e/rot")["Versions"]
    assert {x["VersionId"] for x in listed} == {v2, v3}
    listed = sm.list_secret_version_ids(SecretId="e2e/rot", IncludeDeprecated=True)["Versions"]
    assert {x["VersionId"] for x in listed} == {v1, v2, v3}


def test_update_secret_adds_a_version_and_changes_the_key(sm, make_client):
    sm.create_secret(Name="e2e/upd", SecretString="one")
    kms = make_client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    u = sm.update_secret(SecretId="e2e/upd", SecretString="two", KmsKeyId=key,
                         Description="rekeyed")
    assert "VersionId" in u
    d = sm.describe_secret(SecretId="e2e/upd")
    assert d["KmsKeyId"] == key and d["Description"] == "rekeyed"
    assert sm.get_secret_value(SecretId="e2e/upd")["SecretString"] == "two"
    # A disabled key: the value cannot be decrypted, as Secrets Manager reports it.
    kms.disable_key(KeyId=key)
    with pytest.raises(ClientError) as e:
        sm.get_secret_value(SecretId="e2e/upd")
    assert error_message(e)[0] == "DecryptionFailure"
    kms.enable_key(KeyId=key)
    assert sm.get_secret_value(SecretId="e2e/upd")["SecretString"] == "two"


# --- deletion -------------------------------------------------------------------------------

def test_delete_restore_and_force_delete(sm):
    sm.create_secret(Name="e2e/del", SecretString="v")
    r = sm.delete_secret(SecretId="e2e/del", RecoveryWindowInDays=7)
    assert "DeletionDate" in r
    with pytest.raises(ClientError) as e:
        sm.get_secret_value(SecretId="e2e/del")
    assert error_message(e) == ("InvalidRequestException",
                                "You can't perform this operation on the secret because it was "
                                "marked for deletion.")
    assert "DeletedDate" in sm.describe_secret(SecretId="e2e/del")
    with pytest.raises(ClientError) as e:
        sm.create_secret(Name="e2e/del", SecretString="w")
    assert error_message(e) == ("InvalidRequestException",
                                "You can't create this secret because a secret with this name is "
                                "already scheduled for deletion.")
    names = [s["Name"] for s in sm.list_secrets()["SecretList"]]
    assert "e2e/del" not in names
    names = [s["Name"] for s in sm.list_secrets(IncludePlannedDeletion=True)["SecretList"]]
    assert "e2e/del" in names
    sm.restore_secret(SecretId="e2e/del")
    assert sm.get_secret_value(SecretId="e2e/del")["SecretString"] == "v"
    sm.delete_secret(SecretId="e2e/del", ForceDeleteWithoutRecovery=True)
    with pytest.raises(ClientError) as e:
        sm.describe_secret(SecretId="e2e/del")
    assert error_message(e)[0] == "ResourceNotFoundException"
    sm.create_secret(Name="e2e/del", SecretString="again")


# --- listing --------------------------------------------------------------------------------

def test_list_secrets_filters_and_pages(sm):
    sm.create_secret(Name="e2e/prod/db", Description="Main database",
                     Tags=[{"Key": "env", "Value": "prod"}])
    sm.create_secret(Name="e2e/dev/db", Tags=[{"Key": "env", "Value": "dev"}])
    sm.create_secret(Name="e2e/prod/cache")

    def names(**kw):
        pages = sm.get_paginator("list_secrets").paginate(**kw)
        return sorted(s["Name"] for p in pages for s in p["SecretList"])

    assert names(Filters=[{"Key": "name", "Values": ["e2e/prod"]}]) == \
        ["e2e/prod/cache", "e2e/prod/db"]
    assert names(Filters=[{"Key": "name", "Values": ["!e2e/prod"]}]) == ["e2e/dev/db"]
    assert names(Filters=[{"Key": "description", "Values": ["main"]}]) == ["e2e/prod/db"]
    assert names(Filters=[{"Key": "tag-value", "Values": ["dev"]}]) == ["e2e/dev/db"]
    assert names(Filters=[{"Key": "tag-key", "Values": ["env"]},
                          {"Key": "name", "Values": ["e2e/prod"]}]) == ["e2e/prod/db"]
    assert names(Filters=[{"Key": "all", "Values": ["database"]}]) == ["e2e/prod/db"]
    assert len(names(PaginationConfig={"PageSize": 1})) == 3
    first = sm.list_secrets(MaxResults=1, SortOrder="asc")
    assert first["SecretList"][0]["Name"] == "e2e/prod/db" and "NextToken" in first


def test_batch_get_secret_value(sm):
    sm.create_secret(Name="e2e/b1", SecretString="one")
    r = sm.batch_get_secret_value(SecretIdList=["e2e/b1", "e2e/missing"])
    assert [v["SecretString"] for v in r["SecretValues"]] == ["one"]
    assert r["Errors"][0]["ErrorCode"] == "ResourceNotFoundException"


# --- passwords, rotation, policies ----------------------------------------------------------

def test_get_random_password(sm):
    p = sm.get_random_password()["RandomPassword"]
    assert len(p) == 32
    assert any(c.islower() for c in p) and any(c.isupper() for c in p)
    assert any(c.isdigit() for c in p) and any(c in string.punctuation for c in p)
    p = sm.get_random_password(PasswordLength=64, ExcludePunctuation=True, ExcludeUppercase=True,
                               ExcludeCharacters="abcdef")["RandomPassword"]
    assert len(p) == 64 and not set(p) & set(string.punctuation + string.ascii_uppercase + "abcdef")
    with pytest.raises(ClientError) as e:
        sm.get_random_password(ExcludeNumbers=True, ExcludePunctuation=True,
                               ExcludeUppercase=True, ExcludeLowercase=True)
    assert error_message(e)[0] == "InvalidParameterException"


def test_rotation_needs_a_lambda_function(sm, account):
    sm.create_secret(Name="e2e/rotate", SecretString="v")
    with pytest.raises(ClientError) as e:
        sm.rotate_secret(SecretId="e2e/rotate")
    assert error_message(e)[0] == "InvalidRequestException"
    fn = "arn:aws:lambda:us-east-1:%s:function:no-such-rotator" % account
    with pytest.raises(ClientError) as e:
        sm.rotate_secret(SecretId="e2e/rotate", RotationLambdaARN=fn,
                         RotationRules={"AutomaticallyAfterDays": 30})
    assert error_message(e)[0] == "AccessDeniedException"
    assert "RotationEnabled" not in sm.describe_secret(SecretId="e2e/rotate")


def test_resource_policy(sm, account):
    arn = sm.create_secret(Name="e2e/pol", SecretString="v")["ARN"]
    policy = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
              '{"AWS":"arn:aws:iam::%s:root"},"Action":"secretsmanager:GetSecretValue",'
              '"Resource":"*"}]}' % account)
    sm.put_resource_policy(SecretId=arn, ResourcePolicy=policy)
    assert sm.get_resource_policy(SecretId=arn)["ResourcePolicy"] == policy
    assert sm.validate_resource_policy(ResourcePolicy=policy)["PolicyValidationPassed"] is True
    with pytest.raises(ClientError) as e:
        sm.put_resource_policy(SecretId=arn, ResourcePolicy="{nope")
    assert error_message(e)[0] == "MalformedPolicyDocumentException"
    sm.delete_resource_policy(SecretId=arn)
    assert "ResourcePolicy" not in sm.get_resource_policy(SecretId=arn)


# --- the AWS CLI ----------------------------------------------------------------------------

@pytest.mark.parametrize("cli", CLIS)
def test_aws_cli(cli, endpoint, tmp_path):
    aws = aws_cli(cli, endpoint, tmp_path, "secretsmanager")
    c = aws("create-secret", "--name", "e2e/cli", "--secret-string", "from-the-cli")
    assert c["Name"] == "e2e/cli"
    assert aws("get-secret-value", "--secret-id", "e2e/cli")["SecretString"] == "from-the-cli"
    listed = aws("list-secrets", "--filters", "Key=name,Values=e2e/cli")["SecretList"]
    assert [s["ARN"] for s in listed] == [c["ARN"]]


# --- no plaintext at rest -------------------------------------------------------------------

MARKER = "GANTRY-SECRET-PLAINTEXT-MARKER-5c1e07"


@pytest.mark.emulator_only
def test_no_plaintext_in_the_data_directory_or_the_log(tmp_path):
    d = str(tmp_path / "data")
    g = server_on(d, ["--log-level", "debug"])
    try:
        sm = client_for(g.endpoint, "secretsmanager")
        sm.create_secret(Name="e2e/rest", SecretString=MARKER + "-string")
        sm.put_secret_value(SecretId="e2e/rest", SecretBinary=(MARKER + "-binary").encode())
        sm.update_secret(SecretId="e2e/rest", SecretString=MARKER + "-update")
        assert sm.get_secret_value(SecretId="e2e/rest")["SecretString"] == MARKER + "-update"
        with pytest.raises(ClientError):
            sm.put_secret_value(SecretId="e2e/none", SecretString=MARKER + "-failed")
    finally:
        g.stop()
    assert os.path.exists(g.log_path)
    # The SQLite file, its WAL, the KMS host key file and the server's log.
    assert files_containing(d, MARKER.encode()) == []
    assert files_containing(d, base64.b64encode((MARKER + "-binary").encode())) == []
    g2 = server_on(d)
    try:
        sm = client_for(g2.endpoint, "secretsmanager")
        assert sm.get_secret_value(SecretId="e2e/rest",
                                   VersionStage="AWSPREVIOUS")["SecretBinary"] == \
            (MARKER + "-binary").encode()
    finally:
        g2.stop()
