"""The emulator's own state-changing routes in strict mode: only a configured root key may reset."""
import http.client
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import client_for, signed_headers

pytestmark = pytest.mark.emulator_only

ROOT = ("AKIDROOT", "rootsecret")


def _post_reset(g, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", g.port, timeout=5)
    conn.request("POST", "/_gantry/reset", body=b"", headers=headers or {})
    r = conn.getresponse()
    return r.status, r.read()


@pytest.fixture
def strict(tmp_gantry):
    g = tmp_gantry("--auth", "strict", "--credentials", "%s:%s" % ROOT)
    logs = client_for(g.endpoint, "logs", key=ROOT[0], secret=ROOT[1])
    logs.create_log_group(logGroupName="kept")
    return g, logs


def _groups(logs):
    return [x["logGroupName"] for x in logs.describe_log_groups()["logGroups"]]


def test_anonymous_reset_is_refused_and_state_kept(strict):
    g, logs = strict
    status, body = _post_reset(g)
    assert status == 403, body
    assert b"strict" in body
    assert _groups(logs) == ["kept"]


def test_reset_signed_with_a_wrong_secret_or_unknown_key_is_refused(strict):
    g, logs = strict
    url = g.endpoint + "/_gantry/reset"
    assert _post_reset(g, signed_headers("POST", url, ROOT[0], "wrong"))[0] == 403
    assert _post_reset(g, signed_headers("POST", url, "AKIDOTHER", ROOT[1]))[0] == 403
    assert _groups(logs) == ["kept"]


def test_reset_signed_with_temporary_credentials_is_refused(strict):
    g, logs = strict
    sts = client_for(g.endpoint, "sts", key=ROOT[0], secret=ROOT[1])
    c = sts.get_session_token()["Credentials"]
    headers = signed_headers("POST", g.endpoint + "/_gantry/reset", c["AccessKeyId"],
                             c["SecretAccessKey"], c["SessionToken"])
    assert _post_reset(g, headers)[0] == 403
    assert _groups(logs) == ["kept"]


def test_reset_signed_with_the_root_key_wipes_state(strict):
    g, logs = strict
    status, _ = _post_reset(g, signed_headers("POST", g.endpoint + "/_gantry/reset", *ROOT))
    assert status == 200
    assert _groups(logs) == []


def test_curl_sigv4_signs_a_reset(strict):
    g, logs = strict
    out = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
         "--aws-sigv4", "aws:amz:us-east-1:gantry", "--user", "%s:%s" % ROOT,
         g.endpoint + "/_gantry/reset"], capture_output=True, text=True, timeout=10)
    assert out.stdout == "200", out.stderr
    assert _groups(logs) == []


def test_health_stays_public_in_strict_mode(strict):
    g, _ = strict
    conn = http.client.HTTPConnection("127.0.0.1", g.port, timeout=5)
    conn.request("GET", "/_gantry/health")
    assert conn.getresponse().status == 200


def test_default_mode_reset_needs_no_signature(tmp_gantry):
    g = tmp_gantry()
    assert _post_reset(g)[0] == 200
