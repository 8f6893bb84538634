#!/usr/bin/env bash
# Configures and builds Gantry (RelWithDebInfo, Ninja, ccache) into ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build "$@"
