#!/usr/bin/env bash
# Deploys the seeds' system to Gantry with the AWS CLI only, then rolls the frontend to v2.
#
#   deploy.sh                    build+push images, infrastructure, services, curl, rolling update
#   deploy.sh --first-run-trap   create the services before the images exist (as the seeds warn:
#                                the first deployment fails with CannotPullContainerError and the
#                                circuit breaker trips), then push and --force-new-deployment
#   deploy.sh --no-update        stop after the first deployment (no v2 rollout)
#
# Safe to re-run on an existing deployment: every resource is looked up by name or tag first.
# Environment: GANTRY_ENDPOINT (default http://127.0.0.1:4566), GANTRY_ALB_PORT_OFFSET (0).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=examples/seed-architecture/env.sh
source "$here/env.sh"

trap_first_run=0 update=1
for arg in "$@"; do
  case "$arg" in
    --first-run-trap) trap_first_run=1 ;;
    --no-update) update=0 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown argument $arg" ;;
  esac
done

ACCOUNT=$(aws_ sts get-caller-identity --query Account --output text)
REGION=$AWS_DEFAULT_REGION
CLUSTER=seed
EXECUTION_ROLE="arn:aws:iam::$ACCOUNT:role/ecsTaskExecutionRole"
LOG_GROUP=/ecs/seed
started=$SECONDS

# ---------------------------------------------------------------- helpers
# text <aws args...>: a query result as text, "" for None.
text() { local v; v=$(aws_ "$@" --output text); [[ $v == None ]] && v=""; printf '%s' "$v"; }
tag_spec() { echo "ResourceType=$1,Tags=[{Key=Name,Value=$2},{Key=project,Value=seed}]"; }
elapsed() { echo "$((SECONDS - started))s"; }

# ---------------------------------------------------------------- 0. IAM roles, SSM parameter
# The seeds' two roles: the execution role ECS uses to pull images, write logs and read the
# backend's secret, and the backend's task role (what its code may call, with the credentials
# at 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI). Seed 004 keeps its database
# password in Parameter Store as a SecureString; the backend gets it as $DB_PASSWORD.
say "IAM roles ecsTaskExecutionRole and seed-backend-task, SSM /seed/db-password, DynamoDB seed-hits"
TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
role() { # name: created with the ECS tasks trust policy unless it exists
  aws_ iam get-role --role-name "$1" >/dev/null 2>&1 ||
    aws_ iam create-role --role-name "$1" --assume-role-policy-document "$TRUST" >/dev/null
}
role ecsTaskExecutionRole
aws_ iam attach-role-policy --role-name ecsTaskExecutionRole \
  --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
SEED_PARAMS="arn:aws:ssm:$REGION:$ACCOUNT:parameter/seed/*"
aws_ iam put-role-policy --role-name ecsTaskExecutionRole --policy-name seed-secrets \
  --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",
    \"Action\":[\"ssm:GetParameters\",\"kms:Decrypt\"],\"Resource\":[\"$SEED_PARAMS\",\"*\"]}]}"
role seed-backend-task
aws_ iam put-role-policy --role-name seed-backend-task --policy-name read-seed-parameters \
  --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",
    \"Action\":[\"ssm:GetParameter\",\"ssm:GetParameters\"],\"Resource\":\"$SEED_PARAMS\"}]}"
TASK_ROLE="arn:aws:iam::$ACCOUNT:role/seed-backend-task"
# The backend counts its /stats hits in a table (an UpdateItem ADD per request), as seed 001's
# app keeps its visits; its task role may read and update that table only.
HITS_TABLE=seed-hits
if ! aws_ dynamodb describe-table --table-name "$HITS_TABLE" >/dev/null 2>&1; then
  aws_ dynamodb create-table --table-name "$HITS_TABLE" --billing-mode PAY_PER_REQUEST \
    --attribute-definitions AttributeName=id,AttributeType=S \
    --key-schema AttributeName=id,KeyType=HASH >/dev/null
