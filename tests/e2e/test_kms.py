"""KMS against Gantry: keys, aliases, encryption with boto3 and the AWS CLI, persistence across a
restart, and no plaintext in the data directory."""
import base64
import json
import os

import pytest
from botocore.exceptions import ClientError

from conftest import CLIS, aws_cli, client_for
from secrets_env import error, files_containing, server_on


@pytest.fixture
def kms(make_client):
    return make_client("kms")


# --- keys and aliases -----------------------------------------------------------------------

def test_create_describe_list_key(kms, account):
    meta = kms.create_key(Description="e2e key", Tags=[{"TagKey": "team", "TagValue": "a"}])[
        "KeyMetadata"]
    assert meta["KeyState"] == "Enabled" and meta["Enabled"] is True
    assert meta["KeySpec"] == "SYMMETRIC_DEFAULT" and meta["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert meta["KeyManager"] == "CUSTOMER"
    assert meta["Arn"] == "arn:aws:kms:us-east-1:%s:key/%s" % (account, meta["KeyId"])
    assert kms.describe_key(KeyId=meta["Arn"])["KeyMetadata"]["Description"] == "e2e key"
    ids = [k["KeyId"] for k in kms.get_paginator("list_keys").paginate(Limit=1)
           .build_full_result()["Keys"]]
    assert meta["KeyId"] in ids
    assert kms.list_resource_tags(KeyId=meta["KeyId"])["Tags"] == \
        [{"TagKey": "team", "TagValue": "a"}]


def test_describe_unknown_key_is_not_found(kms):
    with pytest.raises(ClientError) as e:
        kms.describe_key(KeyId="11111111-2222-3333-4444-555555555555")
    assert error(e) == ("NotFoundException", 400)
    assert "does not exist" in e.value.response["Error"]["Message"]


def test_asymmetric_key_spec_is_unsupported(kms):
    with pytest.raises(ClientError) as e:
        kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    assert error(e) == ("UnsupportedOperationException", 400)


def test_alias_lifecycle(kms):
    a = kms.create_key()["KeyMetadata"]["KeyId"]
    b = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/e2e-app", TargetKeyId=a)
    assert kms.describe_key(KeyId="alias/e2e-app")["KeyMetadata"]["KeyId"] == a
    with pytest.raises(ClientError) as e:
        kms.create_alias(AliasName="alias/e2e-app", TargetKeyId=b)
    assert error(e) == ("AlreadyExistsException", 400)
    kms.update_alias(AliasName="alias/e2e-app", TargetKeyId=b)
    assert kms.describe_key(KeyId="alias/e2e-app")["KeyMetadata"]["KeyId"] == b
    names = [x["AliasName"] for x in kms.list_aliases(KeyId=b)["Aliases"]]
    assert names == ["alias/e2e-app"]
    kms.delete_alias(AliasName="alias/e2e-app")
    with pytest.raises(ClientError) as e:
        kms.describe_key(KeyId="alias/e2e-app")
    assert error(e) == ("NotFoundException", 400)


def test_alias_rules(kms):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as e:
        kms.create_alias(AliasName="no-prefix", TargetKeyId=key)
    assert error(e) == ("ValidationException", 400)
    with pytest.raises(ClientError) as e:
        kms.create_alias(AliasName="alias/aws/mine", TargetKeyId=key)
    assert error(e)[0] == "NotAuthorizedException"


def test_aws_managed_ssm_key_appears_on_first_use(kms):
    meta = kms.describe_key(KeyId="alias/aws/ssm")["KeyMetadata"]
    assert meta["KeyManager"] == "AWS"
    entry = [a for a in kms.list_aliases()["Aliases"] if a["AliasName"] == "alias/aws/ssm"]
    assert entry and entry[0]["TargetKeyId"] == meta["KeyId"]


# --- key states -----------------------------------------------------------------------------

def test_disabled_key_refuses_encryption(kms):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.disable_key(KeyId=key)
    with pytest.raises(ClientError) as e:
        kms.encrypt(KeyId=key, Plaintext=b"x")
    assert error(e) == ("DisabledException", 400)
    kms.enable_key(KeyId=key)
    assert kms.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]


def test_key_pending_deletion(kms):
    key = kms.create_key()["KeyMetadata"]
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    with pytest.raises(ClientError) as e:
        kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=3)
    assert error(e) == ("ValidationException", 400)
    out = kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    assert out["KeyState"] == "PendingDeletion" and out["PendingWindowInDays"] == 7
    assert out["KeyId"] == key["Arn"]
    with pytest.raises(ClientError) as e:
        kms.decrypt(CiphertextBlob=blob)
    assert error(e) == ("KMSInvalidStateException", 400)
    assert e.value.response["Error"]["Message"] == key["Arn"] + " is pending deletion."
    kms.cancel_key_deletion(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"


# --- cryptography ---------------------------------------------------------------------------

def test_encrypt_decrypt_without_key_id(kms):
    key = kms.create_key()["KeyMetadata"]
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"\x00binary\xffdata",
                       EncryptionContext={"app": "e2e"})["CiphertextBlob"]
    out = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "e2e"})
    assert out["Plaintext"] == b"\x00binary\xffdata"
    assert out["KeyId"] == key["Arn"]
    with pytest.raises(ClientError) as e:
        kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "other"})
    assert error(e) == ("InvalidCiphertextException", 400)
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(ClientError) as e:
        kms.decrypt(CiphertextBlob=tampered, EncryptionContext={"app": "e2e"})
    assert error(e) == ("InvalidCiphertextException", 400)


