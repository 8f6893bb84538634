// The CDK app behind cdk/WebStack.template.json: an ApplicationLoadBalancedFargateService with
// CPU target-tracking scaling at 70 %, synthesized offline (no AWS account) with aws-cdk-lib
// 2.276.0 from npm. To regenerate:
//   mkdir /tmp/cdk && cd /tmp/cdk && npm init -y && npm install aws-cdk-lib@2.276.0 constructs@10
//   cp <this file> app.js && node app.js out && cp out/WebStack.template.json <testdata>/cdk/
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const patterns = require('aws-cdk-lib/aws-ecs-patterns');

const app = new cdk.App({ outdir: process.argv[2] || 'cdk.out', analyticsReporting: true, context: { 'aws:cdk:enable-path-metadata': true } });
const stack = new cdk.Stack(app, 'WebStack');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
const svc = new patterns.ApplicationLoadBalancedFargateService(stack, 'Web', {
  cluster,
  cpu: 256,
  memoryLimitMiB: 512,
  desiredCount: 2,
  assignPublicIp: true,
  taskSubnets: { subnetType: ec2.SubnetType.PUBLIC },
  taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), containerPort: 80 },
  circuitBreaker: { rollback: true },
});
svc.targetGroup.configureHealthCheck({ path: '/' });
const scaling = svc.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 6 });
scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 70 });
app.synth();
