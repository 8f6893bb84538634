"""Disk faults (issue 14): the data directory fills up, then turns read-only, under a running server.

The server's data directory sits on a small ext4 file system in a loop-mounted file. Objects are
stored first (an image in ECR, log events, a cluster, a task definition and a service); then:

- Disk full: a filler file takes every free block. An ECR push of a layer that does not fit, a
  PutLogEvents and a CreateService each fail with the AWS-style server error of their protocol
  (the registry's OCI error JSON with a 5xx; ServiceUnavailableException for Logs and
  ServerException for ECS, as their models name their server errors, HTTP 500). The server keeps
  answering, everything stored before is described identically, and once the filler is deleted
  the same calls succeed.
- Read-only: `mount -o remount,ro` is refused while a process holds files open for writing (the
  server always holds its database), so the test makes the kernel do what it does on a failing
  disk: an ext4 error on a file system mounted errors=remount-ro turns it read-only under the
  open files. The same three calls fail the same way, the server keeps answering and nothing is
  lost; it stops cleanly, and after a fresh mount a new server on the same data directory has
  everything and the calls succeed.

Needs root (mount), mkfs.ext4 and skopeo. The server runs no tasks (GANTRY_TASKS=off).
"""
import errno
import json
import os
import shutil
import signal
import subprocess
import time

import pytest
from botocore.exceptions import ClientError

from conftest import GantryProcess, client_for
from oci_images import build_busybox_image, build_random_image, manifest_of
from test_ecr_registry import request

pytestmark = [
    pytest.mark.privileged,
    pytest.mark.emulator_only,  # puts the server's data directory on a faulty disk
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root (mount)"),
    pytest.mark.skipif(shutil.which("skopeo") is None or shutil.which("mkfs.ext4") is None,
                       reason="needs skopeo and mkfs.ext4"),
]

FS_SIZE = 48 << 20   # the file system under the data directory
BIG_LAYER = 6 << 20  # more than the full disk has left (none), less than the empty one has


# ---------------------------------------------------------------------------------------------
# The small file system

class SmallFs:
    """An ext4 file system in `image`, loop-mounted on `mountpoint` with errors=remount-ro."""

    def __init__(self, image, mountpoint):
        self.image, self.mountpoint = str(image), str(mountpoint)
        with open(self.image, "wb") as f:
            f.truncate(FS_SIZE)
        # -m 0: no blocks reserved for root (the server runs as root and would use them).
        subprocess.run(["mkfs.ext4", "-q", "-F", "-m", "0", self.image], check=True)
        os.makedirs(self.mountpoint, exist_ok=True)
        self.mount()

    def mount(self):
        subprocess.run(["mount", "-o", "loop,errors=remount-ro", self.image, self.mountpoint],
                       check=True)

    def umount(self):
        subprocess.run(["umount", self.mountpoint], check=True)

    def device(self):
        return subprocess.run(["findmnt", "-n", "-o", "SOURCE", self.mountpoint],
                              capture_output=True, text=True, check=True).stdout.strip()

    def options(self):
        return subprocess.run(["findmnt", "-n", "-o", "OPTIONS", self.mountpoint],
                              capture_output=True, text=True).stdout.strip().split(",")

    def mounted(self):
        return subprocess.run(["mountpoint", "-q", self.mountpoint]).returncode == 0

    def make_read_only(self):
        """What ext4 does on an I/O error with errors=remount-ro: read-only under open files."""
        dev = os.path.basename(self.device())
        with open("/sys/fs/ext4/%s/trigger_fs_error" % dev, "w") as f:
            f.write("gantry disk fault test")
        # ext4 shows it as the mount option emergency_ro (statvfs still says rw); a new file
        # is refused with EROFS.
        with pytest.raises(OSError) as e:
            open(os.path.join(self.mountpoint, "probe"), "w").close()
        assert e.value.errno == errno.EROFS, (e.value, self.options())

    def free_bytes(self):
        st = os.statvfs(self.mountpoint)
        return st.f_bavail * st.f_frsize


def fill(path):
    """Writes `path` until the file system has no block left; returns its size."""
    written = 0
    with open(path, "wb", buffering=0) as f:
        for chunk in (1 << 20, 4096, 512):
            data = b"\0" * chunk
            while True:
                try:
                    written += f.write(data)
                except OSError as e:
                    assert e.errno == errno.ENOSPC, e
                    break
        try:
            os.fsync(f.fileno())
        except OSError as e:
            assert e.errno == errno.ENOSPC, e
    return written


