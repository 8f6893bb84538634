#pragma once
// STS's wire shapes <-> C++: credentials, the assumed-role user, session tags.

#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <vector>

#include "protocol/aws_error.h"
#include "services/sts/credential_issuer.h"

namespace services::sts {

// {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}
boost::json::object credentials_json(const TemporaryCredentials& c);
// {"AssumedRoleId", "Arn"}
boost::json::object assumed_role_user_json(const TemporaryCredentials& c);

// AssumeRole's Tags ([{"Key", "Value"}]); a key repeated in any case is refused, as STS does.
protocol::Result<std::map<std::string, std::string>> session_tags(const boost::json::object& in);

}  // namespace services::sts
