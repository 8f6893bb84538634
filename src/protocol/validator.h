#pragma once
// Checks a decoded input document against the model's constraints: required members, types,
// enums, min/max (length for strings, blobs, lists and maps; value for numbers).
// The first violations are reported the way the protocol family reports them:
//   json / rest-json / cbor:  ValidationException,
//     "1 validation error detected: Value null at 'cluster' failed to satisfy constraint: Member
//      must not be null"
//   query:  ValidationError with the same text
//   ec2:    MissingParameter ("The request must contain the parameter X") or InvalidParameterValue

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "protocol/aws_error.h"
#include "protocol/model.h"

namespace protocol {

// The code a service uses for constraint violations: ValidationError for query services,
// InvalidParameterException where the model has that and no ValidationException (ECS), else
// ValidationException.
std::string validation_error_code(const ServiceModel& model, Protocol protocol);

std::optional<AwsError> validate_input(const ServiceModel& model, const OperationDef& op,
                                       const boost::json::object& input, Protocol protocol);

}  // namespace protocol
