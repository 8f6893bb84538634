#!/usr/bin/env bash
# Runs every benchmark in bench/ in --smoke mode against ./build/gantry, one after the other:
# tiny counts, the same code paths, a non-zero exit when anything fails. Prints one line per
# bench with its wall time; a failed bench's output follows its line. Writes no results file.
#
#   scripts/bench-smoke.sh [bench ...]     e.g. scripts/bench-smoke.sh sts ecs ecs_wrk
#
# BUILD_DIR (default build) names the build tree; scripts/build.sh must have built it. The
# task and rolling benches need root and print a skip otherwise.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

build=$(realpath "${BUILD_DIR:-build}")
gantry="$build/gantry"
if [[ ! -x $gantry ]]; then
  echo "bench-smoke: $gantry not found; run scripts/build.sh first" >&2
  exit 2
fi

benches=("$@")
if [[ ${#benches[@]} -eq 0 ]]; then
  benches=(sts ecs ecs_wrk ecr alb task rolling load logs_metric_filter scaling iam ssm secrets dynamodb)
fi

log=$(mktemp -d /tmp/bench-smoke.XXXXXX)
trap 'rm -rf "$log"' EXIT
failed=()
results_sum=$(sha256sum bench/RESULTS.md)
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
t_all=$EPOCHREALTIME
for b in "${benches[@]}"; do
  script="bench/${b}_bench.py"
  if [[ ! -f $script ]]; then
    echo "bench-smoke: no $script" >&2
    exit 2
  fi
  t0=$EPOCHREALTIME
  args=(--gantry-bin "$gantry")
  [[ $b == alb ]] && args=(--build-dir "$build")  # the proxy alone, through its harness
  python3 "$script" --smoke "${args[@]}" >"$log/$b.out" 2>&1
  rc=$?
  secs=$(since "$t0")
  if [[ $rc -eq 0 ]]; then
    status=ok
    if grep -q '^skip:' "$log/$b.out"; then
      status="skipped ($(grep -m1 '^skip:' "$log/$b.out" | cut -c7-))"
    fi
    notes=$(grep '^note:' "$log/$b.out" | cut -c7- | paste -sd ';' -)
    printf '%-8s %-4s %6s s%s\n' "$b" "$status" "$secs" "${notes:+  ($notes)}"
  else
    printf '%-8s FAIL %6s s (exit %d); its output ends:\n' "$b" "$secs" "$rc"
    tail -n 40 "$log/$b.out" | sed 's/^/    /'
    failed+=("$b")
  fi
done
printf 'total    %11s s\n' "$(since "$t_all")"
if [[ $(sha256sum bench/RESULTS.md) != "$results_sum" ]]; then
  echo "bench-smoke: a smoke run changed bench/RESULTS.md" >&2
  failed+=(results)
fi
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "bench-smoke: failed: ${failed[*]}" >&2
  exit 1
fi