fi
aws_ dynamodb wait table-exists --table-name "$HITS_TABLE"
aws_ iam put-role-policy --role-name seed-backend-task --policy-name count-hits \
  --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",
    \"Action\":[\"dynamodb:GetItem\",\"dynamodb:UpdateItem\"],
    \"Resource\":\"arn:aws:dynamodb:$REGION:$ACCOUNT:table/$HITS_TABLE\"}]}"
if ! aws_ ssm get-parameter --name /seed/db-password >/dev/null 2>&1; then
  aws_ ssm put-parameter --name /seed/db-password --type SecureString \
    --value "$(text secretsmanager get-random-password --exclude-punctuation --password-length 24 \
      --query RandomPassword)" >/dev/null
fi

# ---------------------------------------------------------------- 1. ECR
say "ECR repositories frontend and backend"
for repo in frontend backend; do
  aws_ ecr describe-repositories --repository-names "$repo" >/dev/null 2>&1 ||
    aws_ ecr create-repository --repository-name "$repo" --image-scanning-configuration scanOnPush=false >/dev/null
done
REGISTRY_URI=$(text ecr describe-repositories --repository-names frontend --query 'repositories[0].repositoryUri')
REGISTRY_URI=${REGISTRY_URI%/frontend}
if ((!trap_first_run)); then
  say "build and push frontend:v1 and backend:v1"
  "$here/build-images.sh" frontend:v1 backend:v1
fi

# ---------------------------------------------------------------- 2. VPC
say "VPC 10.0.0.0/16 with two public subnets, internet gateway and route table"
VPC=$(text ec2 describe-vpcs --filters Name=tag:Name,Values=seed-vpc --query 'Vpcs[0].VpcId')
if [[ -z $VPC ]]; then
  VPC=$(text ec2 create-vpc --cidr-block 10.0.0.0/16 --tag-specifications "$(tag_spec vpc seed-vpc)" \
    --query Vpc.VpcId)
  aws_ ec2 modify-vpc-attribute --vpc-id "$VPC" --enable-dns-hostnames '{"Value":true}'
