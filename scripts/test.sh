#!/usr/bin/env bash
# Quick start, command 2: install dependencies, build, and run every test: unit tests (CTest
# label `unit`), privileged tests when root (label `privileged`), the end-to-end suite (pytest +
# boto3 + the AWS CLI against the real binary; it includes test_main_job.py, which runs command 1,
# scripts/run.sh, as a user does), and every benchmark in its --smoke mode.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo "== unit tests"
ctest --test-dir build --output-on-failure -j2 -L unit
if [[ $(id -u) == 0 ]] && ctest --test-dir build -N -L privileged | grep -q 'Total Tests: [1-9]'; then
  echo "== privileged tests"
  ctest --test-dir build --output-on-failure -L privileged
fi
echo "== end-to-end tests"
# Two workers, each with its own server; a file's tests stay together on one worker (they share
# module fixtures: servers, images, networks). E2E_WORKERS=0 runs them in this process instead.
GANTRY_BIN="$PWD/build/gantry" scripts/pytest.sh -q -n "${E2E_WORKERS:-2}" --dist loadfile \
  tests/e2e "$@"
echo "== benchmarks (--smoke)"
scripts/bench-smoke.sh
