"""End-to-end harness: the real gantry binary on a free port with a temporary data directory.

Clients use dummy credentials, parameter validation off and no retries, so that bad input reaches
the server and errors surface at once. State is reset between tests (POST /_gantry/reset).

With GANTRY_ENDPOINT=http://host:port the session's server is that running endpoint instead: no
binary is started, state is reset between tests only if the endpoint accepts the reset API, and
every test that needs a server process of its own (flags, restarts, its data directory) is
skipped. See README.md.
"""
import json
import os
import shutil
import socket
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3
import botocore.config
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("GANTRY_BIN", os.path.join(ROOT, "build", "gantry"))
REGION = "us-east-1"
# A running endpoint to test instead of a server started here (README.md).
ENDPOINT = os.environ.get("GANTRY_ENDPOINT", "").rstrip("/")


def wait_for(predicate, timeout=30, interval=0.1, what=None):
    """Polls predicate() until it returns a truthy value, which is returned; after `timeout`
    seconds fails the test, naming `what` (a string, or a callable giving one) and its last value.
    The one way the e2e tests wait for something: never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() > deadline:
            name = what() if callable(what) else what
            pytest.fail("timed out after %ss waiting for %s; last: %r" % (
                timeout, name or getattr(predicate, "__name__", "a condition"), last))
        time.sleep(interval)


def pytest_configure(config):
    config.addinivalue_line("markers", "emulator_only: behaviour only Gantry has, not AWS")
    config.addinivalue_line("markers", "privileged: needs root (namespaces, nftables, runc)")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GantryProcess:
    """One running gantry server. `args` are extra flags. With `cwd`, the server starts there and
    `data_dir` may be relative to it, as a user would pass it; `self.data_dir` is absolute."""

    def __init__(self, data_dir, args=(), env=None, cwd=None):
        self.data_dir_arg = data_dir
        self.cwd = cwd
        self.data_dir = os.path.join(cwd, data_dir) if cwd else data_dir
        os.makedirs(self.data_dir, exist_ok=True)
        self.args = list(args)
        if not any(a.startswith("--alb-port-offset") for a in self.args):
            # Load balancer listeners must not take the host's real port 80: listener port 80
            # lands on a free port instead (alb_port(80) says which).
            self.args += ["--alb-port-offset", str(_free_port() - 80)]
        self.env = env
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.data_dir, "gantry.log")

    def start(self, timeout=20):
        if ENDPOINT:
            pytest.skip("starts a gantry server of its own (flags, restarts or its data "
                        "directory); GANTRY_ENDPOINT is set")
        port_file = os.path.join(self.data_dir, "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.log = open(self.log_path, "ab")
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            [BINARY, "--listen", "127.0.0.1:0", "--data-dir", self.data_dir_arg,
             "--port-file", port_file] + self.args,
            stdout=self.log, stderr=self.log, env=self.env, cwd=self.cwd)

        def listening():
            if self.proc.poll() is not None:
                raise RuntimeError("gantry exited with %s:\n%s" % (self.proc.returncode,
                                                                   self.read_log()))
            try:
                with open(port_file) as f:
                    return f.read().strip()
            except FileNotFoundError:
                return None
        self.port = int(wait_for(listening, timeout, 0.01,
                                 lambda: "gantry to listen:\n" + self.read_log()[-2000:]))
        return self

    def alb_port(self, listener_port):
        """The host port where this server serves a load balancer's listener port."""
        i = self.args.index("--alb-port-offset") if "--alb-port-offset" in self.args else -1
        offset = int(self.args[i + 1]) if i >= 0 else 0
        return listener_port + offset

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.port

    def read_log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
        return self.proc.returncode

    def root_key(self):
        """The first --credentials key pair (AKID, SECRET), or None."""
        if "--credentials" not in self.args:
            return None
        akid, secret = self.args[self.args.index("--credentials") + 1].split(":")[:2]
        return akid, secret

    def reset(self):
        """POST /_gantry/reset, signed with the root key when there is one (strict mode wants it)."""
        url = self.endpoint + "/_gantry/reset"
        key = self.root_key()
        headers = signed_headers("POST", url, *key) if key else {}
        req = urllib.request.Request(url, method="POST", data=b"", headers=headers)
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status == 200


def signed_headers(method, url, key, secret, token=None, body=b"", service="gantry",
                   region=REGION):
    """SigV4 headers for a raw request, as any AWS SDK would sign it."""
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    req = botocore.awsrequest.AWSRequest(method=method, url=url, data=body)
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret, token), service,
                            region).add_auth(req)
    return dict(req.headers.items())


