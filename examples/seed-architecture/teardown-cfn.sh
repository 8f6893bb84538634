#!/usr/bin/env bash
# Deletes what deploy-cfn.sh created: the app stack, then the network stack (whose exports the
# app stack imports: CloudFormation refuses to delete it first), then the repositories' stack
# (EmptyOnDelete: their images go with them). Each deletion is waited for with
# `aws cloudformation wait stack-delete-complete`; a stack that does not exist is skipped.
# Environment: GANTRY_ENDPOINT (default http://127.0.0.1:4566), SEED_STACK_PREFIX (seed).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=examples/seed-architecture/env.sh
source "$here/env.sh"
prefix=${SEED_STACK_PREFIX:-seed}
status=0

for stack in "$prefix-app" "$prefix-network" "$prefix-ecr"; do
  if ! aws_ cloudformation describe-stacks --stack-name "$stack" >/dev/null 2>&1; then
    say "$stack: no such stack"
    continue
  fi
  say "aws cloudformation delete-stack --stack-name $stack"
  aws_ cloudformation delete-stack --stack-name "$stack"
  if ! aws_ cloudformation wait stack-delete-complete --stack-name "$stack"; then
    aws_ cloudformation describe-stack-events --stack-name "$stack" --max-items 40 --output text \
      --query "StackEvents[?ResourceStatus=='DELETE_FAILED'].[LogicalResourceId, ResourceStatusReason]" \
      | sed 's/^/   /' >&2
    echo "   $stack was not deleted; the stacks before it are kept too" >&2
    status=1
    break
  fi
done
((status)) || say "done"
exit $status
