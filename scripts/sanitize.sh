#!/usr/bin/env bash
# The ASan+UBSan build (clang, ./build-san, shared with scripts/fuzz.sh) and the suites run on it.
#   scripts/sanitize.sh            unit and privileged tests, then the e2e suite (long: 10+ min)
#   scripts/sanitize.sh unit       unit tests, and the privileged ones when run as root
#   scripts/sanitize.sh e2e [ARGS] the e2e suite (or pytest ARGS) against build-san/gantry
#   scripts/sanitize.sh build [TARGET...]   configure and build only (everything by default)
#   scripts/sanitize.sh tsan [TEST...]      ThreadSanitizer (./build-tsan): the unit tests of the
#                                  threaded code (reconcile, data plane, http, ec2 netplane sync)
# A sanitizer report fails the test that triggered it (halt_on_error). Known false positives from
# libraries go in tools/sanitizers/*.supp, each with the reason; no check is turned off globally.
# gantry-init is not instrumented (see CMakeLists.txt: it is linked -static).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

build() {
  scripts/install-deps.sh
  cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-14 -DGANTRY_SANITIZE=ON -DGANTRY_FUZZ=ON >/dev/null
  nice ninja -C build-san -j "${GANTRY_JOBS:-2}" "$@"
}

# leaks: 1 to report leaks at exit (unit tests), 0 for the server (it exits on a signal with
# live state, and its children are exec'd or _exit).
sanitizer_env() {
  local leaks=$1 supp=$root/tools/sanitizers
  export ASAN_OPTIONS="halt_on_error=1:detect_leaks=$leaks:check_initialization_order=1:strict_init_order=1:suppressions=$supp/asan.supp"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp"
  export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/bin/llvm-symbolizer-14}
}

unit() {
  build
  sanitizer_env 1
  local status=0
  (cd build-san && ctest -L unit -j "${GANTRY_JOBS:-2}" --output-on-failure) || status=1
  if [[ $(id -u) == 0 ]]; then
    (cd build-san && ctest -L privileged -j 1 --output-on-failure) || status=1
  else
    echo "sanitize.sh: not root, privileged tests skipped"
  fi
  return $status
}

# Reports also go to files (log_path), so that one from a process whose output nobody reads (a
# detached gantry-shim, a server a test killed) is not lost: any file there fails the run.
e2e() {
  build gantry gantry-shim gantry-init
  sanitizer_env 0
  local reports=$root/build-san/e2e-reports/$(date -u +%Y%m%dT%H%M%S) status=0
  mkdir -p "$reports"
  ASAN_OPTIONS+=":log_path=$reports/asan" UBSAN_OPTIONS+=":log_path=$reports/ubsan" \
    GANTRY_BIN=$root/build-san/gantry scripts/pytest.sh -q "${@:-tests/e2e}" || status=1
  if compgen -G "$reports/*" >/dev/null; then
    echo "sanitize.sh: sanitizer reports in $reports:" >&2
    head -n 60 "$reports"/* >&2
    status=1
  fi
  return $status
}

# ThreadSanitizer cannot be combined with ASan: its own tree, and only the tests of code that runs
# threads of its own. A run reports every race (halt_on_error=0) and fails if there was one.
TSAN_TESTS=(work_queue_test controller_test connection_table_test server_test alb_proxy_test
            alb_slow_start_test alb_stickiness_test alb_target_picker_test health_checker_test
            load_balancer_nodes_test rule_matcher_test target_selector_test ec2_netplane_sync_test)
tsan() {
  local tests=("${@:-${TSAN_TESTS[@]}}") status=0 t bin
  scripts/install-deps.sh
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-14 -DGANTRY_SANITIZE=thread >/dev/null
  nice ninja -C build-tsan -j "${GANTRY_JOBS:-2}" "${tests[@]}"
  export TSAN_OPTIONS="halt_on_error=0:second_deadlock_stack=1:exitcode=66:suppressions=$root/tools/sanitizers/tsan.supp"
  export TSAN_SYMBOLIZER_PATH=${TSAN_SYMBOLIZER_PATH:-/usr/bin/llvm-symbolizer-14}
  for t in "${tests[@]}"; do
    bin=$(find build-tsan/src -name "$t" -type f -perm -u+x | head -n 1)
    if (cd "$(dirname "$bin")" && "./$t" --gtest_brief=1); then
      echo "sanitize.sh tsan: $t passed"
    else
      echo "sanitize.sh tsan: $t FAILED (exit $?)" >&2
      status=1
    fi
  done
  return $status
}

case "${1:-all}" in
  build) shift; build "$@" ;;
  unit) unit ;;
  e2e) shift; e2e "$@" ;;
  tsan) shift; tsan "$@" ;;
  all) status=0; unit || status=1; e2e || status=1; exit $status ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