fi
SUBNETS=()
for spec in a:10.0.1.0/24 b:10.0.2.0/24; do
  az=${REGION}${spec%%:*} cidr=${spec#*:} name=seed-public-${spec%%:*}
  id=$(text ec2 describe-subnets --filters "Name=tag:Name,Values=$name" "Name=vpc-id,Values=$VPC" \
    --query 'Subnets[0].SubnetId')
  if [[ -z $id ]]; then
    id=$(text ec2 create-subnet --vpc-id "$VPC" --cidr-block "$cidr" --availability-zone "$az" \
      --tag-specifications "$(tag_spec subnet "$name")" --query Subnet.SubnetId)
    aws_ ec2 modify-subnet-attribute --subnet-id "$id" --map-public-ip-on-launch
  fi
  SUBNETS+=("$id")
done
IGW=$(text ec2 describe-internet-gateways --filters "Name=attachment.vpc-id,Values=$VPC" \
  --query 'InternetGateways[0].InternetGatewayId')
if [[ -z $IGW ]]; then
  IGW=$(text ec2 create-internet-gateway --tag-specifications "$(tag_spec internet-gateway seed-igw)" \
    --query InternetGateway.InternetGatewayId)
  aws_ ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id "$VPC"
fi
RTB=$(text ec2 describe-route-tables --filters Name=tag:Name,Values=seed-public "Name=vpc-id,Values=$VPC" \
  --query 'RouteTables[0].RouteTableId')
if [[ -z $RTB ]]; then
  RTB=$(text ec2 create-route-table --vpc-id "$VPC" --tag-specifications "$(tag_spec route-table seed-public)" \
    --query RouteTable.RouteTableId)
  aws_ ec2 create-route --route-table-id "$RTB" --destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW" >/dev/null
fi
for subnet in "${SUBNETS[@]}"; do
  assoc=$(text ec2 describe-route-tables --route-table-ids "$RTB" \
    --query "RouteTables[0].Associations[?SubnetId=='$subnet'].RouteTableAssociationId | [0]")
  [[ -n $assoc ]] || aws_ ec2 associate-route-table --route-table-id "$RTB" --subnet-id "$subnet" >/dev/null
done

# ---------------------------------------------------------------- 3. security groups
say "security groups alb-sg (80 from anywhere) and tasks-sg (80, 8080 from alb-sg only)"
sg() { # name description
  local id
  id=$(text ec2 describe-security-groups --filters "Name=group-name,Values=$1" "Name=vpc-id,Values=$VPC" \
    --query 'SecurityGroups[0].GroupId')
  [[ -n $id ]] || id=$(text ec2 create-security-group --group-name "$1" --description "$2" --vpc-id "$VPC" \
    --tag-specifications "$(tag_spec security-group "$1")" --query GroupId)
  echo "$id"
}
ingress() { # group-id ip-permissions: a rule that already exists is left as it is
  local out
  out=$(aws_ ec2 authorize-security-group-ingress --group-id "$1" --ip-permissions "$2" 2>&1) ||
    [[ $out == *InvalidPermission.Duplicate* ]] || die "$out"
}
ALB_SG=$(sg alb-sg "seed ALB: HTTP from anywhere")
TASKS_SG=$(sg tasks-sg "seed tasks: container ports from the ALB only")
ingress "$ALB_SG" 'IpProtocol=tcp,FromPort=80,ToPort=80,IpRanges=[{CidrIp=0.0.0.0/0,Description=http}]'
for port in 80 8080; do
  ingress "$TASKS_SG" "IpProtocol=tcp,FromPort=$port,ToPort=$port,UserIdGroupPairs=[{GroupId=$ALB_SG}]"
done

# ---------------------------------------------------------------- 4. ECS cluster, logs, task definitions
say "cluster $CLUSTER, log group $LOG_GROUP, task definitions"
aws_ ecs create-cluster --cluster-name "$CLUSTER" >/dev/null
out=$(aws_ logs create-log-group --log-group-name "$LOG_GROUP" 2>&1) ||
  [[ $out == *ResourceAlreadyExists* ]] || die "$out"

# task_definition <service> <tag> <port>: the family's latest revision if it already runs this
# image, else a new revision. Prints the task definition ARN.
task_definition() {
  local family=seed-$1 image=$REGISTRY_URI/$1:$2 current extra_task="" extra_container=""
  local environment='{"name": "SERVICE", "value": "'"$1"'"}'
  if [[ $1 == backend ]]; then
    extra_task=$'\n  "taskRoleArn": "'"$TASK_ROLE"'",'
    extra_container=$'\n    "secrets": [{"name": "DB_PASSWORD", "valueFrom": "/seed/db-password"}],'
    environment+=', {"name": "HITS_TABLE", "value": "'"$HITS_TABLE"'"}'
  fi
  current=$(text ecs describe-task-definition --task-definition "$family" \
    --query 'taskDefinition.[containerDefinitions[0].image, taskDefinitionArn]' 2>/dev/null || true)
  if [[ ${current%%$'\t'*} == "$image" ]]; then
    echo "${current#*$'\t'}"
    return
  fi
  aws_ ecs register-task-definition --query taskDefinition.taskDefinitionArn --output text \
    --cli-input-json "$(cat <<EOF
{
  "family": "$family",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "512",
  "executionRoleArn": "$EXECUTION_ROLE",$extra_task
  "containerDefinitions": [{
    "name": "$1",
    "image": "$image",
    "essential": true,
    "portMappings": [{"containerPort": $3, "protocol": "tcp"}],
    "environment": [$environment],$extra_container
    "logConfiguration": {
      "logDriver": "awslogs",
      "options": {"awslogs-group": "$LOG_GROUP", "awslogs-region": "$REGION",
                  "awslogs-stream-prefix": "$1"}
    }
  }]
}
EOF
)"
}
# deployed <service>: the task definition an existing service runs ("" if there is none). A re-run
# keeps it, so that it does not roll a service that already runs v2 back to v1.
deployed() {
  text ecs describe-services --cluster "$CLUSTER" --services "seed-$1" \
    --query "services[?status=='ACTIVE'] | [0].taskDefinition" 2>/dev/null || true
}
FRONTEND_TD=$(deployed frontend)
[[ -n $FRONTEND_TD ]] || FRONTEND_TD=$(task_definition frontend v1 80)
BACKEND_TD=$(deployed backend)
[[ -n $BACKEND_TD ]] || BACKEND_TD=$(task_definition backend v1 8080)

