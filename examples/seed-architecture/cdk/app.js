// The seed architecture's frontend as a CDK app: an ApplicationLoadBalancedFargateService (VPC,
// cluster, internet-facing ALB, Fargate service with the rolling circuit breaker) running the
// demo's "frontend" image from this account's ECR, with CPU target tracking at 70 % between 2
// and 6 tasks. Environment-agnostic (no account or region at synth time), so that it synthesizes
// offline; synth.sh runs it and writes WebStack.template.json beside this file.
//
// The stack has no assets, so it needs no bootstrap stack: BootstraplessSynthesizer leaves out
// the BootstrapVersion parameter (an SSM lookup of /cdk-bootstrap/...) and its rule, and
// `aws cloudformation deploy --template-file WebStack.template.json --stack-name WebStack
// --capabilities CAPABILITY_IAM` deploys it in any account, as `cdk deploy` would.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecr = require('aws-cdk-lib/aws-ecr');
const ecs = require('aws-cdk-lib/aws-ecs');
const patterns = require('aws-cdk-lib/aws-ecs-patterns');

const app = new cdk.App({ outdir: process.argv[2] || 'cdk.out' });
const stack = new cdk.Stack(app, 'WebStack', {
  description: 'Seed architecture frontend on Fargate behind an ALB, synthesized by the AWS CDK',
  synthesizer: new cdk.BootstraplessSynthesizer(),
});

const imageTag = new cdk.CfnParameter(stack, 'ImageTag', {
  type: 'String',
  default: 'v1',
  description: 'The tag of the ECR image "frontend" to run',
});

// Public subnets only: no NAT gateway, each task gets a public address to reach ECR.
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
const repository = ecr.Repository.fromRepositoryName(stack, 'Frontend', 'frontend');

const web = new patterns.ApplicationLoadBalancedFargateService(stack, 'Web', {
  cluster,
  cpu: 256,
  memoryLimitMiB: 512,
  desiredCount: 2,
  assignPublicIp: true,
  taskSubnets: { subnetType: ec2.SubnetType.PUBLIC },
  taskImageOptions: {
    image: ecs.ContainerImage.fromEcrRepository(repository, imageTag.valueAsString),
    containerName: 'frontend',
    containerPort: 80,
    environment: { SERVICE: 'frontend' },
  },
  circuitBreaker: { rollback: true },
  healthCheckGracePeriod: cdk.Duration.seconds(10),
});
// As deploy.sh's target groups: AWS's defaults (30 s, 5 checks, 300 s delay) take minutes a task.
web.targetGroup.configureHealthCheck({
  path: '/',
  interval: cdk.Duration.seconds(5),
  timeout: cdk.Duration.seconds(4),
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 3,
  healthyHttpCodes: '200',
});
web.targetGroup.setAttribute('deregistration_delay.timeout_seconds', '5');

const scaling = web.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 6 });
scaling.scaleOnCpuUtilization('Cpu', {
  targetUtilizationPercent: 70,
  scaleOutCooldown: cdk.Duration.seconds(60),
  scaleInCooldown: cdk.Duration.seconds(120),
});

app.synth();
