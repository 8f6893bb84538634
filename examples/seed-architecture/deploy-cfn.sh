#!/usr/bin/env bash
# Deploys the seeds' system with CloudFormation, as seed 004 does: three stacks from
# cloudformation/ deployed with `aws cloudformation deploy`, images built and pushed in between.
#
#   deploy-cfn.sh                  ECR stack, build+push frontend and backend, network stack,
#                                  app stack; curl through the ALB; prints the URL
#   deploy-cfn.sh --image-tag v2   pushes both images as v2 and deploys the app stack with
#                                  ImageTag=v2: CloudFormation registers new task definition
#                                  revisions and ECS rolls both services while requests go
#                                  through the ALB ("during the rollout: N requests answered
#                                  (a v1, b v2), F failed"; none should fail)
#   deploy-cfn.sh --roll v2        deploys as above and prints the URL, then rolls to v2 as
#                                  --image-tag v2 does: the seeds' CI step (scripts/run.sh)
#   deploy-cfn.sh --no-update      ignores --roll (for scripts/run.sh's SEED_DEMO_ARGS)
#   deploy-cfn.sh --public-tasks   tasks in the public subnets with public addresses (as
#                                  deploy.sh runs them) instead of the private ones behind NAT
#   deploy-cfn.sh --no-nat         the network stack without its NAT gateway (implies
#                                  --public-tasks: private subnets then have no way out)
#
# The order matters. The repositories are a stack of their own, created first, and the images are
# pushed before the app stack exists: the seeds' first-run trap is an app stack whose services
# start before any image is pushed, fail with CannotPullContainerError, trip the deployment
# circuit breaker and roll the whole stack back.
# Re-running is safe: without --image-tag an existing app stack keeps its tag, and `deploy` with
# no change leaves a stack as it is.
# Environment: GANTRY_ENDPOINT (default http://127.0.0.1:4566), GANTRY_ALB_PORT_OFFSET (0),
# SEED_STACK_PREFIX (seed: stacks seed-ecr, seed-network, seed-app), WAIT_SECONDS (600: bounds
# the request loop during a rollout).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=examples/seed-architecture/env.sh
source "$here/env.sh"

tag="" roll="" update=1 tasks=private nat=true
while (($#)); do
  case "$1" in
    --image-tag) tag=${2:?--image-tag needs a tag}; shift ;;
    --roll) roll=${2:?--roll needs a tag}; shift ;;
    --no-update) update=0 ;;
    --public-tasks) tasks=public ;;
    --no-nat) nat=false tasks=public ;;
    -h | --help) sed -n '2,29p' "$0"; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
prefix=${SEED_STACK_PREFIX:-seed}
templates=$here/cloudformation
started=$SECONDS

