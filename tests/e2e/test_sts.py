"""STS over IAM: AssumeRole of a role created with the IAM API, an IAM user's own keys, and
AssumeRoleWithWebIdentity with an OpenID Connect token signed here, verified against a JWKS file
given with --oidc-jwks and checked against a GitHub-Actions-like trust policy."""
import base64
import json
import os
import shutil
import subprocess
import time

import pytest
from botocore.exceptions import ClientError

from conftest import client_for

CLIS = [c for c in [shutil.which("aws"), "/usr/bin/aws"] if c and os.path.exists(c)]

ISSUER = "https://token.actions.githubusercontent.com"
PROVIDER_HOST = "token.actions.githubusercontent.com"
MAIN = "repo:org/repo:ref:refs/heads/main"
THUMBPRINT = "6938fd4d98bab03faadb97b34396831e3780aea1"


def trust_any_principal_of(account):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % account},
        "Action": ["sts:AssumeRole", "sts:TagSession"]}]})


def code_of(e):
    return e.value.response["Error"]["Code"]


# --- AssumeRole of IAM roles ------------------------------------------------------------------

def test_assume_role_of_an_iam_role_identifies_the_session(endpoint, make_client, account):
    iam = make_client("iam")
    role = iam.create_role(RoleName="deployer",
                           AssumeRolePolicyDocument=trust_any_principal_of(account))["Role"]
    out = make_client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="ci-run")
    assert out["AssumedRoleUser"]["Arn"] == \
        "arn:aws:sts::%s:assumed-role/deployer/ci-run" % account
    assert out["AssumedRoleUser"]["AssumedRoleId"] == role["RoleId"] + ":ci-run"
    c = out["Credentials"]
    session = client_for(endpoint, "sts", key=c["AccessKeyId"], secret=c["SecretAccessKey"],
                         token=c["SessionToken"])
    who = session.get_caller_identity()
    assert who["Arn"] == "arn:aws:sts::%s:assumed-role/deployer/ci-run" % account
    assert who["UserId"] == role["RoleId"] + ":ci-run"


def test_assume_role_of_a_missing_role_is_access_denied(make_client, account):
    arn = "arn:aws:iam::%s:role/no-such-role" % account
    with pytest.raises(ClientError) as e:
        make_client("sts").assume_role(RoleArn=arn, RoleSessionName="s1")
    assert code_of(e) == "AccessDenied"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert e.value.response["Error"]["Message"].endswith(
        "is not authorized to perform: sts:AssumeRole on resource: " + arn)


def test_assume_role_duration_is_bounded_by_max_session_duration(make_client, account):
    iam = make_client("iam")
    role = iam.create_role(RoleName="short", MaxSessionDuration=3600,
                           AssumeRolePolicyDocument=trust_any_principal_of(account))["Role"]
    sts = make_client("sts")
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=7200)
    assert code_of(e) == "ValidationError"
    assert e.value.response["Error"]["Message"] == \
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    iam.update_role(RoleName="short", MaxSessionDuration=7200)
    sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=7200)


def test_assume_role_session_name_is_validated(make_client, account):
    role = make_client("iam").create_role(
        RoleName="r", AssumeRolePolicyDocument=trust_any_principal_of(account))["Role"]
    with pytest.raises(ClientError) as e:
        make_client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="has space")
    assert code_of(e) == "ValidationError"
    assert "roleSessionName" in e.value.response["Error"]["Message"]


def test_iam_users_key_identifies_the_user(endpoint, make_client, account):
    iam = make_client("iam")
    user = iam.create_user(UserName="ci")["User"]
    key = iam.create_access_key(UserName="ci")["AccessKey"]
    as_user = client_for(endpoint, "sts", key=key["AccessKeyId"],
                         secret=key["SecretAccessKey"])
    who = as_user.get_caller_identity()
    assert who["Arn"] == user["Arn"]
    assert who["UserId"] == user["UserId"]
    assert make_client("sts").get_access_key_info(
        AccessKeyId=key["AccessKeyId"])["Account"] == account


# --- AssumeRoleWithWebIdentity ----------------------------------------------------------------

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Issuer:
    """An OIDC issuer of our own: an RSA key, its JWKS, and tokens signed with it."""

    def __init__(self):
        from cryptography.hazmat.primitives.asymmetric import rsa
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        numbers = self.key.public_key().public_numbers()

        def big(n):
            return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))
        self.jwks = {"keys": [{"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
                               "n": big(numbers.n), "e": big(numbers.e)}]}

    def token(self, sub=MAIN, aud="sts.amazonaws.com", lifetime=300):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        now = int(time.time())
        header = {"alg": "RS256", "typ": "JWT", "kid": "k1"}
        claims = {"iss": ISSUER, "sub": sub, "aud": aud, "iat": now - 10, "nbf": now - 10,
                  "exp": now + lifetime, "repository": "org/repo", "ref": "refs/heads/main"}
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode()))
        sig = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(sig)


