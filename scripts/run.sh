#!/usr/bin/env bash
# Quick start, command 1: install dependencies, build, start Gantry on 127.0.0.1:4566 with its
# state in ./.gantry, deploy the seed-architecture demo with CloudFormation
# (examples/seed-architecture/deploy-cfn.sh: images built here and pushed to ECR, then a network
# stack with a VPC and an app stack with an ALB, two ECS services and a DynamoDB table) and print
# its URL; then roll both services to v2 with a second `aws cloudformation deploy` while requests
# go through the ALB. The server then stays in the foreground until Ctrl-C, which stops it with
# SIGTERM (running tasks outlive it and are re-adopted at the next start). Extra arguments go to
# the gantry binary.
#
# Environment: GANTRY_LISTEN (127.0.0.1:4566), GANTRY_DATA_DIR (.gantry), GANTRY_ALB_PORT_OFFSET
# (0: the demo's ALB listens on port 80), SEED_DEMO=0 to skip the demo or SEED_DEMO=api to deploy
# it with API calls instead (examples/seed-architecture/deploy.sh), SEED_DEMO_ARGS for the deploy
# script (deploy-cfn.sh: e.g. "--no-update" or "--public-tasks"; deploy.sh: "--first-run-trap",
# "--no-update").
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh gantry

listen="${GANTRY_LISTEN:-127.0.0.1:4566}"
data_dir="${GANTRY_DATA_DIR:-.gantry}"
mkdir -p "$data_dir"
log="$data_dir/gantry.log"
host=${listen%:*}
[[ $host == 0.0.0.0 || -z $host ]] && host=127.0.0.1
endpoint="http://$host:${listen##*:}"

if curl -sf --max-time 2 "$endpoint/_gantry/health" >/dev/null 2>&1; then
  echo "something already serves $endpoint (another gantry?); stop it or set GANTRY_LISTEN" >&2
  exit 1
fi
./build/gantry --listen "$listen" --data-dir "$data_dir" "$@" >>"$log" 2>&1 &
server=$!
demo=""
stop() {
  trap - INT TERM
  [[ -n $demo ]] && kill -TERM "$demo" 2>/dev/null
  if kill -0 "$server" 2>/dev/null; then
    echo >&2
    echo "stopping gantry (pid $server)" >&2
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  exit 0
}
trap stop INT TERM

for _ in $(seq 1 100); do
  curl -sf "$endpoint/_gantry/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { tail -n 20 "$log" >&2; echo "gantry did not start" >&2; exit 1; }
  sleep 0.1
done
echo "gantry is running on $endpoint (pid $server, log $log)" >&2

if [[ ${SEED_DEMO:-1} != 0 && $EUID -ne 0 ]]; then
  echo "not root: skipping the demo, whose tasks are real containers (SEED_DEMO=0 hides this)" >&2
elif [[ ${SEED_DEMO:-1} != 0 ]]; then
  export GANTRY_ENDPOINT="$endpoint"
  # In the background, so that a signal stops the server at once rather than after the demo.
  demo_script=(examples/seed-architecture/deploy-cfn.sh --roll v2)
  teardown=examples/seed-architecture/teardown-cfn.sh
  if [[ ${SEED_DEMO:-1} == api ]]; then
    demo_script=(examples/seed-architecture/deploy.sh)
    teardown=examples/seed-architecture/teardown.sh
  fi
  # shellcheck disable=SC2086
  "${demo_script[@]}" ${SEED_DEMO_ARGS:-} &
  demo=$!
  if ! wait "$demo"; then
    echo "the demo did not deploy (see above); gantry keeps running" >&2
  fi
  demo=""
fi

cat >&2 <<EOF

Gantry serves the AWS APIs on $endpoint; for example:
  aws --endpoint-url $endpoint ecs list-services --cluster seed
  curl -s $endpoint/_gantry/health
The AWS CLI wants a region and credentials (any keys do); in a shell that has none, first:
  export AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
Remove the demo: ${teardown:-examples/seed-architecture/teardown-cfn.sh}   (or: curl -X POST $endpoint/_gantry/reset)
Ctrl-C stops the server.
EOF
wait "$server"
