#!/usr/bin/env bash
# Installs everything Gantry needs to build, run and test, from Debian's packages only.
# Idempotent: apt-get skips what is already there.
set -euo pipefail
pkgs=(
  # build
  build-essential cmake ninja-build ccache pkg-config python3
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-program-options1.81-dev
  libsqlite3-dev sqlite3 libssl-dev libyaml-cpp-dev libcbor-dev libpugixml-dev zlib1g-dev libre2-dev
  libhowardhinnant-date-dev  # IANA time zones (Application Auto Scaling's scheduled actions)
  libgtest-dev libgmock-dev libbenchmark-dev
  # sanitizer and fuzzing builds (scripts/sanitize.sh, scripts/fuzz.sh): clang, libFuzzer, symbolizer
  clang-14 libclang-rt-14-dev llvm-14
  # runtime and tests
  curl procps iproute2 python3-pytest python3-botocore python3-boto3 awscli
  python3-pytest-xdist  # the e2e suite runs its files on two workers (scripts/test.sh)
  python3-cryptography  # e2e: test_sts.py signs its own OIDC tokens (RS256)
  # images and containers: push/pull clients, layer unpacking, the OCI runtime, networking
  skopeo umoci libarchive-dev runc libnftables-dev libnl-route-3-dev nftables busybox-static
  conntrack libnss-myhostname tini
  # benchmark peers: Docker's registry, podman, HAProxy and nginx, and the wrk load generator
  docker-registry podman haproxy nginx-light wrk
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || true
  # The benchmark peers are started by the benchmarks themselves: keep their packages from
  # starting system services (port 80, 5000) while they install.
  policy=/usr/sbin/policy-rc.d
  had_policy=0
  [[ -e $policy ]] && had_policy=1
  ((had_policy)) || { printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"; }
  apt-get install -y -qq --no-install-recommends "${missing[@]}" || status=$?
  ((had_policy)) || rm -f "$policy"
  (( ${status:-0} == 0 )) || exit "$status"
fi
