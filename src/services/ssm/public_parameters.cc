#include "services/ssm/public_parameters.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/hex.h"
#include "core/sha256.h"

namespace services::ssm {

namespace {

struct RegionFacts {
  std::string_view name;
  std::string_view long_name;
};

constexpr std::array kRegionFacts = {
    RegionFacts{"us-east-1", "US East (N. Virginia)"},
    RegionFacts{"us-east-2", "US East (Ohio)"},
    RegionFacts{"us-west-1", "US West (N. California)"},
    RegionFacts{"us-west-2", "US West (Oregon)"},
    RegionFacts{"ca-central-1", "Canada (Central)"},
    RegionFacts{"sa-east-1", "South America (Sao Paulo)"},
    RegionFacts{"eu-west-1", "Europe (Ireland)"},
    RegionFacts{"eu-west-2", "Europe (London)"},
    RegionFacts{"eu-west-3", "Europe (Paris)"},
    RegionFacts{"eu-central-1", "Europe (Frankfurt)"},
    RegionFacts{"eu-north-1", "Europe (Stockholm)"},
    RegionFacts{"ap-south-1", "Asia Pacific (Mumbai)"},
    RegionFacts{"ap-northeast-1", "Asia Pacific (Tokyo)"},
    RegionFacts{"ap-northeast-2", "Asia Pacific (Seoul)"},
    RegionFacts{"ap-northeast-3", "Asia Pacific (Osaka)"},
    RegionFacts{"ap-southeast-1", "Asia Pacific (Singapore)"},
    RegionFacts{"ap-southeast-2", "Asia Pacific (Sydney)"},
};

// The services Gantry emulates, as global-infrastructure/services names them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kServices = {{
    {"cloudformation", "AWS CloudFormation"},
    {"cloudwatch", "Amazon CloudWatch"},
    {"ec2", "Amazon Elastic Compute Cloud (EC2)"},
    {"ecr", "Amazon Elastic Container Registry (ECR)"},
    {"ecs", "Amazon Elastic Container Service (ECS)"},
    {"elb", "Elastic Load Balancing"},
    {"iam", "AWS Identity and Access Management (IAM)"},
    {"kms", "AWS Key Management Service (KMS)"},
    {"logs", "Amazon CloudWatch Logs"},
    {"secretsmanager", "AWS Secrets Manager"},
    {"ssm", "AWS Systems Manager"},
    {"sts", "AWS Security Token Service (STS)"},
}};

constexpr std::string_view kInfra = "/aws/service/global-infrastructure";
constexpr std::string_view kAmazonLinux = "/aws/service/ami-amazon-linux-latest/";
constexpr std::string_view kEcsAmi = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended";

// "ami-" and 17 hex digits, the same for a name and region on every machine.
std::string fake_ami(std::string_view image, std::string_view region) {
  return "ami-0" +
         core::hex(core::sha256(std::string(image) + "|" + std::string(region))).substr(0, 16);
}

std::string ecs_recommended(std::string_view image_id) {
  return R"({"ecs_agent_version":"1.89.2","ecs_runtime_version":"Docker version 25.0.6",)"
         R"("image_id":")" +
         std::string(image_id) +
         R"(","image_name":"amzn2-ami-ecs-hvm-2.0.20250102-x86_64-ebs",)"
         R"("image_version":"2.0.20250102","os":"Amazon Linux 2","schema_version":1,)"
         R"("source_image_name":"amzn2-ami-minimal-hvm-2.0.20241217.0-x86_64-ebs"})";
}

void add_infrastructure(std::vector<PublicParameter>& out) {
  std::string regions = std::string(kInfra) + "/regions/";
  std::string services = std::string(kInfra) + "/services/";
  for (const RegionFacts& r : kRegionFacts) {
    std::string base = regions + std::string(r.name);
    out.push_back({base, std::string(r.name)});
    out.push_back({base + "/longName", std::string(r.long_name)});
    out.push_back({base + "/domain", "amazonaws.com"});
    out.push_back({base + "/partition", "aws"});
    for (const auto& [svc, long_name] : kServices) {
      out.push_back({base + "/services/" + std::string(svc), std::string(svc)});
    }
  }
  for (const auto& [svc, long_name] : kServices) {
    std::string base = services + std::string(svc);
    out.push_back({base, std::string(svc)});
    out.push_back({base + "/longName", std::string(long_name)});
    for (const RegionFacts& r : kRegionFacts) {
      out.push_back({base + "/regions/" + std::string(r.name), std::string(r.name)});
    }
  }
}

void add_images(std::string_view region, std::vector<PublicParameter>& out) {
  for (std::string_view image :
       {"al2023-ami-kernel-default-x86_64", "al2023-ami-kernel-default-arm64",
        "amzn2-ami-hvm-x86_64-gp2", "amzn2-ami-hvm-arm64-gp2"}) {
    out.push_back(
        {std::string(kAmazonLinux) + std::string(image), fake_ami(image, region), "aws:ec2:image"});
  }
  std::string ecs_ami = fake_ami("amzn2-ami-ecs-hvm-x86_64", region);
  out.push_back({std::string(kEcsAmi), ecs_recommended(ecs_ami)});
  out.push_back({std::string(kEcsAmi) + "/image_id", ecs_ami, "aws:ec2:image"});
  out.push_back(
      {std::string(kEcsAmi) + "/image_name", "amzn2-ami-ecs-hvm-2.0.20250102-x86_64-ebs"});
  out.push_back({std::string(kEcsAmi) + "/os", "Amazon Linux 2"});
}

std::vector<PublicParameter> all_public(std::string_view region) {
  std::vector<PublicParameter> out;
  add_infrastructure(out);
  add_images(region, out);
  std::sort(out.begin(), out.end(),
            [](const PublicParameter& a, const PublicParameter& b) { return a.name < b.name; });
  return out;
}

}  // namespace

std::optional<PublicParameter> find_public(std::string_view region, std::string_view name) {
  if (!name.starts_with("/aws/service/")) return std::nullopt;
  for (PublicParameter& p : all_public(region)) {
    if (p.name == name) return std::move(p);
  }
  return std::nullopt;
}

std::vector<PublicParameter> public_under(std::string_view region, std::string_view path,
                                          bool recursive) {
  std::vector<PublicParameter> out;
  if (!path.starts_with("/aws/service/")) return out;
  for (PublicParameter& p : all_public(region)) {
    std::string_view name = p.name;
    if (!name.starts_with(path) || name.size() == path.size()) continue;
    if (!recursive && name.substr(path.size()).find('/') != std::string_view::npos) continue;
    out.push_back(std::move(p));
  }
  return out;
}

const std::vector<std::string_view>& public_regions() {
  static const std::vector<std::string_view> regions = [] {
    std::vector<std::string_view> out;
    for (const RegionFacts& r : kRegionFacts) out.push_back(r.name);
    return out;
  }();
  return regions;
}

}  // namespace services::ssm