# ---------------------------------------------------------------- 5. load balancer
say "internet-facing ALB seed-alb, target groups, listener 80 and the /stats* rule"
ALB=$(text elbv2 describe-load-balancers --names seed-alb --query 'LoadBalancers[0].LoadBalancerArn' 2>/dev/null || true)
if [[ -z $ALB ]]; then
  ALB=$(text elbv2 create-load-balancer --name seed-alb --type application --scheme internet-facing \
    --subnets "${SUBNETS[@]}" --security-groups "$ALB_SG" --query 'LoadBalancers[0].LoadBalancerArn')
fi
aws_ elbv2 wait load-balancer-available --load-balancer-arns "$ALB"
DNS=$(text elbv2 describe-load-balancers --load-balancer-arns "$ALB" --query 'LoadBalancers[0].DNSName')

target_group() { # name port health-check-path
  local arn
  arn=$(text elbv2 describe-target-groups --names "$1" --query 'TargetGroups[0].TargetGroupArn' 2>/dev/null || true)
  if [[ -z $arn ]]; then
    # Health checks every 5 s (AWS's default is 30 s with 5 healthy checks: 2.5 minutes per task).
    arn=$(text elbv2 create-target-group --name "$1" --protocol HTTP --port "$2" --vpc-id "$VPC" \
      --target-type ip --health-check-path "$3" --health-check-interval-seconds 5 \
      --health-check-timeout-seconds 4 --healthy-threshold-count 2 --unhealthy-threshold-count 3 \
      --matcher HttpCode=200 --query 'TargetGroups[0].TargetGroupArn')
    aws_ elbv2 modify-target-group-attributes --target-group-arn "$arn" \
      --attributes Key=deregistration_delay.timeout_seconds,Value=5 >/dev/null
  fi
  echo "$arn"
}
FRONTEND_TG=$(target_group seed-frontend 80 /)
BACKEND_TG=$(target_group seed-backend 8080 /stats)

# shellcheck disable=SC2016 # a JMESPath literal, not a shell expansion
LISTENER=$(text elbv2 describe-listeners --load-balancer-arn "$ALB" \
  --query 'Listeners[?Port==`80`].ListenerArn | [0]')
if [[ -z $LISTENER ]]; then
  LISTENER=$(text elbv2 create-listener --load-balancer-arn "$ALB" --protocol HTTP --port 80 \
    --default-actions "Type=forward,TargetGroupArn=$FRONTEND_TG" --query 'Listeners[0].ListenerArn')
fi
rule=$(text elbv2 describe-rules --listener-arn "$LISTENER" --query "Rules[?Priority=='10'].RuleArn | [0]")
if [[ -z $rule ]]; then
  aws_ elbv2 create-rule --listener-arn "$LISTENER" --priority 10 \
    --conditions 'Field=path-pattern,PathPatternConfig={Values=[/stats*]}' \
    --actions "Type=forward,TargetGroupArn=$BACKEND_TG" >/dev/null
fi

