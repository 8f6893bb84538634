#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan, ./build-san) and runs one or all of them.
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     e.g. scripts/fuzz.sh sigv4 60
# TARGET is a fuzz/<TARGET>_fuzz.cc (all: each in turn); each runs SECONDS (default 600) over its
# committed seeds (fuzz/corpus/<TARGET>, read only) and a scratch corpus outside the repository
# ($GANTRY_FUZZ_WORK/<TARGET>/corpus, default /var/tmp/gantry-fuzz) that keeps what it learns.
# Prints one summary line per target; exits 1 on a finding and prints where its input is.
# Reproduce a finding: build-san/fuzz/<TARGET>_fuzz <crash-file>.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-all}
seconds=${2:-600}
work=${GANTRY_FUZZ_WORK:-/var/tmp/gantry-fuzz}

targets=()
for f in fuzz/*_fuzz.cc; do
  name=$(basename "$f" _fuzz.cc)
  [[ $target == all || $target == "$name" ]] && targets+=("$name")
done
if ((${#targets[@]} == 0)); then
  echo "fuzz.sh: no target $target (have: $(ls fuzz/*_fuzz.cc | xargs -n1 basename | sed 's/_fuzz.cc//' | tr '\n' ' '))" >&2
  exit 2
fi

# GANTRY_FUZZ_NO_BUILD=1: run what build-san has (for runs in parallel with a build or each other).
[[ -n ${GANTRY_FUZZ_NO_BUILD:-} ]] || scripts/sanitize.sh build "${targets[@]/%/_fuzz}"

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:suppressions=$PWD/tools/sanitizers/asan.supp"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$PWD/tools/sanitizers/ubsan.supp"
export LSAN_OPTIONS="suppressions=$PWD/tools/sanitizers/lsan.supp"
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/bin/llvm-symbolizer-14}

status=0
for name in "${targets[@]}"; do
  dir=$work/$name
  mkdir -p "$dir/corpus" "$dir/artifacts" "fuzz/corpus/$name"
  log=$dir/run-$(date -u +%Y%m%dT%H%M%SZ).log
  args=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1
        -artifact_prefix="$dir/artifacts/")
  [[ -f fuzz/$name.dict ]] && args+=(-dict="fuzz/$name.dict")
  # layer_unpacker_fuzz sandboxes itself as root: all read-only but its tmpfs and this directory.
  mkdir -p "$dir/unpack"
  export GANTRY_FUZZ_TMP=$dir/unpack GANTRY_FUZZ_WRITABLE=$dir
  echo "fuzz.sh: $name for ${seconds}s, log $log"
  rc=0
  touch "$dir/.start"
  "build-san/fuzz/${name}_fuzz" "${args[@]}" "$dir/corpus" "fuzz/corpus/$name" \
    >"$log" 2>&1 || rc=$?
  rmdir "$dir"/unpack/* 2>/dev/null || true  # the sandbox's tmpfs mount points
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "$dir/corpus" "fuzz/corpus/$name" -type f | wc -l)
  echo "fuzz.sh: $name: ${seconds}s, ${execs:-?} execs, ${rate:-?} exec/s, corpus $corpus, exit $rc"
  if ((rc != 0)); then
    status=1
    crash=$(find "$dir/artifacts" -type f -newer "$dir/.start" | head -1)
    grep -m1 -E "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:" "$log" || true
    echo "fuzz.sh: FINDING in $name: input ${crash:-?}, log $log" >&2
    echo "fuzz.sh: reproduce: build-san/fuzz/${name}_fuzz ${crash:-<input>}" >&2
  fi
done
exit $status
