#!/usr/bin/env bash
# Quick start, command 1: install dependencies, build, and run Gantry in the foreground on
# 127.0.0.1:4566 with its state in ./.gantry. Extra arguments go to the gantry binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh gantry
exec ./build/gantry --listen "${GANTRY_LISTEN:-127.0.0.1:4566}" --data-dir "${GANTRY_DATA_DIR:-.gantry}" "$@"