# ---------------------------------------------------------------- 6. services
# service <name> <task definition> <target group> <port> [--force-new-deployment]: creates the
# service, or updates it when it runs another task definition or a new deployment is forced.
service() {
  local name=seed-$1 current
  current=$(deployed "$1")
  if [[ -n $current ]]; then
    if [[ $current != "$2" || -n ${5:-} ]]; then
      # shellcheck disable=SC2086 # ${5:-} is a flag or nothing
      aws_ ecs update-service --cluster "$CLUSTER" --service "$name" --task-definition "$2" \
        ${5:-} >/dev/null
    fi
    return
  fi
  aws_ ecs create-service --cluster "$CLUSTER" --service-name "$name" --task-definition "$2" \
    --desired-count 2 --launch-type FARGATE --health-check-grace-period-seconds 10 \
    --network-configuration "awsvpcConfiguration={subnets=[${SUBNETS[0]},${SUBNETS[1]}],securityGroups=[$TASKS_SG],assignPublicIp=ENABLED}" \
    --load-balancers "targetGroupArn=$3,containerName=$1,containerPort=$4" \
    --deployment-configuration 'maximumPercent=200,minimumHealthyPercent=100,deploymentCircuitBreaker={enable=true,rollback=true}' \
    >/dev/null
}

# progress <service...>: one line per poll until every service is stable or a deadline passes;
# then ECS's own waiter confirms.
progress() {
  local deadline=$((SECONDS + ${WAIT_SECONDS:-600})) line
  while ((SECONDS < deadline)); do
    line=$(text ecs describe-services --cluster "$CLUSTER" --services "$@" --query \
      'services[].[serviceName, length(deployments), runningCount, desiredCount, deployments[0].rolloutState]')
    printf '   [%s] %s\n' "$(elapsed)" "$(echo "$line" | awk '{printf "%s %s/%s %s  ", $1, $3, $4, $5}')" >&2
    if [[ -n $line ]] && ! echo "$line" | awk '$2 != 1 || $3 != $4 { bad = 1 } END { exit !bad }'; then
      aws_ ecs wait services-stable --cluster "$CLUSTER" --services "$@"
      return
    fi
    sleep 3
  done
  aws_ ecs describe-services --cluster "$CLUSTER" --services "$@" \
    --query 'services[].events[:5].message' --output text | tr '\t' '\n' | sed 's/^/   event: /' >&2
  die "services not stable after ${WAIT_SECONDS:-600}s"
}

alb_port=$((80 + GANTRY_ALB_PORT_OFFSET))
URL=$(alb_url "$DNS")
# get <path>: through the ALB by its DNS name (curl resolves *.localhost to loopback itself).
get() { curl -sS --max-time 5 "$URL$1"; }

if ((trap_first_run)); then
  say "first-run trap: services created before their images are pushed"
  service frontend "$FRONTEND_TD" "$FRONTEND_TG" 80
  service backend "$BACKEND_TD" "$BACKEND_TG" 8080
  deadline=$((SECONDS + ${TRAP_SECONDS:-300}))
  while ((SECONDS < deadline)); do
    state=$(text ecs describe-services --cluster "$CLUSTER" --services seed-frontend \
      --query 'services[0].deployments[0].rolloutState')
    printf '   [%s] seed-frontend rolloutState=%s\n' "$(elapsed)" "$state" >&2
    [[ $state == FAILED ]] && break
    sleep 5
  done
  stopped=$(text ecs list-tasks --cluster "$CLUSTER" --service-name seed-frontend --desired-status STOPPED \
    --query 'taskArns[:100]')
  if [[ -n $stopped ]]; then
    # shellcheck disable=SC2086
    reason=$(text ecs describe-tasks --cluster "$CLUSTER" --tasks $stopped \
      --query "tasks[?stopCode=='TaskFailedToStart'] | [0].[stopCode, stoppedReason]")
    [[ -z $reason ]] || echo "   stopped task: $reason" >&2
  fi
  aws_ ecs describe-services --cluster "$CLUSTER" --services seed-frontend \
    --query 'services[0].events[:3].message' --output text | tr '\t' '\n' | sed 's/^/   event: /' >&2
  say "CI pushes the images; update-service --force-new-deployment"
  "$here/build-images.sh" frontend:v1 backend:v1
  service frontend "$FRONTEND_TD" "$FRONTEND_TG" 80 --force-new-deployment
  service backend "$BACKEND_TD" "$BACKEND_TG" 8080 --force-new-deployment