class RemoteGantry:
    """GANTRY_ENDPOINT: a server this harness did not start. It is reset between tests only when
    it accepts POST /_gantry/reset (a Gantry without --disable-reset; never AWS), signed with
    GANTRY_ROOT_KEY=AKID:SECRET when that is set (strict and enforce modes want it)."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        u = urllib.parse.urlsplit(endpoint)
        self.host, self.port = u.hostname, u.port or (443 if u.scheme == "https" else 80)
        self.resettable = os.environ.get("GANTRY_RESET", "1") != "0" and self._try_reset()

    def _try_reset(self):
        url = self.endpoint + "/_gantry/reset"
        key = os.environ.get("GANTRY_ROOT_KEY")
        headers = signed_headers("POST", url, *key.split(":")[:2]) if key else {}
        req = urllib.request.Request(url, method="POST", data=b"", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def reset(self):
        if self.resettable:
            assert self._try_reset()

    def stop(self, *_):
        return None


def client_for(endpoint, service, region=REGION, key="test", secret="test", token=None, **kw):
    cfg = botocore.config.Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        parameter_validation=False,
        connect_timeout=5, read_timeout=30, **kw)
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        aws_session_token=token, config=cfg)


@pytest.fixture(scope="session")
def gantry():
    """The shared server of the API tests. Its tasks stay stored rows (GANTRY_TASKS=off): tests
    that run containers start their own server (test_tasks.py). With GANTRY_ENDPOINT, that
    endpoint."""
    if ENDPOINT:
        yield RemoteGantry(ENDPOINT)
        return
    with tempfile.TemporaryDirectory(prefix="gantry-e2e-") as d:
        g = GantryProcess(d, env=dict(os.environ, GANTRY_TASKS="off")).start()
        yield g
        g.reset()
        g.stop()


@pytest.fixture(autouse=True)
def _reset(request):
    if "gantry" in request.fixturenames:
        request.getfixturevalue("gantry").reset()
    yield


@pytest.fixture
def endpoint(gantry):
    return gantry.endpoint


@pytest.fixture
def make_client(endpoint):
    def make(service, **kw):
        return client_for(endpoint, service, **kw)
    return make


@pytest.fixture
def sts(make_client):
    return make_client("sts")


@pytest.fixture(scope="session")
def account(gantry):
    """The account of the tests' credentials, as AWS tells it (never a hard-coded id)."""
    return client_for(gantry.endpoint, "sts").get_caller_identity()["Account"]


def own_server_only():
    """Skips the calling test when it runs against GANTRY_ENDPOINT (for tests that read the
    server's log or data directory)."""
    if ENDPOINT:
        pytest.skip("reads the server's own log or data directory; GANTRY_ENDPOINT is set")


@pytest.fixture
def tmp_gantry(tmp_path):
    """Factory for extra servers with their own flags and data dir; all killed at teardown, so
    they keep tasks as stored rows (GANTRY_TASKS=off) and never leave namespaces behind."""
    started = []

    def make(*args, data_dir=None):
        d = data_dir or str(tmp_path / ("g%d" % len(started)))
        os.makedirs(d, exist_ok=True)
        g = GantryProcess(d, args, env=dict(os.environ, GANTRY_TASKS="off")).start()
        started.append(g)
        return g
    yield make
    for g in started:
        g.stop(signal.SIGKILL)


def http_json(url, method="GET", data=None, headers=None):
    req = urllib.request.Request(url, method=method, data=data, headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, json.loads(r.read() or b"null")


# The AWS CLIs on this machine (the one on PATH and Debian's), each once: tests that run the CLI
# take `cli` from @pytest.mark.parametrize("cli", CLIS) and so run once per CLI, or not at all.
CLIS = list(dict.fromkeys(c for c in [shutil.which("aws"), "/usr/bin/aws"]
                          if c and os.path.exists(c)))


def cli_env(tmp_path):
    """The environment an AWS CLI runs in for a test: test credentials, us-east-1, no pager and
    none of the user's config."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_CONFIG_FILE=str(tmp_path / "c"),
               AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "cr"))
    env.pop("AWS_PROFILE", None)
    return env


def aws_cli(cli, endpoint, tmp_path, service):
    """run(*args) for one AWS CLI (`cli`, a path) and service against `endpoint`, with test
    credentials and none of the user's config: the parsed JSON output; asserts success."""
    env = cli_env(tmp_path)

    def run(*args):
        p = subprocess.run([cli, "--endpoint-url", endpoint, "--output", "json", service] +
                           list(args), env=env, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout) if p.stdout.strip() else {}
    return run
