#!/usr/bin/env bash
# Deletes what deploy.sh created, in dependency order, with the AWS CLI only (as one would on
# AWS). Missing resources are skipped, so it can be re-run. The blunt alternative, which wipes
# every resource of every account: curl -X POST "$GANTRY_ENDPOINT/_gantry/reset".
# Environment: GANTRY_ENDPOINT (default http://127.0.0.1:4566).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=examples/seed-architecture/env.sh
source "$here/env.sh"
CLUSTER=seed

text() { local v; v=$(aws_ "$@" --output text 2>/dev/null); [[ $v == None ]] && v=""; printf '%s' "$v"; }
quiet() { aws_ "$@" >/dev/null 2>&1; }

say "autoscaling: deregister seed-backend (its policies and their alarms go with it)"
quiet application-autoscaling deregister-scalable-target --service-namespace ecs \
  --scalable-dimension ecs:service:DesiredCount --resource-id "service/$CLUSTER/seed-backend"

say "services (scale to 0, delete --force, wait services-inactive)"
services=()
for s in seed-frontend seed-backend; do
  [[ $(text ecs describe-services --cluster "$CLUSTER" --services "$s" --query 'services[0].status') == ACTIVE ]] &&
    services+=("$s")
done
for s in "${services[@]}"; do
  quiet ecs update-service --cluster "$CLUSTER" --service "$s" --desired-count 0
  quiet ecs delete-service --cluster "$CLUSTER" --service "$s" --force
done
# One waiter per service: services-inactive succeeds as soon as any one of its services is.
for s in "${services[@]}"; do
  quiet ecs wait services-inactive --cluster "$CLUSTER" --services "$s"
done

say "load balancer, listener and target groups"
alb=$(text elbv2 describe-load-balancers --names seed-alb --query 'LoadBalancers[0].LoadBalancerArn')
if [[ -n $alb ]]; then
  for l in $(text elbv2 describe-listeners --load-balancer-arn "$alb" --query 'Listeners[].ListenerArn'); do
    quiet elbv2 delete-listener --listener-arn "$l"
  done
  quiet elbv2 delete-load-balancer --load-balancer-arn "$alb"
  quiet elbv2 wait load-balancers-deleted --load-balancer-arns "$alb"
fi
for tg in seed-frontend seed-backend; do
  arn=$(text elbv2 describe-target-groups --names "$tg" --query 'TargetGroups[0].TargetGroupArn')
  [[ -n $arn ]] && quiet elbv2 delete-target-group --target-group-arn "$arn"
done

say "other tasks of the cluster, task definitions, cluster, log group"
tasks=$(text ecs list-tasks --cluster "$CLUSTER" --query 'taskArns[]')
for t in $tasks; do
  quiet ecs stop-task --cluster "$CLUSTER" --task "$t" --reason "seed teardown"
done
# shellcheck disable=SC2086
[[ -n $tasks ]] && quiet ecs wait tasks-stopped --cluster "$CLUSTER" --tasks $tasks
for family in seed-frontend seed-backend; do
  for td in $(text ecs list-task-definitions --family-prefix "$family" --query 'taskDefinitionArns[]'); do
    quiet ecs deregister-task-definition --task-definition "$td"
  done
done
quiet ecs delete-cluster --cluster "$CLUSTER"
quiet logs delete-log-group --log-group-name /ecs/seed

say "security groups, route table, internet gateway, subnets, VPC"
vpc=$(text ec2 describe-vpcs --filters Name=tag:Name,Values=seed-vpc --query 'Vpcs[0].VpcId')
if [[ -n $vpc ]]; then
  # A stopping task keeps its network interface (and with it its subnet and security groups)
  # for a while after its service is INACTIVE, on AWS as here: wait for the VPC's interfaces.
  for ((i = 0; i < 150; i++)); do
    [[ -z $(text ec2 describe-network-interfaces --filters "Name=vpc-id,Values=$vpc" \
      --query 'NetworkInterfaces[].NetworkInterfaceId') ]] && break
    sleep 2
  done
  # tasks-sg refers to alb-sg, so it goes first.
  for name in tasks-sg alb-sg; do
    id=$(text ec2 describe-security-groups --filters "Name=group-name,Values=$name" "Name=vpc-id,Values=$vpc" \
      --query 'SecurityGroups[0].GroupId')
    [[ -n $id ]] && quiet ec2 delete-security-group --group-id "$id"
  done
  for rtb in $(text ec2 describe-route-tables --filters "Name=vpc-id,Values=$vpc" Name=tag:Name,Values=seed-public \
      --query 'RouteTables[].RouteTableId'); do
    for a in $(text ec2 describe-route-tables --route-table-ids "$rtb" \
        --query 'RouteTables[0].Associations[?!Main].RouteTableAssociationId'); do
      quiet ec2 disassociate-route-table --association-id "$a"
    done
    quiet ec2 delete-route-table --route-table-id "$rtb"
  done
  for igw in $(text ec2 describe-internet-gateways --filters "Name=attachment.vpc-id,Values=$vpc" \
      --query 'InternetGateways[].InternetGatewayId'); do
    quiet ec2 detach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
    quiet ec2 delete-internet-gateway --internet-gateway-id "$igw"
  done
  for subnet in $(text ec2 describe-subnets --filters "Name=vpc-id,Values=$vpc" --query 'Subnets[].SubnetId'); do
    quiet ec2 delete-subnet --subnet-id "$subnet"
  done
  aws_ ec2 delete-vpc --vpc-id "$vpc" || echo "   (the VPC still has dependencies; see above)" >&2
fi

say "ECR repositories"
for repo in frontend backend; do
  quiet ecr delete-repository --repository-name "$repo" --force
done
say "DynamoDB table seed-hits, IAM roles and the SSM parameter"
quiet dynamodb delete-table --table-name seed-hits
quiet ssm delete-parameter --name /seed/db-password
quiet iam delete-role-policy --role-name seed-backend-task --policy-name read-seed-parameters
quiet iam delete-role-policy --role-name seed-backend-task --policy-name count-hits
quiet iam delete-role --role-name seed-backend-task
quiet iam delete-role-policy --role-name ecsTaskExecutionRole --policy-name seed-secrets
quiet iam detach-role-policy --role-name ecsTaskExecutionRole \
  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
quiet iam delete-role --role-name ecsTaskExecutionRole
say "done"
