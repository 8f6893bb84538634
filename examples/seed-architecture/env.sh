# shellcheck shell=bash
# Sourced by the demo's scripts: where Gantry is, dummy credentials, and small helpers.
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