@pytest.fixture
def small_fs(tmp_path):
    fs = SmallFs(tmp_path / "fs.img", tmp_path / "mnt")
    yield fs
    if fs.mounted():
        fs.umount()


@pytest.fixture
def server(small_fs, tmp_path):
    g = GantryProcess(os.path.join(small_fs.mountpoint, "data"),
                      env=dict(os.environ, GANTRY_TASKS="off"))
    g.log_path = str(tmp_path / "gantry.log")  # off the faulty disk, to read what happened
    yield g.start()
    g.stop(signal.SIGKILL)


# ---------------------------------------------------------------------------------------------
# The calls

class Calls:
    """The three writes under test and the reads that show what is stored."""

    def __init__(self, server, tmp_path):
        self.server, self.tmp_path = server, tmp_path
        self.image = build_busybox_image(tmp_path / "small", cmd=["sh"])
        self.big = build_random_image(tmp_path / "big", [BIG_LAYER], seed=14)
        self.services = 0
        self.connect()

    def connect(self):
        self.ecr = client_for(self.server.endpoint, "ecr")
        self.ecs = client_for(self.server.endpoint, "ecs")
        self.logs = client_for(self.server.endpoint, "logs")

    # ----- writes
    def skopeo_push(self, layout, tag):
        dest = "docker://127.0.0.1:%d/keep:%s" % (self.server.port, tag)
        return subprocess.run(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                               "oci:%s:latest" % layout, dest], capture_output=True, text=True,
                              timeout=300)

    def registry(self, method, path, data=None, headers=None):
        return request(self.server, method, path, data=data, headers=headers)

    def open_upload(self):
        """POST: a new upload session (its rows and file exist before the fault)."""
        status, headers, body = self.registry("POST", "/v2/keep/blobs/uploads/", data=b"")
        assert status == 202, (status, body)
        return headers["Location"]

    def upload_big_layer(self, location):
        """The big layer into the session at `location` (PATCH, then PUT): the first status that
        is not a success, with its body; (201, ...) when the blob was stored."""
        with open(os.path.join(self.big, "blobs", "sha256", self.big_digest()[7:]), "rb") as f:
            data = f.read()
        status, headers, body = self.registry(
            "PATCH", location, data=data,
            headers={"Content-Type": "application/octet-stream"})
        if status != 202:
            return status, body
        sep = "&" if "?" in headers["Location"] else "?"
        status, _, body = self.registry("PUT", headers["Location"] + sep + "digest=" +
                                        self.big_digest(), data=b"")
        return status, body

    def big_digest(self):
        _, data = manifest_of(self.big, "latest")
        return json.loads(data)["layers"][0]["digest"]

    def put_logs(self, text):
        # Close to 1 MiB in one batch: more than SQLite can place in what is left of the disk.
        now = int(time.time() * 1000)
        events = [{"timestamp": now + i, "message": "%s %d %s" % (text, i, "x" * 1000)}
                  for i in range(900)]
        return self.logs.put_log_events(logGroupName="/keep", logStreamName="s",
                                        logEvents=events)

    def create_service(self):
        self.services += 1
        return self.ecs.create_service(cluster="keep", serviceName="svc%d" % self.services,
                                       taskDefinition="keep", desiredCount=0)["service"]

    # ----- reads
    def stored(self):
        """Everything stored, as the APIs describe it (fields that change on their own, such as
        service events, left out)."""
        images = self.ecr.describe_images(repositoryName="keep")["imageDetails"]
        manifests = {}
        for d in images:
            _, _, body = self.registry("GET", "/v2/keep/manifests/" + d["imageDigest"],
                                       headers={"Accept": d["imageManifestMediaType"]})
            manifests[d["imageDigest"]] = body
        names = ["svc%d" % i for i in range(1, self.services + 1)] + ["keep"]
        services = self.ecs.describe_services(cluster="keep", services=names)
        return {
            "images": sorted((d["imageDigest"], tuple(sorted(d.get("imageTags", []))),
                              d["imageSizeInBytes"]) for d in images),
            "manifests": manifests,
            "events": [(e["timestamp"], e["message"]) for e in self.logs.get_log_events(
                logGroupName="/keep", logStreamName="s", startFromHead=True)["events"]],
            "clusters": [(c["clusterArn"], c["status"]) for c in self.ecs.describe_clusters(
                clusters=["keep"])["clusters"]],
            "task definitions": self.ecs.describe_task_definition(
                taskDefinition="keep")["taskDefinition"],
            "services": sorted((s["serviceArn"], s["status"], s["taskDefinition"],
                                s["desiredCount"], s["createdAt"]) for s in
                               services["services"]),
            "missing services": sorted(f["arn"] for f in services["failures"]),
        }


