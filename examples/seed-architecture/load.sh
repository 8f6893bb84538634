#!/usr/bin/env bash
# Shows the seeds' autoscaling at work on the deployed demo (deploy.sh or deploy-cfn.sh first):
# CPU load on the backend through the ALB (GET /stats/burn) until its target tracking policy
# (70 % CPU) has added tasks and they serve requests; then no load until the service is back at 2
# tasks. Prints the service's counts as it goes, then the scaling activities and the alarms'
# state changes.
#
#   load.sh [CLIENTS]    CLIENTS concurrent request loops (default 6)
#
# AWS's timing applies: the high alarm needs 3 one-minute datapoints over 70 %, the low one 15
# under 63 %, plus the cooldowns (60 s out, 120 s in), so a whole run takes about 25 minutes.
# Start the server with --time-scale 60 (scripts/run.sh --time-scale 60) and it takes one or
# two. Environment: GANTRY_ENDPOINT, GANTRY_ALB_PORT_OFFSET, WAIT_SECONDS (bounds each phase,
# default 1800), BURN_MS (CPU milliseconds the backend burns per request, default 200).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=examples/seed-architecture/env.sh
source "$here/env.sh"
clients=${1:-6}
CLUSTER=seed SERVICE=seed-backend
RESOURCE="service/$CLUSTER/$SERVICE"
started=$SECONDS

text() { local v; v=$(aws_ "$@" --output text); [[ $v == None ]] && v=""; printf '%s' "$v"; }
DNS=$(text elbv2 describe-load-balancers --names seed-alb --query 'LoadBalancers[0].DNSName' 2>/dev/null) ||
  die "no load balancer seed-alb: run deploy.sh or deploy-cfn.sh first"
URL=$(alb_url "$DNS")
TG=$(text elbv2 describe-target-groups --names seed-backend --query 'TargetGroups[0].TargetGroupArn')
aws_ application-autoscaling describe-scalable-targets --service-namespace ecs \
  --resource-ids "$RESOURCE" --query 'ScalableTargets[0].ResourceId' --output text | grep -q "$RESOURCE" ||
  die "$SERVICE is not a scalable target: run deploy.sh or deploy-cfn.sh first"

# status: "<desired> <running> <healthy targets>" of the backend.
status() {
  local counts healthy
  counts=$(text ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" \
    --query 'services[0].[desiredCount, runningCount]')
  healthy=$(text elbv2 describe-target-health --target-group-arn "$TG" \
    --query "length(TargetHealthDescriptions[?TargetHealth.State=='healthy'])")
  echo "$counts $healthy" | tr '\t' ' '
}
show() { printf '   [%4ds] desired %s, running %s, healthy targets %s\n' "$((SECONDS - started))" "$@" >&2; }

read -r base _ _ <<<"$(status)"
say "$SERVICE runs $base tasks; $clients clients load $URL/stats/burn"
pids=()
stop_load() { ((${#pids[@]})) && kill "${pids[@]}" 2>/dev/null; pids=(); }
trap stop_load EXIT
for _ in $(seq "$clients"); do
  (while :; do curl -s -o /dev/null --max-time 30 "$URL/stats/burn?ms=${BURN_MS:-200}" || sleep 0.2; done) &
  pids+=($!)
done

deadline=$((SECONDS + ${WAIT_SECONDS:-1800}))
while :; do
  read -r want run healthy <<<"$(status)"
  show "$want" "$run" "$healthy"
  ((want > base && healthy >= want)) && break
  ((SECONDS < deadline)) || die "no scale-out within ${WAIT_SECONDS:-1800}s"
  sleep 5
done
say "scaled out to $want tasks, all serving; stopping the load"
stop_load

deadline=$((SECONDS + ${WAIT_SECONDS:-1800}))
while :; do
  read -r want run healthy <<<"$(status)"
  show "$want" "$run" "$healthy"
  ((want <= base && run <= base)) && break
  ((SECONDS < deadline)) || die "no scale-in within ${WAIT_SECONDS:-1800}s"
  sleep 5
done
say "back to $want tasks"

say "scaling activities (newest first)"
aws_ application-autoscaling describe-scaling-activities --service-namespace ecs --resource-id "$RESOURCE" \
  --max-items 10 --query 'ScalingActivities[].[StartTime, StatusCode, Description, Cause]' --output text |
  sed 's/^/   /' >&2
say "alarm state changes"
for alarm in $(text cloudwatch describe-alarms --alarm-name-prefix "TargetTracking-$RESOURCE-" \
  --query 'MetricAlarms[].AlarmName'); do
  aws_ cloudwatch describe-alarm-history --alarm-name "$alarm" --history-item-type StateUpdate \
    --max-items 4 --query 'AlarmHistoryItems[].[Timestamp, HistorySummary]' --output text | sed 's/^/   /' >&2
done
