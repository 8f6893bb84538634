#pragma once
// CloudFormation's errors, in its words. Almost everything is a ValidationError (400, Sender).

#include <string>

#include "protocol/aws_error.h"

namespace services::cloudformation::errors {

inline protocol::AwsError validation(std::string m) { return {"ValidationError", std::move(m)}; }
inline protocol::AwsError stack_not_found(const std::string& name_or_id) {
  return validation("Stack with id " + name_or_id + " does not exist");
}
inline protocol::AwsError already_exists(const std::string& what) {
  return {"AlreadyExistsException", what + " already exists"};
}
inline protocol::AwsError change_set_not_found(const std::string& name) {
  return {"ChangeSetNotFound", "ChangeSet [" + name + "] does not exist"};
}
inline protocol::AwsError insufficient_capabilities(const std::string& capability) {
  return {"InsufficientCapabilitiesException", "Requires capabilities : [" + capability + "]"};
}
inline protocol::AwsError wrong_state(const std::string& stack_id, const std::string& status,
                                      const std::string& what) {
  return validation("Stack:" + stack_id + " is in " + status + " state and can not be " + what +
                    ".");
}

}  // namespace services::cloudformation::errors
