#pragma once
// CloudFormation's stored state as plain structs (tables of migrations/0016_cloudformation.sql).
// JSON members hold the wire lists as they are shown (cloudformation_json.cc writes them out).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

namespace services::cloudformation {

// Stack statuses, as the API spells them.
namespace status {
inline constexpr const char* kCreateInProgress = "CREATE_IN_PROGRESS";
inline constexpr const char* kCreateComplete = "CREATE_COMPLETE";
inline constexpr const char* kCreateFailed = "CREATE_FAILED";
inline constexpr const char* kRollbackInProgress = "ROLLBACK_IN_PROGRESS";
inline constexpr const char* kRollbackComplete = "ROLLBACK_COMPLETE";
inline constexpr const char* kRollbackFailed = "ROLLBACK_FAILED";
inline constexpr const char* kDeleteInProgress = "DELETE_IN_PROGRESS";
inline constexpr const char* kDeleteComplete = "DELETE_COMPLETE";
inline constexpr const char* kDeleteFailed = "DELETE_FAILED";
inline constexpr const char* kDeleteSkipped = "DELETE_SKIPPED";
inline constexpr const char* kUpdateInProgress = "UPDATE_IN_PROGRESS";
inline constexpr const char* kUpdateCompleteCleanup = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
inline constexpr const char* kUpdateComplete = "UPDATE_COMPLETE";
inline constexpr const char* kUpdateFailed = "UPDATE_FAILED";
inline constexpr const char* kUpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS";
inline constexpr const char* kUpdateRollbackCleanup =
    "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS";
inline constexpr const char* kUpdateRollbackComplete = "UPDATE_ROLLBACK_COMPLETE";
inline constexpr const char* kUpdateRollbackFailed = "UPDATE_ROLLBACK_FAILED";
inline constexpr const char* kReviewInProgress = "REVIEW_IN_PROGRESS";
}  // namespace status

struct Stack {
  std::string stack_id;  // arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>
  std::string account, region, name;
  std::string status, status_reason;
  std::string description;
  std::string template_body;
  boost::json::array parameters;  // [{ParameterKey, ParameterValue}] as run (defaults included)
  std::string previous_template;  // before the last update (its rollback target)
  boost::json::array previous_parameters;
  boost::json::array capabilities, notification_arns, tags, outputs;
  std::string role_arn;
  int64_t timeout_minutes = 0;
  bool disable_rollback = false;
  bool termination_protection = false;
  std::string change_set_id;  // the change set last executed
  int64_t created_ms = 0, updated_ms = 0, deleted_ms = 0;
  std::string drift_status = "NOT_CHECKED";
  int64_t drift_checked_ms = 0;
};

struct StackResource {
  std::string stack_id;
  std::string logical_id;
  std::string type;
  std::string physical_id;
  std::string status, status_reason;
  boost::json::value properties;  // resolved, as applied (null: none)
  boost::json::object attributes;
  boost::json::value metadata;
  int64_t updated_ms = 0;
  std::string drift_status = "NOT_CHECKED";
  boost::json::value drift_details;  // {expected, actual, differences} of the last check
  int64_t drift_checked_ms = 0;
};

struct StackEvent {
  std::string stack_id;
  int64_t seq = 0;
  std::string event_id;
  std::string logical_id, physical_id, type;
  std::string status, status_reason;
  std::string properties;  // ResourceProperties: the resolved properties as JSON text
  int64_t timestamp_ms = 0;
};

struct Export {
  std::string account, region, name, value, stack_id;
};

struct ChangeSet {
  std::string change_set_id;  // arn:aws:cloudformation:<region>:<account>:changeSet/<name>/<uuid>
  std::string account, region, stack_id, name;
  std::string type;              // CREATE, UPDATE
  std::string status;            // CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, FAILED,
                                 // DELETE_COMPLETE
  std::string status_reason;
  std::string execution_status;  // UNAVAILABLE, AVAILABLE, EXECUTE_IN_PROGRESS,
                                 // EXECUTE_COMPLETE, EXECUTE_FAILED, OBSOLETE
  std::string description;
  std::string template_body;
  boost::json::array parameters, capabilities, notification_arns, tags;
  boost::json::array changes;  // [{Type: "Resource", ResourceChange: {...}}]
  int64_t created_ms = 0;
};

// Whether a stack status is a terminal one (no operation running).
bool is_settled(const std::string& stack_status);

}  // namespace services::cloudformation
