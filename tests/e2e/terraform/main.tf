# The seed architecture (examples/seed-architecture) as Terraform resources, pointed at Gantry.
# test_terraform_sequence.py replays the calls the provider makes for this file; see README.md.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "endpoint" {
  type    = string
  default = "http://127.0.0.1:4566"
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  # The provider learns the account from sts:GetCallerIdentity (Gantry answers it); skipping that
  # leaves its account id empty and every referenced_security_group_id reads back as
  # "000000000000/sg-..." (drift), against AWS as well.
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  endpoints {
    ec2            = var.endpoint
    ecs            = var.endpoint
    ecr            = var.endpoint
    elbv2          = var.endpoint
    elb            = var.endpoint
    cloudwatchlogs = var.endpoint
    sts            = var.endpoint
    iam            = var.endpoint
  }
}

locals {
  execution_role = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole"
}

resource "aws_vpc" "seed" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "seed-vpc" }
}

resource "aws_subnet" "public_a" {
  vpc_id                  = aws_vpc.seed.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
  tags                    = { Name = "seed-public-a" }
}

resource "aws_subnet" "public_b" {
  vpc_id            = aws_vpc.seed.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
  tags              = { Name = "seed-public-b" }
}

resource "aws_internet_gateway" "seed" {
  vpc_id = aws_vpc.seed.id
  tags   = { Name = "seed-igw" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.seed.id
  tags   = { Name = "seed-public" }
}

resource "aws_route" "default" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.seed.id
}

resource "aws_route_table_association" "public_a" {
  subnet_id      = aws_subnet.public_a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "public_b" {
  subnet_id      = aws_subnet.public_b.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "alb" {
  name        = "alb-sg"
  description = "ALB open to the world"
  vpc_id      = aws_vpc.seed.id

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "alb-sg" }
}

resource "aws_security_group" "tasks" {
  name        = "tasks-sg"
  description = "Tasks reachable only from the ALB"
  vpc_id      = aws_vpc.seed.id
  tags        = { Name = "tasks-sg" }
}

resource "aws_vpc_security_group_ingress_rule" "tasks_http" {
  security_group_id            = aws_security_group.tasks.id
  referenced_security_group_id = aws_security_group.alb.id
  from_port                    = 80
  to_port                      = 80
  ip_protocol                  = "tcp"
  tags                         = { Name = "from-alb-80" }
}

resource "aws_vpc_security_group_ingress_rule" "tasks_api" {
  security_group_id            = aws_security_group.tasks.id
  referenced_security_group_id = aws_security_group.alb.id
  from_port                    = 8080
  to_port                      = 8080
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "tasks_all" {
  security_group_id = aws_security_group.tasks.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_ecr_repository" "frontend" {
  name                 = "frontend"
  image_tag_mutability = "MUTABLE"
  force_delete         = true
  tags                 = { app = "seed" }
}

resource "aws_ecr_repository" "backend" {
  name         = "backend"
  force_delete = true
}

resource "aws_cloudwatch_log_group" "seed" {
  name              = "/ecs/seed"
  retention_in_days = 7
  tags              = { app = "seed" }
}

resource "aws_ecs_cluster" "seed" {
  name = "seed"
  setting {
    name  = "containerInsights"
    value = "disabled"
  }
  tags = { app = "seed" }
}

resource "aws_ecs_task_definition" "frontend" {
  family                   = "seed-frontend"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = local.execution_role
  container_definitions = jsonencode([{
    name         = "frontend"
    image        = "${aws_ecr_repository.frontend.repository_url}:v1"
    essential    = true
    portMappings = [{ containerPort = 80, protocol = "tcp" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.seed.name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = "frontend"
      }
    }
  }])
  tags = { app = "seed" }
}

resource "aws_ecs_task_definition" "backend" {
  family                   = "seed-backend"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = local.execution_role
  container_definitions = jsonencode([{
    name         = "backend"
    image        = "${aws_ecr_repository.backend.repository_url}:v1"
    essential    = true
    portMappings = [{ containerPort = 8080, protocol = "tcp" }]
  }])
}

resource "aws_lb" "seed" {
  name               = "seed-alb"
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = [aws_subnet.public_a.id, aws_subnet.public_b.id]
  tags               = { app = "seed" }
}

resource "aws_lb_target_group" "frontend" {
  name        = "seed-frontend"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = aws_vpc.seed.id
  target_type = "ip"

  deregistration_delay = 5
  health_check {
    path                = "/"
    interval            = 5
    timeout             = 2
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
  tags = { app = "seed" }
}

resource "aws_lb_target_group" "backend" {
  name        = "seed-backend"
  port        = 8080
  protocol    = "HTTP"
  vpc_id      = aws_vpc.seed.id
  target_type = "ip"

  deregistration_delay = 5
  health_check {
    path     = "/stats"
    interval = 5
    timeout  = 2
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.seed.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.frontend.arn
  }
  tags = { app = "seed" }
}

resource "aws_lb_listener_rule" "stats" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 10

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.backend.arn
  }

  condition {
    path_pattern {
      values = ["/stats*"]
    }
  }
  tags = { app = "seed" }
}

resource "aws_ecs_service" "frontend" {
  name            = "seed-frontend"
  cluster         = aws_ecs_cluster.seed.id
  task_definition = aws_ecs_task_definition.frontend.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = [aws_subnet.public_a.id, aws_subnet.public_b.id]
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = true
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.frontend.arn
    container_name   = "frontend"
    container_port   = 80
  }

  depends_on = [aws_lb_listener.http]
  tags       = { app = "seed" }
}

resource "aws_ecs_service" "backend" {
  name            = "seed-backend"
  cluster         = aws_ecs_cluster.seed.id
  task_definition = aws_ecs_task_definition.backend.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = [aws_subnet.public_a.id, aws_subnet.public_b.id]
    security_groups = [aws_security_group.tasks.id]
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.backend.arn
    container_name   = "backend"
    container_port   = 8080
  }

  depends_on = [aws_lb_listener_rule.stats]
}

output "alb_dns_name" {
  value = aws_lb.seed.dns_name
}
