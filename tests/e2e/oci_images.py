"""Builds OCI image layouts for tests and benchmarks, without Docker, buildah or network.

Everything is written by hand (tar + gzip + JSON), so images are reproducible: building the same
image twice gives the same digests. Reusable by any test:

    from oci_images import build_busybox_image
    layout = build_busybox_image(tmp_path / "img", cmd=["httpd", "-f", "-p", "8080"],
                                 extra_files={"/www/index.html": "hello"})
    subprocess.run(["skopeo", "copy", "--dest-tls-verify=false",
                    "oci:%s:latest" % layout, "docker://127.0.0.1:%d/web:latest" % port])

An image layout (https://github.com/opencontainers/image-spec/blob/main/image-layout.md) is a
directory with oci-layout, index.json and blobs/sha256/<hex>; each manifest in index.json carries
its tag in the org.opencontainers.image.ref.name annotation, which is what `oci:<dir>:<tag>`
names in skopeo.
"""
import gzip
import hashlib
import io
import json
import os
import tarfile

BUSYBOX = "/bin/busybox"
# Applets linked into /bin so that a task definition can run "sh", "httpd", ... directly.
APPLETS = ["sh", "ash", "cat", "echo", "env", "false", "hostname", "httpd", "id", "ls", "mkdir",
           "nc", "ps", "sleep", "sync", "true", "wget", "touch", "rm", "cp", "mv", "test",
           "printf", "date", "uname", "kill", "grep", "head", "tail", "wc", "ip", "ifconfig"]

MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
MEDIA_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar"
REF_NAME = "org.opencontainers.image.ref.name"
MTIME = 1700000000  # fixed, for reproducible layers


