#!/usr/bin/env bash
# Prints the path of a python3 that has boto3 and pytest. The machine's default python3 keeps its
# own (newer) boto3; Debian's pytest is added through a .pth file appended after the venv's own
# site-packages, so the newer boto3 still wins.
set -euo pipefail
cd "$(dirname "$0")/.."
if python3 -c 'import boto3, pytest' 2>/dev/null; then
  command -v python3
  exit 0
fi
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv --system-site-packages .venv >&2
fi
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo /usr/lib/python3/dist-packages > "$site/zz-debian-dist-packages.pth"
.venv/bin/python -c 'import boto3, pytest' >&2
echo "$PWD/.venv/bin/python"
