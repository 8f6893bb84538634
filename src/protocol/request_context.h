#pragma once
// Who is calling, where, and which operation: the result of SigV4 and routing, passed to handlers.

#include <string>

#include "core/clock.h"
#include "core/ids.h"
#include "protocol/model.h"

namespace protocol {

struct RequestContext {
  std::string request_id;      // x-amzn-RequestId
  std::string account;         // 12 digits
  std::string region;          // from the credential scope, else the server default
  std::string service;         // model name: "ecs"
  std::string operation;       // "CreateService"
  std::string access_key_id;   // empty for unsigned requests
  std::string caller_arn;      // arn:aws:iam::<account>:root, or an assumed-role session ARN
  std::string caller_user_id;  // GetCallerIdentity's UserId
  std::string host;            // Host header as the client sent it
  std::string source_ip;       // the peer's address (aws:SourceIp); empty for in-process calls
  Protocol protocol = Protocol::Json;
  core::TimePoint received_at{};
  // In-process calls only (never set from a request): the AWS service calling on the caller's
  // behalf, as IAM's aws:CalledVia names it. Services accept the reserved "aws:" tag keys from
  // kCalledViaCloudFormation, which tags each stack resource with aws:cloudformation:*.
  std::string called_via;
  static constexpr const char* kCalledViaCloudFormation = "cloudformation.amazonaws.com";
  bool via_cloudformation() const { return called_via == kCalledViaCloudFormation; }

  // The context of a call that Gantry makes itself, in process, on behalf of `account` in
  // `region` (ECS registering targets, later CloudFormation and Application Auto Scaling):
  // a fresh request id, and the account's root as the caller unless one is given.
  static RequestContext internal(std::string account, std::string region,
                                 std::string caller_arn = "") {
    RequestContext ctx;
    ctx.request_id = core::ids::uuid4();
    ctx.caller_arn = caller_arn.empty() ? "arn:aws:iam::" + account + ":root" : std::move(caller_arn);
    ctx.account = std::move(account);
    ctx.region = std::move(region);
    return ctx;
  }
};

}  // namespace protocol