else
  say "services seed-frontend and seed-backend (2 FARGATE tasks each behind the ALB)"
  service frontend "$FRONTEND_TD" "$FRONTEND_TG" 80
  service backend "$BACKEND_TD" "$BACKEND_TG" 8080
fi
say "aws ecs wait services-stable"
progress seed-frontend seed-backend

# ---------------------------------------------------------------- 7. autoscaling
# The seeds scale at 70 % CPU or memory: seed-backend between 2 and 6 tasks, one target tracking
# policy per metric (either one scales out; scale-in needs both). Registering again updates.
say "autoscaling: seed-backend 2..6 tasks, target tracking at 70 % CPU and 70 % memory"
SCALABLE=(--service-namespace ecs --scalable-dimension ecs:service:DesiredCount
  --resource-id "service/$CLUSTER/seed-backend")
aws_ application-autoscaling register-scalable-target "${SCALABLE[@]}" \
  --min-capacity 2 --max-capacity 6 >/dev/null
for metric in CPU Memory; do
  aws_ application-autoscaling put-scaling-policy "${SCALABLE[@]}" \
    --policy-name "seed-backend-${metric,,}70" --policy-type TargetTrackingScaling \
    --target-tracking-scaling-policy-configuration "{\"TargetValue\": 70.0,
      \"PredefinedMetricSpecification\": {\"PredefinedMetricType\": \"ECSServiceAverage${metric}Utilization\"},
      \"ScaleOutCooldown\": 60, \"ScaleInCooldown\": 120}" >/dev/null
done

say "curl $URL/"
get / | grep -o '<title>[^<]*</title>' || die "GET / through the ALB failed"
say "curl $URL/stats"
get /stats
echo

if ((update)); then
  say "rolling update: push frontend:v2, new task definition revision, update-service"
  "$here/build-images.sh" frontend:v2
  v2_td=$(task_definition frontend v2 80)
  if [[ $v2_td == "$FRONTEND_TD" ]]; then
    echo "   seed-frontend already runs v2 ($v2_td): forcing a new deployment instead" >&2
    service frontend "$v2_td" "$FRONTEND_TG" 80 --force-new-deployment
  else
    service frontend "$v2_td" "$FRONTEND_TG" 80
  fi
  # Requests through the ALB during the rollout: every one must succeed.
  frontend_rolled() {
    [[ $(text ecs describe-services --cluster "$CLUSTER" --services seed-frontend --query \
      'services[0].[length(deployments), deployments[0].rolloutState, runningCount]') == $'1\tCOMPLETED\t2' ]]
  }
  rollout_requests "$URL" v1 v2 20 frontend_rolled
  progress seed-frontend
  say "curl $URL/ after the update"
  get / | grep -o '<title>[^<]*</title>' || die "GET / through the ALB failed"
fi

say "deployed in $(elapsed)"
cat <<EOF

  Open      $URL/          (the frontend; it polls /stats)
            $URL/stats     (the backend: the task's CPU and memory as JSON, and its hit count)
  No DNS?   curl -H 'Host: $DNS' http://127.0.0.1:$alb_port/
  Logs      aws --endpoint-url $GANTRY_ENDPOINT logs tail $LOG_GROUP --follow
  Scaling   $here/load.sh   (CPU load on /stats/burn: a scale-out and back; run the server with
            --time-scale 60 to see it in a minute or two instead of about 25)
  Services  aws --endpoint-url $GANTRY_ENDPOINT ecs describe-services --cluster $CLUSTER --services seed-frontend seed-backend
  Tear down $here/teardown.sh   (or: curl -X POST $GANTRY_ENDPOINT/_gantry/reset)
EOF
echo "$URL"
