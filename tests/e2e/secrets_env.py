"""Shared by the tests of the services that keep secrets (test_kms.py, test_ssm.py,
test_secretsmanager.py): AWS's error in a ClientError, a server of the test's own on a data
directory it can read after a restart, and a search of that directory for plaintext."""
import os

from conftest import GantryProcess, own_server_only


def error(excinfo):
    """(error code, HTTP status) of the ClientError in a pytest.raises `excinfo`."""
    e = excinfo.value.response
    return e["Error"]["Code"], e["ResponseMetadata"]["HTTPStatusCode"]


def error_message(excinfo):
    """(error code, message) of the ClientError in a pytest.raises `excinfo`."""
    e = excinfo.value.response
    return e["Error"]["Code"], e["Error"]["Message"]


def server_on(d, args=()):
    """A started server of the test's own (tasks off) on data directory `d`, made if missing;
    skips the test when it runs against GANTRY_ENDPOINT."""
    own_server_only()
    return GantryProcess(d, args, env=dict(os.environ, GANTRY_TASKS="off")).start()


def files_containing(root, needle):
    """The files below `root` whose bytes contain `needle` (bytes)."""
    hits = []
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            try:
                with open(p, "rb") as f:
                    if needle in f.read():
                        hits.append(p)
            except OSError:
                pass
    return hits