# output <stack> <key>: one output value of a stack.
output() {
  aws_ cloudformation describe-stacks --stack-name "$1" --output text \
    --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue | [0]"
}
# deploy <stack> <template> [deploy args...]: create or update, and on failure show why.
deploy() {
  local stack=$1 template=$2
  shift 2
  say "aws cloudformation deploy --stack-name $stack ($(basename "$template"))"
  if ! aws_ cloudformation deploy --stack-name "$stack" --template-file "$template" \
      --no-fail-on-empty-changeset "$@"; then
    aws_ cloudformation describe-stack-events --stack-name "$stack" --max-items 40 --output text \
      --query "StackEvents[?contains(ResourceStatus, 'FAILED')].[LogicalResourceId, ResourceStatus, ResourceStatusReason]" \
      | sed 's/^/   /' >&2 || true
    die "stack $stack did not deploy"
  fi
}
# app_tag: the ImageTag the app stack runs ("" when there is no app stack yet).
app_tag() {
  local v
  v=$(aws_ cloudformation describe-stacks --stack-name "$prefix-app" --output text \
    --query "Stacks[0].Parameters[?ParameterKey=='ImageTag'].ParameterValue | [0]" 2>/dev/null) || v=""
  [[ $v == None ]] && v=""
  printf '%s' "$v"
}
# finished <pid>: that background process has exited.
finished() { ! kill -0 "$1" 2>/dev/null; }
# deploy_app <tag>: creates or updates the app stack. An update to another tag rolls both
# services: requests go through the ALB until `deploy` returns, and are counted.
deploy_app() {
  local new=$1 old pid
  old=$(app_tag)
  # CAPABILITY_IAM: the stack creates the execution and task roles (with generated names).
  local args=("$prefix-app" "$templates/app.yaml" --capabilities CAPABILITY_IAM
    --parameter-overrides "NetworkStackName=$prefix-network" "ImageTag=$new"
    "FrontendImage=$FRONTEND_REPO" "BackendImage=$BACKEND_REPO" "TaskSubnets=$tasks")
  if [[ -z $old || $old == "$new" ]]; then
    deploy "${args[@]}"
    return
  fi
  say "rolling update $old -> $new of both services, requests through the ALB meanwhile"
  deploy "${args[@]}" &
  pid=$!
  rollout_requests "$(alb_url "$(output "$prefix-app" LoadBalancerDnsName)")" "$old" "$new" 5 \
    finished "$pid"
  wait "$pid"
}
# stable_and_serving: ECS's waiter, then / and /stats through the ALB.
stable_and_serving() {
  # `deploy` returns at CREATE_COMPLETE or UPDATE_COMPLETE, which for ECS services means their
  # deployment completed (CloudFormation waits for a steady state); the waiter confirms it from
  # ECS's side.
  say "aws ecs wait services-stable"
  aws_ ecs wait services-stable --cluster "$CLUSTER" \
    --services "$(output "$prefix-app" FrontendServiceName)" "$(output "$prefix-app" BackendServiceName)"
  say "curl $URL/"
  curl -sS --max-time 5 "$URL/" | grep -o '<title>[^<]*</title>' || die "GET / through the ALB failed"
  say "curl $URL/stats"
  curl -sS --max-time 5 "$URL/stats" || die "GET /stats through the ALB failed"
}

[[ -n $tag ]] || tag=$(app_tag)
[[ -n $tag ]] || tag=v1
((update)) || roll=""

deploy "$prefix-ecr" "$templates/ecr.yaml"
FRONTEND_REPO=$(output "$prefix-ecr" FrontendRepositoryUri)
BACKEND_REPO=$(output "$prefix-ecr" BackendRepositoryUri)

say "build and push frontend:$tag and backend:$tag"
"$here/build-images.sh" "frontend:$tag" "backend:$tag"

deploy "$prefix-network" "$templates/network.yaml" --parameter-overrides "EnableNatGateway=$nat"
deploy_app "$tag"

CLUSTER=$(output "$prefix-app" ClusterName)
DNS=$(output "$prefix-app" LoadBalancerDnsName)
URL=$(alb_url "$DNS")
stable_and_serving
say "deployed in $((SECONDS - started))s: $URL"
echo "$URL"

if [[ -n $roll && $roll != "$tag" ]]; then
  say "the seeds' CI step: build and push frontend:$roll and backend:$roll, deploy ImageTag=$roll"
  "$here/build-images.sh" "frontend:$roll" "backend:$roll"
  deploy_app "$roll"
  stable_and_serving
  say "curl $URL/version.txt"
  curl -sS --max-time 5 "$URL/version.txt"
  say "rolled to $roll in $((SECONDS - started))s"
fi

cat <<EOF

  Open      $URL/          (the frontend; it polls /stats)
            $URL/stats     (the backend: the task's CPU and memory, and its hits in DynamoDB)
  No DNS?   curl -H 'Host: $DNS' http://127.0.0.1:$((80 + GANTRY_ALB_PORT_OFFSET))/
  Stacks    aws --endpoint-url $GANTRY_ENDPOINT cloudformation describe-stacks --query 'Stacks[].[StackName,StackStatus]'
  Logs      aws --endpoint-url $GANTRY_ENDPOINT logs tail /ecs/$prefix --follow
  Scaling   $here/load.sh   (CPU load on /stats/burn: a scale-out and back)
  Roll      $0 --image-tag v3
  Tear down $here/teardown-cfn.sh
EOF
echo "$URL"
