"""An OCI image with a real AWS SDK inside: the host's Debian python3 and its boto3 (the packages
python3 and python3-boto3 that scripts/install-deps.sh installs), copied into one layer the way
oci_images.py writes its busybox images, without Docker or network.

    from python_image import build_python_boto3_image
    layout, stats = build_python_boto3_image(tmp_path / "py")   # oci:<layout>:latest

The layer holds /usr/bin/python3.X (and a python3 link), every shared library that ldd lists
for it and for the standard library's extension modules (with the dynamic loader), the standard
library without its tests, IDLE, tkinter and bytecode caches, and the packages boto3, botocore
(only the sts, ssm, secretsmanager and logs models besides botocore's own data files), dateutil,
jmespath, urllib3, s3transfer, six and requests with its dependencies (Debian's botocore imports
requests) from /usr/lib/python3/dist-packages. `stats` gives the build time in seconds and the
layer's sizes: about 18 s on a loaded 2-core machine, 42 MB (16 MB gzipped) with Debian
bookworm's python3.11 and boto3 1.26.
"""
import glob
import io
import json
import os
import re
import subprocess
import tarfile
import time

from oci_images import MTIME, Layout, _write_image

DIST = "/usr/lib/python3/dist-packages"
PACKAGES = ["boto3", "botocore", "dateutil", "jmespath", "urllib3", "s3transfer", "six.py",
            "requests", "idna", "chardet", "charset_normalizer", "certifi"]
BOTOCORE_SERVICES = {"sts", "ssm", "secretsmanager", "logs"}
STDLIB_SKIP = {"test", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "pydoc_data",
               "__pycache__", "unittest", "distutils"}


def _python():
    return os.path.realpath("/usr/bin/python3")


def _libraries(binaries):
    """The shared objects (and the loader) that `binaries` need, as ldd resolves them."""
    libs = set()
    for b in binaries:
        out = subprocess.run(["ldd", b], capture_output=True, text=True).stdout
        for line in out.splitlines():
            m = re.search(r"=>\s*(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
            if m:
                libs.add(m.group(1))
    return libs


def _stdlib_files(stdlib):
    for root, dirs, files in os.walk(stdlib):
        rel = os.path.relpath(root, stdlib)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in STDLIB_SKIP and not d.startswith("config-")]
        else:
            dirs[:] = [d for d in dirs if d not in ("__pycache__", "test", "tests")]
        for f in files:
            yield os.path.join(root, f)


def _package_files():
    data = os.path.join(DIST, "botocore", "data")
    for p in PACKAGES:
        path = os.path.join(DIST, p)
        if os.path.isfile(path):
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if d != "__pycache__"
                       and not (root == data and d not in BOTOCORE_SERVICES)]
            for f in files:
                yield os.path.join(root, f)


def _layer(python, stdlib, libs):
    buf = io.BytesIO()
    seen_dirs = set()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        def add_dirs(path):
            parts = path.strip("/").split("/")[:-1]
            for i in range(len(parts)):
                d = "/".join(parts[:i + 1])
                if d in seen_dirs:
                    continue
                seen_dirs.add(d)
                info = tarfile.TarInfo(d)
                info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, MTIME
                tar.addfile(info)

        def add_file(src, dest=None, mode=None):
            dest = dest or src
            add_dirs(dest)
            with open(src, "rb") as f:
                data = f.read()
            info = tarfile.TarInfo(dest.lstrip("/"))
            info.size, info.mtime = len(data), MTIME
            info.mode = mode if mode is not None else (os.stat(src).st_mode & 0o777)
            tar.addfile(info, io.BytesIO(data))

        for d in ("/tmp/", "/etc/", "/proc/", "/sys/", "/dev/"):
            add_dirs(d + "x")
        add_file(python, mode=0o755)
        link = tarfile.TarInfo("usr/bin/python3")
        link.type, link.linkname, link.mtime = tarfile.SYMTYPE, os.path.basename(python), MTIME
        tar.addfile(link)
        for lib in sorted(libs):
            add_file(os.path.realpath(lib), dest=lib, mode=0o755)  # dereferenced, at ldd's path
        for f in sorted(_stdlib_files(stdlib)):
            if not os.path.islink(f):
                add_file(f)
        for f in sorted(_package_files()):
            if not os.path.islink(f):
                add_file(f)
        passwd = b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"
        info = tarfile.TarInfo("etc/passwd")
        info.size, info.mtime, info.mode = len(passwd), MTIME, 0o644
        tar.addfile(info, io.BytesIO(passwd))
    return buf.getvalue()


def build_python_boto3_image(dest, tag="latest"):
    """Writes the layout at `dest` (reused when it already holds `tag`). Returns (path, stats)."""
    started = time.monotonic()
    layout = Layout(dest)
    if any(m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag
           for m in layout.index["manifests"]):
        return layout.path, {"cached": True}
    python = _python()
    version = os.path.basename(python)[len("python"):]  # "3.11"
    stdlib = "/usr/lib/python" + version
    dynload = glob.glob(os.path.join(stdlib, "lib-dynload", "*.so"))
    libs = _libraries([python] + dynload)
    tar_data = _layer(python, stdlib, libs)
    cfg = {"Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE=1"],
           "Cmd": ["python3"]}
    desc = _write_image(layout, [(tar_data, 1)], cfg, "amd64", tag)
    layer_size = json.loads(layout.blob(desc["digest"]))["layers"][0]["size"]
    return layout.path, {"cached": False, "seconds": round(time.monotonic() - started, 2),
                         "layer_bytes": len(tar_data), "layer_gzip_bytes": layer_size,
                         "python": python}


if __name__ == "__main__":
    import sys
    import tempfile
    out = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="py-image-")
    print(build_python_boto3_image(out))
