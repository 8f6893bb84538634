#pragma once
// Who is calling, where, and which operation: the result of SigV4 and routing, passed to handlers.

#include <string>

#include "core/clock.h"
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
  Protocol protocol = Protocol::Json;
  core::TimePoint received_at{};
};

}  // namespace protocol
