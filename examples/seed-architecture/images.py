#!/usr/bin/env python3
"""Builds the demo's two images as OCI image layouts, without a Docker daemon.

    images.py OUT_DIR frontend:v1 backend:v1 frontend:v2 ...

writes OUT_DIR/<image> as an OCI layout holding one manifest per tag (skopeo then copies
oci:OUT_DIR/<image>:<tag>). The images are put together by hand (tar + gzip + JSON, reproducible
digests, no Docker daemon and no network):

  frontend  the seeds' React "sys-stats" page stand-in: busybox-static (tests/e2e/oci_images.py)
            with httpd on port 80 serving /www/index.html, which shows its version (the tag) and
            polls /stats through the ALB.
  backend   the seeds' Python API: app/backend/app.py on port 8080 with this machine's python3
            and boto3 (tests/e2e/python_image.py; its python layer is built once per OUT_DIR),
            answering GET /stats with the task's CPU and memory read from the task metadata
            endpoint v4 and the hit count it keeps in DynamoDB.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "e2e"))
import oci_images  # noqa: E402
import python_image  # noqa: E402

# One colour per version, so the rolling update is visible in a browser too.
COLORS = {"v1": "#2f6fdf", "v2": "#1e9e55", "v3": "#c2410c"}


def read(*parts):
    with open(os.path.join(HERE, "app", *parts), "rb") as f:
        return f.read()


def frontend(out, tag):
    color = COLORS.get(tag, "#6b21a8")
    page = read("frontend", "index.html").decode()
    page = page.replace("@VERSION@", tag).replace("@COLOR@", color)
    return oci_images.build_busybox_image(
        out, tag=tag, cmd=["httpd", "-f", "-v", "-p", "80", "-h", "/www"],
        extra_files={"/www/index.html": page, "/www/version.txt": tag + "\n"},
        env=["APP_VERSION=" + tag], exposed_ports=[80])


def backend(out, tag):
    layout, _ = python_image.build_python_boto3_image(
        out, tag=tag, files={"/app/app.py": read("backend", "app.py")},
        cmd=["python3", "/app/app.py"], env=["APP_VERSION=" + tag, "PYTHONUNBUFFERED=1"],
        workdir="/app", exposed_ports=[8080])
    return layout


BUILDERS = {"frontend": frontend, "backend": backend}


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out_dir = argv[1]
    for ref in argv[2:]:
        name, _, tag = ref.partition(":")
        if name not in BUILDERS:
            sys.exit("unknown image %r (have: %s)" % (name, ", ".join(BUILDERS)))
        layout = BUILDERS[name](os.path.join(out_dir, name), tag or "latest")
        print("oci:%s:%s" % (layout, tag or "latest"))


if __name__ == "__main__":
    main(sys.argv)