def test_data_keys_and_reencrypt(kms):
    a = kms.create_key()["KeyMetadata"]["KeyId"]
    b = kms.create_key()["KeyMetadata"]["Arn"]
    dk = kms.generate_data_key(KeyId=a, KeySpec="AES_256")
    assert len(dk["Plaintext"]) == 32
    assert kms.decrypt(CiphertextBlob=dk["CiphertextBlob"])["Plaintext"] == dk["Plaintext"]
    hidden = kms.generate_data_key_without_plaintext(KeyId=a, NumberOfBytes=16)
    assert "Plaintext" not in hidden
    re = kms.re_encrypt(CiphertextBlob=dk["CiphertextBlob"], DestinationKeyId=b)
    assert re["KeyId"] == b
    assert kms.decrypt(CiphertextBlob=re["CiphertextBlob"])["Plaintext"] == dk["Plaintext"]
    assert len(kms.generate_random(NumberOfBytes=64)["Plaintext"]) == 64


def test_rotation_and_policy_are_stored(kms):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is False
    kms.enable_key_rotation(KeyId=key)
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True
    policy = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    assert policy["Statement"][0]["Action"] == "kms:*"


@pytest.mark.parametrize("cli", CLIS)
def test_aws_cli_encrypt_decrypt(cli, endpoint, tmp_path):
    aws = aws_cli(cli, endpoint, tmp_path, "kms")
    key = aws("create-key", "--description", "cli")["KeyMetadata"]["KeyId"]
    aws("create-alias", "--alias-name", "alias/cli", "--target-key-id", key)
    (tmp_path / "plain").write_bytes(b"cli secret \x01\x02")
    enc = aws("encrypt", "--key-id", "alias/cli", "--plaintext", "fileb://%s" % (tmp_path / "plain"),
              "--encryption-context", "purpose=cli")
    (tmp_path / "blob").write_bytes(base64.b64decode(enc["CiphertextBlob"]))
    dec = aws("decrypt", "--ciphertext-blob", "fileb://%s" % (tmp_path / "blob"),
              "--encryption-context", "purpose=cli")
    assert base64.b64decode(dec["Plaintext"]) == b"cli secret \x01\x02"
    assert dec["KeyId"].endswith(":key/" + key)


# --- persistence and secrecy at rest --------------------------------------------------------

MARKER = b"GANTRY-KMS-PLAINTEXT-MARKER-7f3a91"


@pytest.mark.emulator_only
def test_keys_survive_a_restart_and_nothing_is_stored_in_the_clear(tmp_path):
    d = str(tmp_path / "data")
    g = server_on(d)
    try:
        kms = client_for(g.endpoint, "kms")
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/persist", TargetKeyId=key)
        blob = kms.encrypt(KeyId="alias/persist", Plaintext=MARKER)["CiphertextBlob"]
        dk = kms.generate_data_key(KeyId=key, KeySpec="AES_256")
        managed = kms.encrypt(KeyId="alias/aws/ssm", Plaintext=MARKER)["CiphertextBlob"]
    finally:
        g.stop()
    host_key = os.path.join(d, "kms", "host.key")
    assert os.stat(host_key).st_mode & 0o777 == 0o600
    # Neither the data nor any key's material is in the data directory (SQLite file, WAL, logs).
    assert files_containing(d, MARKER) == []
    assert files_containing(d, dk["Plaintext"]) == []

    g2 = server_on(d)
    try:
        kms = client_for(g2.endpoint, "kms")
        assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == MARKER
        assert kms.decrypt(CiphertextBlob=managed)["Plaintext"] == MARKER
        assert kms.decrypt(CiphertextBlob=dk["CiphertextBlob"])["Plaintext"] == dk["Plaintext"]
        assert kms.describe_key(KeyId="alias/persist")["KeyMetadata"]["KeyId"] == key
    finally:
        g2.stop()
    assert files_containing(d, MARKER) == []


@pytest.mark.emulator_only
def test_a_different_host_key_cannot_read_the_keys(tmp_path):
    d = str(tmp_path / "data")
    g = server_on(d)
    try:
        kms = client_for(g.endpoint, "kms")
        blob = kms.encrypt(KeyId=kms.create_key()["KeyMetadata"]["KeyId"],
                           Plaintext=b"x")["CiphertextBlob"]
    finally:
        g.stop()
    host_key = os.path.join(d, "kms", "host.key")
    os.unlink(host_key)  # the server makes a new host key at start
    g2 = server_on(d)
    try:
        with pytest.raises(ClientError) as e:
            client_for(g2.endpoint, "kms").decrypt(CiphertextBlob=blob)
        assert error(e) == ("KMSInternalException", 500)
    finally:
        g2.stop()
