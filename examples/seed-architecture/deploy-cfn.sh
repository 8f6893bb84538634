#!/usr/bin/env bash
# Deploys the seeds' system with CloudFormation, as seed 004 does: three stacks from
# cloudformation/ deployed with `aws cloudformation deploy`, images built and pushed in between.
#
#   deploy-cfn.sh                  ECR stack, build+push frontend and backend, network stack,
#                                  app stack; curl through the ALB; prints the URL
#   deploy-cfn.sh --image-tag v2   pushes both images as v2 and updates the app stack with
#                                  ImageTag=v2: CloudFormation registers new task definition
#                                  revisions and ECS rolls both services
#   deploy-cfn.sh --public-tasks   tasks in the public subnets with public addresses (as
#                                  deploy.sh runs them) instead of the private ones behind NAT
#   deploy-cfn.sh --no-nat         the network stack without its NAT gateway (implies
#                                  --public-tasks: private subnets then have no way out)
#
# The order matters. The repositories are a stack of their own, created first, and the images are
# pushed before the app stack exists: the seeds' first-run trap is an app stack whose services
# start before any image is pushed, fail with CannotPullContainerError, trip the deployment
# circuit breaker and roll the whole stack back.
# Re-running is safe: `deploy` with no change leaves a stack as it is.
# Environment: GANTRY_ENDPOINT (default http://127.0.0.1:4566), GANTRY_ALB_PORT_OFFSET (0),
# SEED_STACK_PREFIX (seed: stacks seed-ecr, seed-network, seed-app).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=examples/seed-architecture/env.sh
source "$here/env.sh"

tag=v1 tasks=private nat=true
while (($#)); do
  case "$1" in
    --image-tag) tag=${2:?--image-tag needs a tag}; shift ;;
    --public-tasks) tasks=public ;;
    --no-nat) nat=false tasks=public ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
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

deploy "$prefix-ecr" "$templates/ecr.yaml"
FRONTEND_REPO=$(output "$prefix-ecr" FrontendRepositoryUri)
BACKEND_REPO=$(output "$prefix-ecr" BackendRepositoryUri)

say "build and push frontend:$tag and backend:$tag"
"$here/build-images.sh" "frontend:$tag" "backend:$tag"

deploy "$prefix-network" "$templates/network.yaml" --parameter-overrides "EnableNatGateway=$nat"

# CAPABILITY_IAM: the stack creates the execution and task roles (with generated names).
deploy "$prefix-app" "$templates/app.yaml" --capabilities CAPABILITY_IAM \
  --parameter-overrides "NetworkStackName=$prefix-network" "ImageTag=$tag" \
  "FrontendImage=$FRONTEND_REPO" "BackendImage=$BACKEND_REPO" "TaskSubnets=$tasks"

# `deploy` returns at UPDATE_COMPLETE, which for ECS services means their deployment completed
# (CloudFormation waits for a steady state); the waiter confirms it from ECS's side.
CLUSTER=$(output "$prefix-app" ClusterName)
say "aws ecs wait services-stable"
aws_ ecs wait services-stable --cluster "$CLUSTER" \
  --services "$(output "$prefix-app" FrontendServiceName)" "$(output "$prefix-app" BackendServiceName)"

DNS=$(output "$prefix-app" LoadBalancerDnsName)
alb_port=$((80 + GANTRY_ALB_PORT_OFFSET))
URL="http://$DNS"
((alb_port == 80)) || URL="http://$DNS:$alb_port"
say "curl $URL/"
curl -sS --max-time 5 "$URL/" | grep -o '<title>[^<]*</title>' || die "GET / through the ALB failed"
say "curl $URL/stats"
curl -sS --max-time 5 "$URL/stats" || die "GET /stats through the ALB failed"
echo

say "deployed in $((SECONDS - started))s"
cat <<EOF

  Open      $URL/          (the frontend; it polls /stats)
            $URL/stats     (the backend)
  No DNS?   curl -H 'Host: $DNS' http://127.0.0.1:$alb_port/
  Stacks    aws --endpoint-url $GANTRY_ENDPOINT cloudformation describe-stacks --query 'Stacks[].[StackName,StackStatus]'
  Roll      $0 --image-tag v2
  Tear down $here/teardown-cfn.sh
EOF
echo "$URL"