def _digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Layout:
    """An OCI image layout being written at `path`."""

    def __init__(self, path):
        self.path = str(path)
        os.makedirs(os.path.join(self.path, "blobs", "sha256"), exist_ok=True)
        with open(os.path.join(self.path, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)
        index_path = os.path.join(self.path, "index.json")
        if os.path.exists(index_path):
            with open(index_path) as f:
                self.index = json.load(f)
        else:
            self.index = {"schemaVersion": 2, "mediaType": MEDIA_INDEX, "manifests": []}

    def add_blob(self, data):
        digest = _digest(data)
        p = os.path.join(self.path, "blobs", "sha256", digest[7:])
        if not os.path.exists(p):
            with open(p, "wb") as f:
                f.write(data)
        return digest

    def add_blob_file(self, src_path):
        """Moves an already written file into the layout; returns (digest, size)."""
        h = hashlib.sha256()
        with open(src_path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        digest = "sha256:" + h.hexdigest()
        dst = os.path.join(self.path, "blobs", "sha256", digest[7:])
        os.replace(src_path, dst)
        return digest, os.path.getsize(dst)

    def blob(self, digest):
        with open(os.path.join(self.path, "blobs", "sha256", digest[7:]), "rb") as f:
            return f.read()

    def add_json(self, obj):
        data = json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()
        return self.add_blob(data), len(data)

    def tag(self, tag, media_type, digest, size, platform=None):
        self.index["manifests"] = [m for m in self.index["manifests"]
                                   if m.get("annotations", {}).get(REF_NAME) != tag]
        desc = {"mediaType": media_type, "digest": digest, "size": size,
                "annotations": {REF_NAME: tag}}
        if platform:
            desc["platform"] = platform
        self.index["manifests"].append(desc)
        with open(os.path.join(self.path, "index.json"), "w") as f:
            json.dump(self.index, f)


def _tar_bytes(entries):
    """entries: list of (path, kind, payload, mode); kind is 'file', 'dir' or 'symlink'."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, kind, payload, mode in entries:
            info = tarfile.TarInfo(path.lstrip("/"))
            info.mtime = MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = mode or 0o755
                tar.addfile(info)
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = payload
                info.mode = 0o777
                tar.addfile(info)
            else:
                data = payload if isinstance(payload, bytes) else payload.encode()
                info.size = len(data)
                info.mode = mode or 0o644
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _parents(path):
    parts = path.strip("/").split("/")[:-1]
    return ["/".join(parts[:i + 1]) for i in range(len(parts))]


def _files_entries(files):
    entries, dirs = [], set()
    for path, content in sorted(files.items()):
        for d in _parents(path):
            if d not in dirs:
                dirs.add(d)
                entries.append((d, "dir", None, 0o755))
        mode = 0o755 if path.startswith("/bin/") or path.endswith(".sh") else 0o644
        entries.append((path, "file", content, mode))
    return entries


def _write_image(layout, layers, config_extra, arch, tag, platform_in_index=True):
    """layers: list of (uncompressed_tar_bytes, compress). Returns the manifest descriptor."""
    layer_descs, diff_ids = [], []
    for tar_data, compress in layers:
        diff_ids.append(_digest(tar_data))
        # compress: False, True (level 6) or a gzip level
        level = 6 if compress is True else int(compress)
        blob = gzip.compress(tar_data, compresslevel=level, mtime=0) if compress else tar_data
        layer_descs.append({"mediaType": MEDIA_LAYER_GZIP if compress else MEDIA_LAYER_TAR,
                            "digest": layout.add_blob(blob), "size": len(blob)})
    return write_manifest(layout, layer_descs, diff_ids, config_extra, tag, arch=arch,
                          platform_in_index=platform_in_index)


def write_manifest(layout, layer_descs, diff_ids, config_extra, tag, arch="amd64",
                   platform_in_index=True, created_by="oci_images.py"):
    """The image config and manifest over layers already in `layout` (their descriptors and
    diff ids), tagged `tag` when given. Returns the manifest descriptor."""
    config = {
        "architecture": arch, "os": "linux",
        "created": "2023-11-14T22:13:20Z",
        "config": config_extra,
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "2023-11-14T22:13:20Z", "created_by": created_by}
                    for _ in layer_descs],
    }
    config_digest, config_size = layout.add_json(config)
    manifest = {"schemaVersion": 2, "mediaType": MEDIA_MANIFEST,
                "config": {"mediaType": MEDIA_CONFIG, "digest": config_digest,
                           "size": config_size},
                "layers": layer_descs}
    digest, size = layout.add_json(manifest)
    desc = {"mediaType": MEDIA_MANIFEST, "digest": digest, "size": size,
            "platform": {"architecture": arch, "os": "linux"}}
    if tag:
        layout.tag(tag, MEDIA_MANIFEST, digest, size,
                   desc["platform"] if platform_in_index else None)
    return desc


def busybox_rootfs_tar():
    with open(BUSYBOX, "rb") as f:
        busybox = f.read()
    entries = [("bin", "dir", None, 0o755), ("etc", "dir", None, 0o755),
               ("tmp", "dir", None, 0o1777), ("proc", "dir", None, 0o555),
               ("sys", "dir", None, 0o555), ("dev", "dir", None, 0o755),
               ("bin/busybox", "file", busybox, 0o755)]
    entries += [("bin/" + a, "symlink", "busybox", 0) for a in APPLETS]
    entries += [("etc/passwd", "file", "root:x:0:0:root:/root:/bin/sh\n"
                 "nobody:x:65534:65534:nobody:/:/bin/false\n", 0o644),
                ("etc/group", "file", "root:x:0:\nnogroup:x:65534:\n", 0o644)]
    return _tar_bytes(entries)


def build_busybox_image(dest, cmd=None, extra_files=None, entrypoint=None, env=None,
                        workdir=None, exposed_ports=None, arch="amd64", tag="latest"):
    """An image of /bin/busybox (static) with applet symlinks; `extra_files` ({path: str|bytes})
    go into a second layer. Returns the layout path (use it as oci:<path>:<tag>)."""
    layout = Layout(dest)
    layers = [(busybox_rootfs_tar(), True)]
    if extra_files:
        layers.append((_tar_bytes(_files_entries(extra_files)), True))
    cfg = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
           + list(env or [])}
    if cmd is not None:
        cfg["Cmd"] = list(cmd)
    if entrypoint is not None:
        cfg["Entrypoint"] = list(entrypoint)
    if workdir:
        cfg["WorkingDir"] = workdir
    if exposed_ports:
        cfg["ExposedPorts"] = {("%s/tcp" % p if "/" not in str(p) else p): {}
                               for p in exposed_ports}
    _write_image(layout, layers, cfg, arch, tag)
    return layout.path


def build_multiarch_image(dest, tag="multi", arches=("amd64", "arm64"), cmd=("sh",)):
    """An OCI image index over one busybox image per architecture (the binary is the host's; only
    the metadata differs). Children are untagged; the index carries `tag`."""
    layout = Layout(dest)
    rootfs = busybox_rootfs_tar()
    children = []
    for arch in arches:
        marker = _tar_bytes([("etc/arch", "file", arch + "\n", 0o644)])
        children.append(_write_image(layout, [(rootfs, True), (marker, True)],
                                     {"Cmd": list(cmd)}, arch, None))
    index = {"schemaVersion": 2, "mediaType": MEDIA_INDEX, "manifests": children}
    digest, size = layout.add_json(index)
    layout.tag(tag, MEDIA_INDEX, digest, size)
    return layout.path


def build_random_image(dest, layer_sizes, tag="latest", seed=0):
    """An image whose layers hold incompressible bytes, `layer_sizes` bytes each (benchmarks).
    Layers are stored gzipped (at level 1), as registries expect, so that skopeo pushes them as
    they are instead of compressing them itself: the benchmark then measures transfer, not the
    client's gzip."""
    layout = Layout(dest)
    layers = []
    for i, size in enumerate(layer_sizes):
        data = _random_bytes(size, seed * 1000 + i)
        layers.append((_tar_bytes([("data/layer%d.bin" % i, "file", data, 0o644)]), 1))
    _write_image(layout, layers, {"Cmd": ["sh"]}, "amd64", tag)
    return layout.path


def _random_bytes(size, seed):
    # SHAKE-256 as a seeded stream: fast, reproducible, incompressible.
    return hashlib.shake_256(b"gantry-oci-images-%d" % seed).digest(size)


def manifest_of(layout_path, tag):
    """(descriptor, bytes) of the manifest or index tagged `tag` in a layout."""
    with open(os.path.join(str(layout_path), "index.json")) as f:
        index = json.load(f)
    for m in index["manifests"]:
        if m.get("annotations", {}).get(REF_NAME) == tag:
            with open(os.path.join(str(layout_path), "blobs", "sha256", m["digest"][7:]),
                      "rb") as f:
                return m, f.read()
    raise KeyError(tag)


def blob_digests(layout_path):
    """Every blob digest stored in a layout."""
    d = os.path.join(str(layout_path), "blobs", "sha256")
    return {"sha256:" + n for n in os.listdir(d)}
