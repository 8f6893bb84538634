// PutDashboard, GetDashboard, ListDashboards and DeleteDashboards.

#include <boost/json.hpp>

#include "services/cloudwatch/cloudwatch_test_support.h"

namespace services::cloudwatch {
namespace {

namespace json = boost::json;

using DashboardHandlersTest = CloudWatchHandlersTest;

constexpr const char* kBody =
    R"({"widgets":[{"type":"metric","x":0,"y":0,"width":12,"height":6,"properties":{}}]})";

TEST_F(DashboardHandlersTest, PutGetListDelete) {
  json::object r =
      ok("PutDashboard", json::object{{"DashboardName", "ops"}, {"DashboardBody", kBody}});
  EXPECT_TRUE(r["DashboardValidationMessages"].as_array().empty());
  ok("PutDashboard", json::object{{"DashboardName", "web"}, {"DashboardBody", kBody}});
  json::object d = ok("GetDashboard", R"({"DashboardName":"ops"})");
  EXPECT_EQ(d["DashboardBody"], kBody);
  EXPECT_EQ(d["DashboardArn"], "arn:aws:cloudwatch::123456789012:dashboard/ops");
  json::object l = ok("ListDashboards", R"({"DashboardNamePrefix":"w"})");
  ASSERT_EQ(l["DashboardEntries"].as_array().size(), 1u);
  EXPECT_EQ(l["DashboardEntries"].as_array()[0].at("Size"), static_cast<int64_t>(strlen(kBody)));
  EXPECT_EQ(err("DeleteDashboards", R"({"DashboardNames":["ops","nope"]})").code,
            "ResourceNotFound");
  ok("GetDashboard", R"({"DashboardName":"ops"})");  // nothing went
  ok("DeleteDashboards", R"({"DashboardNames":["ops","web"]})");
  EXPECT_EQ(err("GetDashboard", R"({"DashboardName":"ops"})").code, "ResourceNotFound");
}

TEST_F(DashboardHandlersTest, BodyIsValidated) {
  protocol::AwsError e =
      err("PutDashboard", json::object{{"DashboardName", "x"}, {"DashboardBody", R"({"a":1})"}});
  EXPECT_EQ(e.code, "InvalidParameterInput");
  EXPECT_EQ(
      e.fields.at("dashboardValidationMessages"),
      J(R"({"m":[{"DataPath":"","Message":"Should have required property 'widgets'"}]})")["m"]);
  EXPECT_EQ(err("PutDashboard", json::object{{"DashboardName", "x"}, {"DashboardBody", "{"}}).code,
            "InvalidParameterInput");
  e = err("PutDashboard",
          json::object{{"DashboardName", "x"}, {"DashboardBody", R"({"widgets":[{"x":1}]})"}});
  EXPECT_EQ(e.fields.at("dashboardValidationMessages").as_array()[0].at("DataPath"), "/widgets/0");
  EXPECT_EQ(
      err("PutDashboard", json::object{{"DashboardName", "a b"}, {"DashboardBody", kBody}}).code,
      "InvalidParameterInput");
}

}  // namespace
}  // namespace services::cloudwatch
