#pragma once
// Metric filters on the wire: MetricTransformation and MetricFilter objects, both ways. The
// store keeps transformations as this same JSON.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <vector>

#include "protocol/aws_error.h"
#include "services/logs/metric_filter_store.h"

namespace services::logs {

boost::json::array transformations_json(const std::vector<MetricTransformation>& ts);
// From a model-validated metricTransformations array (or the stored JSON).
std::vector<MetricTransformation> transformations_from_json(const boost::json::array& in);

boost::json::object metric_filter_json(const MetricFilterRow& row);

}  // namespace services::logs
