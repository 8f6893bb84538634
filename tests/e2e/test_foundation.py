"""The foundation: STS identity, admin endpoints, the HTTP edge and persistence."""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import client_for, http_json, own_server_only


@pytest.mark.emulator_only  # the default account
def test_get_caller_identity_default_account(sts):
    ident = sts.get_caller_identity()
    assert ident["Account"] == "000000000000"
    assert ident["Arn"] == "arn:aws:iam::000000000000:root"
    assert ident["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert len(ident["ResponseMetadata"]["RequestId"]) == 36


@pytest.mark.emulator_only
def test_twelve_digit_access_key_selects_account(endpoint):
    sts = client_for(endpoint, "sts", key="123456789012")
    assert sts.get_caller_identity()["Account"] == "123456789012"


TRUST_OWN_ACCOUNT = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})


@pytest.mark.emulator_only  # a 12-digit access key selects the account
def test_assume_role_credentials_identify_the_role(endpoint):
    client_for(endpoint, "iam", key="111122223333").create_role(
        RoleName="deployer", AssumeRolePolicyDocument=TRUST_OWN_ACCOUNT)
    sts = client_for(endpoint, "sts", key="111122223333")
    out = sts.assume_role(RoleArn="arn:aws:iam::111122223333:role/deployer",
                          RoleSessionName="ci-run", DurationSeconds=900)
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    assert len(creds["SecretAccessKey"]) == 40
    assert out["AssumedRoleUser"]["Arn"] == \
        "arn:aws:sts::111122223333:assumed-role/deployer/ci-run"
    assert out["AssumedRoleUser"]["AssumedRoleId"].endswith(":ci-run")
    role_sts = client_for(endpoint, "sts", key=creds["AccessKeyId"],
                          secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    ident = role_sts.get_caller_identity()
    assert ident["Account"] == "111122223333"
    assert ident["Arn"] == out["AssumedRoleUser"]["Arn"]
    assert ident["UserId"] == out["AssumedRoleUser"]["AssumedRoleId"]


def test_get_session_token_issues_usable_credentials(endpoint, sts, account):
    creds = sts.get_session_token(DurationSeconds=900)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    other = client_for(endpoint, "sts", key=creds["AccessKeyId"],
                       secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    assert other.get_caller_identity()["Account"] == account


def test_assume_role_rejects_duration_out_of_range(sts):
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn="arn:aws:iam::111122223333:role/r", RoleSessionName="s",
                        DurationSeconds=60)
    assert e.value.response["Error"]["Code"] == "ValidationError"
    assert "durationSeconds" in e.value.response["Error"]["Message"]


def test_assume_role_requires_role_arn(sts):
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleSessionName="ci")
    err = e.value.response["Error"]
    assert err["Code"] == "ValidationError"
    assert "Value null at 'roleArn' failed to satisfy constraint: Member must not be null" \
        in err["Message"]
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize("cli", ["aws", "/usr/bin/aws"])
def test_aws_cli_get_caller_identity(endpoint, cli, account):
    exe = shutil.which(cli)
    if exe is None:
        pytest.skip("%s is not installed" % cli)
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
    out = subprocess.run([exe, "--endpoint-url", endpoint, "sts", "get-caller-identity",
                          "--output", "json"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["Account"] == account


@pytest.mark.emulator_only
def test_health_lists_services_and_models(endpoint):
    status, body = http_json(endpoint + "/_gantry/health")
    assert status == 200
    assert body["services"]["sts"]["state"] == "running"
    assert body["models"].startswith("botocore ")
    # Per model: its source, and every protocol clients send, whatever the model lists.
    cw = body["service_models"]["cloudwatch"]
    assert cw["source"].split(" ")[0] in ("botocore", "aws-cli", "aws-sdk")
    assert cw["api_version"] == "2010-08-01"
    assert set(cw["protocols"]) >= {"smithy-rpc-v2-cbor", "json", "query"}
    assert body["service_models"]["sts"]["protocols"] == ["query"]
    assert body["uptime_seconds"] >= 0
    assert body["version"]


@pytest.mark.emulator_only
def test_reset_wipes_issued_credentials(tmp_gantry):
    g = tmp_gantry("--auth", "strict", "--credentials", "AKIDADMIN:adminsecret")
    admin = client_for(g.endpoint, "sts", key="AKIDADMIN", secret="adminsecret")
    creds = admin.get_session_token()["Credentials"]
    temp = client_for(g.endpoint, "sts", key=creds["AccessKeyId"],
                      secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    temp.get_caller_identity()
    g.reset()
    with pytest.raises(ClientError) as e:
        temp.get_caller_identity()
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"


@pytest.mark.emulator_only
def test_reset_can_be_disabled(tmp_gantry):
    g = tmp_gantry("--disable-reset")
    conn = http.client.HTTPConnection("127.0.0.1", g.port, timeout=5)
    conn.request("POST", "/_gantry/reset", body=b"")
    assert conn.getresponse().status == 403


# --- strict SigV4 -------------------------------------------------------------------------

@pytest.fixture
def strict(tmp_gantry):
    return tmp_gantry("--auth", "strict", "--credentials", "AKIDSTRICT:rightsecret:444455556666")


@pytest.mark.emulator_only
def test_strict_mode_accepts_the_right_secret(strict):
    ident = client_for(strict.endpoint, "sts", key="AKIDSTRICT", secret="rightsecret") \
        .get_caller_identity()
    assert ident["Account"] == "444455556666"


@pytest.mark.emulator_only
@pytest.mark.parametrize("service,call,code,status", [
    ("sts", lambda c: c.get_caller_identity(), "SignatureDoesNotMatch", 403),
    ("ecs", lambda c: c.list_clusters(), "InvalidSignatureException", 403),
    ("ec2", lambda c: c.describe_vpcs(), "AuthFailure", 401),
])
def test_strict_mode_rejects_a_wrong_secret(strict, service, call, code, status):
    client = client_for(strict.endpoint, service, key="AKIDSTRICT", secret="wrongsecret")
    with pytest.raises(ClientError) as e:
        call(client)
    assert e.value.response["Error"]["Code"] == code
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


@pytest.mark.emulator_only
def test_strict_mode_rejects_an_unknown_key(strict):
    client = client_for(strict.endpoint, "sts", key="AKIDNOBODY", secret="x")
    with pytest.raises(ClientError) as e:
        client.get_caller_identity()
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.emulator_only
def test_strict_mode_rejects_an_unsigned_request(strict):
    conn = http.client.HTTPConnection("127.0.0.1", strict.port, timeout=5)
    conn.request("POST", "/", body="Action=GetCallerIdentity&Version=2011-06-15",
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    r = conn.getresponse()
    body = r.read().decode()
    assert r.status == 403
    assert "<Code>MissingAuthenticationToken</Code>" in body


def signed_in_the_past(port, minutes, key, secret):
    """A GetCallerIdentity request signed `minutes` ago with botocore's own SigV4 signer."""
    import datetime
    from unittest import mock

    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    past = datetime.datetime.utcnow() - datetime.timedelta(minutes=minutes)
    req = botocore.awsrequest.AWSRequest(
        method="POST", url="http://127.0.0.1:%d/" % port,
        data="Action=GetCallerIdentity&Version=2011-06-15",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret), "sts",
                                     "us-east-1")
    if hasattr(botocore.auth, "get_current_datetime"):  # botocore >= 1.34
        patcher = mock.patch.object(botocore.auth, "get_current_datetime", lambda: past)
    else:
        patcher = mock.patch.object(botocore.auth.datetime, "datetime",
                                    mock.Mock(wraps=datetime.datetime, utcnow=lambda: past))
    with patcher:
        signer.add_auth(req)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("POST", "/", body=req.body, headers=dict(req.headers.items()))
    r = conn.getresponse()
    return r.status, r.read().decode()


@pytest.mark.emulator_only
def test_strict_mode_rejects_an_expired_signature(strict):
    """A request signed 20 minutes ago is refused the way STS refuses clock skew."""
    status, body = signed_in_the_past(strict.port, 20, "AKIDSTRICT", "rightsecret")
    assert status == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in body
    assert "<Message>Signature expired: " in body
    status, body = signed_in_the_past(strict.port, 1, "AKIDSTRICT", "rightsecret")
    assert status == 200, body


@pytest.mark.emulator_only
def test_strict_mode_verifies_sts_issued_credentials(strict):
    client_for(strict.endpoint, "iam", key="AKIDSTRICT", secret="rightsecret").create_role(
        RoleName="app", AssumeRolePolicyDocument=TRUST_OWN_ACCOUNT)
    admin = client_for(strict.endpoint, "sts", key="AKIDSTRICT", secret="rightsecret")
    out = admin.assume_role(RoleArn="arn:aws:iam::444455556666:role/app", RoleSessionName="s1")
    c = out["Credentials"]
    good = client_for(strict.endpoint, "sts", key=c["AccessKeyId"], secret=c["SecretAccessKey"],
                      token=c["SessionToken"])
    assert good.get_caller_identity()["Arn"].endswith(":assumed-role/app/s1")
    bad = client_for(strict.endpoint, "sts", key=c["AccessKeyId"], secret="nope",
                     token=c["SessionToken"])
    with pytest.raises(ClientError) as e:
        bad.get_caller_identity()
    assert e.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    no_token = client_for(strict.endpoint, "sts", key=c["AccessKeyId"],
                          secret=c["SecretAccessKey"])
    with pytest.raises(ClientError) as e:
        no_token.get_caller_identity()
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"


# --- persistence ---------------------------------------------------------------------------

@pytest.mark.emulator_only
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_state_survives_a_restart(tmp_path, how):
    from conftest import GantryProcess
    d = str(tmp_path / "data")
    os.makedirs(d)
    args = ("--auth", "strict", "--credentials", "AKIDP:psecret")
    g = GantryProcess(d, args).start()
    try:
        c = client_for(g.endpoint, "sts", key="AKIDP", secret="psecret") \
            .get_session_token()["Credentials"]
    finally:
        g.stop(how)
    g2 = GantryProcess(d, args).start()
    try:
        temp = client_for(g2.endpoint, "sts", key=c["AccessKeyId"],
                          secret=c["SecretAccessKey"], token=c["SessionToken"])
        assert temp.get_caller_identity()["Account"] == "000000000000"
    finally:
        g2.stop()


@pytest.mark.emulator_only
def test_sigterm_shuts_down_cleanly(tmp_gantry):
    g = tmp_gantry()
    assert g.stop(signal.SIGTERM) == 0
    assert "shutting down" in g.read_log()


@pytest.mark.emulator_only
def test_one_log_line_per_request(gantry, sts):
    own_server_only()
    rid = sts.get_caller_identity()["ResponseMetadata"]["RequestId"]
    lines = [l for l in gantry.read_log().splitlines() if "request_id=" + rid in l]
    assert len(lines) == 1
    line = lines[0]
    for part in ("service=sts", "operation=GetCallerIdentity", "status=200", "duration_ms="):
        assert part in line


# --- the HTTP edge -------------------------------------------------------------------------

def raw(port, payload, read=65536, timeout=5):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(payload)
        chunks = []
        while True:
            try:
                b = s.recv(read)
            except socket.timeout:
                break
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)
    finally:
        s.close()


FORM = b"Action=GetCallerIdentity&Version=2011-06-15"


@pytest.mark.emulator_only  # unsigned requests
def test_keep_alive_serves_several_requests_on_one_connection(gantry):
    conn = http.client.HTTPConnection("127.0.0.1", gantry.port, timeout=5)
    for _ in range(3):
        conn.request("POST", "/", body=FORM,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        assert r.status == 200
        assert b"<Account>000000000000</Account>" in r.read()
    conn.close()


@pytest.mark.emulator_only  # unsigned requests
def test_chunked_request_body_is_accepted(gantry):
    body = hex(len(FORM))[2:].encode() + b"\r\n" + FORM + b"\r\n0\r\n\r\n"
    out = raw(gantry.port, b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n" + body)
    assert out.startswith(b"HTTP/1.1 200")
    assert b"GetCallerIdentityResponse" in out


@pytest.mark.emulator_only  # unsigned requests
def test_expect_100_continue_gets_an_interim_response(gantry):
    s = socket.create_connection(("127.0.0.1", gantry.port), timeout=5)
    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\n"
              b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(FORM))
    first = s.recv(1024)
    assert first.startswith(b"HTTP/1.1 100 Continue")
    s.sendall(FORM)
    rest = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        rest += b
    s.close()
    assert b"HTTP/1.1 200" in first + rest


@pytest.mark.emulator_only  # unsigned requests
def test_body_over_the_limit_gets_413(tmp_gantry):
    g = tmp_gantry("--body-limit", "1024")
    out = raw(g.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\n\r\n" + b"a" * 4096)
    assert out.startswith(b"HTTP/1.1 413")


@pytest.mark.emulator_only  # unsigned requests
def test_tls_client_hello_is_closed(gantry):
    # The first bytes of a TLS 1.2 ClientHello record.
    out = raw(gantry.port, bytes([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1]))
    assert out == b""


@pytest.mark.emulator_only  # unsigned requests
def test_garbage_request_gets_400_not_a_crash(gantry):
    out = raw(gantry.port, b"NOT HTTP AT ALL\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 400")
    # still serving
    assert client_for(gantry.endpoint, "sts").get_caller_identity()["Account"]
