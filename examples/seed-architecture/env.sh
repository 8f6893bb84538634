# shellcheck shell=bash
# Sourced by the demo's scripts: where Gantry is, dummy credentials, and small helpers (among
# them the request loop that deploy.sh and deploy-cfn.sh run through a rolling update).
#   GANTRY_ENDPOINT   the API endpoint (default http://127.0.0.1:4566)
#   GANTRY_ALB_PORT_OFFSET   the server's ALB port offset (default 0: listener port 80 is port 80)
GANTRY_ENDPOINT="${GANTRY_ENDPOINT:-http://127.0.0.1:4566}"
GANTRY_ALB_PORT_OFFSET="${GANTRY_ALB_PORT_OFFSET:-0}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${SEED_REGION:-us-east-1}"
export AWS_PAGER=""
unset AWS_PROFILE AWS_SESSION_TOKEN
SEED_REGISTRY="${GANTRY_ENDPOINT#*://}"
SEED_REGISTRY="${SEED_REGISTRY%%/*}"

aws_() { aws --endpoint-url "$GANTRY_ENDPOINT" --region "$AWS_DEFAULT_REGION" "$@"; }
if [[ -t 2 ]]; then _bold=$'\033[1m' _plain=$'\033[0m'; else _bold="" _plain=""; fi
say() { printf '%s==> %s %s%s\n' "$_bold" "$(date +%T)" "$*" "$_plain" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# alb_url <DNS name>: a load balancer's listener port 80 as this machine reaches it.
alb_url() {
  local port=$((80 + GANTRY_ALB_PORT_OFFSET))
  if ((port == 80)); then echo "http://$1"; else echo "http://$1:$port"; fi
}

# rollout_requests <url> <old tag> <new tag> <every> <command...>: GETs <url>/version.txt (the
# frontend's tag) through the load balancer, about ten times a second, until <command> succeeds
# (tried every <every> requests) or WAIT_SECONDS (600) pass. Then prints "during the rollout: N
# requests answered (a <old>, b <new>), F failed"; a rollout behind a load balancer fails none.
rollout_requests() {
  local url=$1 old=$2 new=$3 every=$4 n=0 ok=0 failed=0 a=0 b=0 body
  local deadline=$((SECONDS + ${WAIT_SECONDS:-600}))
  shift 4
  while ((SECONDS < deadline)); do
    body=$(curl -s --max-time 5 -w '\n%{http_code}' "$url/version.txt" || true)
    if [[ ${body##*$'\n'} != 200 ]]; then
      failed=$((failed + 1))
    elif [[ $body == "$new"$'\n'* ]]; then
      ok=$((ok + 1)) b=$((b + 1))
    else
      ok=$((ok + 1)) a=$((a + 1))
    fi
    n=$((n + 1))
    if ((n % every == 0)) && "$@"; then
      break
    fi
    sleep 0.1
  done
  printf '   during the rollout: %d requests answered (%d %s, %d %s), %d failed\n' \
    "$ok" "$a" "$old" "$b" "$new" "$failed" >&2
}