@pytest.fixture(scope="module")
def issuer():
    pytest.importorskip("cryptography")
    return Issuer()


@pytest.fixture
def oidc(tmp_gantry, tmp_path, issuer):
    """A strict-mode server that knows the issuer's JWKS, with the provider and a role that
    trusts the main branch of org/repo, as GitHub's guide sets them up."""
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(issuer.jwks))
    g = tmp_gantry("--auth", "strict", "--credentials", "AKIDROOT:rootsecret",
                   "--oidc-jwks", "%s=%s" % (ISSUER, jwks))
    iam = client_for(g.endpoint, "iam", key="AKIDROOT", secret="rootsecret")
    account = client_for(g.endpoint, "sts", key="AKIDROOT", secret="rootsecret") \
        .get_caller_identity()["Account"]
    provider = iam.create_open_id_connect_provider(
        Url=ISSUER, ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=[THUMBPRINT])["OpenIDConnectProviderArn"]
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Federated": provider},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {PROVIDER_HOST + ":aud": "sts.amazonaws.com",
                                       PROVIDER_HOST + ":sub": MAIN}}}]}
    role = iam.create_role(RoleName="gha-deploy",
                           AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    g.role_arn, g.provider_arn, g.account = role["Arn"], provider, account
    return g


def web_identity(g, token):
    # boto3 sends AssumeRoleWithWebIdentity unsigned, as the SDKs do.
    return client_for(g.endpoint, "sts").assume_role_with_web_identity(
        RoleArn=g.role_arn, RoleSessionName="gha", WebIdentityToken=token)


def test_web_identity_of_the_trusted_branch_gets_a_session(oidc, issuer):
    out = web_identity(oidc, issuer.token())
    assert out["SubjectFromWebIdentityToken"] == MAIN
    assert out["Audience"] == "sts.amazonaws.com"
    assert out["AssumedRoleUser"]["Arn"] == \
        "arn:aws:sts::%s:assumed-role/gha-deploy/gha" % oidc.account
    c = out["Credentials"]
    who = client_for(oidc.endpoint, "sts", key=c["AccessKeyId"], secret=c["SecretAccessKey"],
                     token=c["SessionToken"]).get_caller_identity()
    assert who["Arn"] == "arn:aws:sts::%s:assumed-role/gha-deploy/gha" % oidc.account


def test_web_identity_of_another_branch_is_denied(oidc, issuer):
    with pytest.raises(ClientError) as e:
        web_identity(oidc, issuer.token(sub="repo:org/repo:ref:refs/heads/feature"))
    assert code_of(e) == "AccessDenied"
    assert e.value.response["Error"]["Message"] == \
        "Not authorized to perform sts:AssumeRoleWithWebIdentity"


def test_web_identity_with_a_wrong_audience_is_an_invalid_token(oidc, issuer):
    with pytest.raises(ClientError) as e:
        web_identity(oidc, issuer.token(aud="sigstore"))
    assert code_of(e) == "InvalidIdentityToken"
    assert e.value.response["Error"]["Message"] == "Incorrect token audience"


def test_web_identity_with_an_expired_token_is_refused(oidc, issuer):
    with pytest.raises(ClientError) as e:
        web_identity(oidc, issuer.token(lifetime=-60))
    assert code_of(e) == "ExpiredTokenException"
    assert e.value.response["Error"]["Message"].startswith("Token expired: current date/time ")


def test_web_identity_signed_by_another_key_is_an_invalid_token(oidc):
    with pytest.raises(ClientError) as e:
        web_identity(oidc, Issuer().token())
    assert code_of(e) == "InvalidIdentityToken"


@pytest.mark.parametrize("cli", CLIS)
def test_aws_cli_assume_role_with_web_identity(cli, oidc, issuer, tmp_path):
    # The CLI sends the call unsigned; the server is in strict mode and lets it through.
    env = dict(os.environ, AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="",
               AWS_CONFIG_FILE=str(tmp_path / "c"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "cr"))
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        env.pop(k, None)
    p = subprocess.run([cli, "--endpoint-url", oidc.endpoint, "--output", "json", "sts",
                        "assume-role-with-web-identity", "--role-arn", oidc.role_arn,
                        "--role-session-name", "cli", "--web-identity-token", issuer.token()],
                       env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["AssumedRoleUser"]["Arn"].endswith(":assumed-role/gha-deploy/cli")
    assert out["Credentials"]["AccessKeyId"].startswith("ASIA")