def server_error(call):
    """The ClientError that `call` must raise; returns (HTTP status, code)."""
    with pytest.raises(ClientError) as e:
        call()
    r = e.value.response
    return r["ResponseMetadata"]["HTTPStatusCode"], r["Error"]["Code"]


def assert_writes_fail(calls, server, location):
    """The three writes fail with their protocols' server errors, and the server stays up.
    `location`: an upload session opened before the fault."""
    r = calls.skopeo_push(calls.big, "big")
    assert r.returncode != 0, r.stdout
    # The registry: a new session needs a row (SQLite), a session opened before needs the file
    # system for the layer's bytes. Both fail with the OCI error JSON and a 5xx.
    for status, body in (calls.registry("POST", "/v2/keep/blobs/uploads/", data=b"")[::2],
                         calls.upload_big_layer(location)):
        assert status in (500, 503), (status, body)
        error = json.loads(body)["errors"][0]
        assert error["code"] in ("UNKNOWN", "UNAVAILABLE") and error["message"], body
    # CloudWatch Logs' model names ServiceUnavailableException its server error; ECS's is
    # ServerException.
    assert server_error(lambda: calls.put_logs("lost")) == (500, "ServiceUnavailableException")
    assert server_error(calls.create_service) == (500, "ServerException")
    calls.services -= 1  # stored nothing
    assert server.proc.poll() is None, server.read_log()[-3000:]


def assert_writes_succeed(calls, tag):
    r = calls.skopeo_push(calls.big, tag)
    assert r.returncode == 0, r.stderr
    calls.put_logs("kept " + tag)
    assert calls.create_service()["status"] == "ACTIVE"


def store_first(calls):
    calls.ecr.create_repository(repositoryName="keep")
    r = calls.skopeo_push(calls.image, "latest")
    assert r.returncode == 0, r.stderr
    calls.logs.create_log_group(logGroupName="/keep")
    calls.logs.create_log_stream(logGroupName="/keep", logStreamName="s")
    calls.logs.put_log_events(logGroupName="/keep", logStreamName="s", logEvents=[
        {"timestamp": int(time.time() * 1000) + i, "message": "before %d" % i}
        for i in range(10)])
    calls.ecs.create_cluster(clusterName="keep")
    calls.ecs.register_task_definition(family="keep", containerDefinitions=[
        {"name": "app", "image": "keep:latest", "memory": 64, "essential": True}])
    calls.ecs.create_service(cluster="keep", serviceName="keep", taskDefinition="keep",
                             desiredCount=0)


def test_disk_full_then_read_only(small_fs, server, tmp_path):
    calls = Calls(server, tmp_path)
    store_first(calls)
    # A clean stop checkpoints SQLite's write-ahead log into the database and deletes it: after
    # the fill, every write needs new blocks (a log that had grown would take a few small writes
    # in space it already has, which is not a failure).
    assert server.stop() == 0
    server.start()
    calls.connect()
    before = calls.stored()

    # ----- disk full
    location = calls.open_upload()
    filler = os.path.join(small_fs.mountpoint, "filler")
    fill(filler)
    assert small_fs.free_bytes() < 64 << 10, small_fs.free_bytes()
    assert_writes_fail(calls, server, location)
    assert calls.stored() == before
    os.unlink(filler)
    assert_writes_succeed(calls, "after-full")
    after_full = calls.stored()
    assert after_full["events"][:len(before["events"])] == before["events"]
    assert len(after_full["images"]) == len(before["images"]) + 1

    # ----- read-only. Written data reaches the disk before the fault (SQLite's WAL is synced at
    # checkpoints only: what a disk loses in its last seconds is not this test's subject).
    location = calls.open_upload()
    os.sync()
    small_fs.make_read_only()
    assert_writes_fail(calls, server, location)
    assert calls.stored() == after_full
    # The server stops cleanly on a read-only disk, and a new one after a fresh mount has it all.
    assert server.stop() == 0, server.read_log()[-3000:]
    small_fs.umount()
    small_fs.mount()
    server.start()
    calls.connect()
    assert calls.stored() == after_full
    assert_writes_succeed(calls, "after-ro")
