#include <gtest/gtest.h>

#include "services/ssm/ssm_test_support.h"

namespace services::ssm {
namespace {

TEST_F(SsmHandlersTest, LabelsSelectVersionsAndMoveBetweenThem) {
  put("/l", "one");
  ok("PutParameter", J(R"({"Name":"/l","Value":"two","Overwrite":true})"));
  object out = ok("LabelParameterVersion", J(R"({"Name":"/l","ParameterVersion":1,
                                                 "Labels":["prod","1bad","awsx","ok.x-y_z"]})"));
  EXPECT_EQ(out.at("ParameterVersion").as_int64(), 1);
  EXPECT_EQ(out.at("InvalidLabels"), (array{"1bad", "awsx"}));
  EXPECT_EQ(value_of("/l:prod"), "one");
  EXPECT_EQ(get("/l:prod").at("Selector").as_string(), ":prod");
  // Without ParameterVersion the latest version gets the label, which leaves version 1.
  EXPECT_EQ(ok("LabelParameterVersion", J(R"({"Name":"/l","Labels":["prod"]})"))
                .at("ParameterVersion")
                .as_int64(),
            2);
  EXPECT_EQ(value_of("/l:prod"), "two");
  object h = ok("GetParameterHistory", J(R"({"Name":"/l"})"));
  EXPECT_EQ(h.at("Parameters").at(0).at("Labels"), (array{"ok.x-y_z"}));
  EXPECT_EQ(err("GetParameter", J(R"({"Name":"/l:nolabel"})")).code, "ParameterNotFound");
  EXPECT_EQ(
      err("LabelParameterVersion", J(R"({"Name":"/l","ParameterVersion":7,"Labels":["a"]})")).code,
      "ParameterVersionNotFound");
  EXPECT_EQ(err("LabelParameterVersion", J(R"({"Name":"/none","Labels":["a"]})")).code,
            "ParameterNotFound");
}

TEST_F(SsmHandlersTest, AVersionHoldsAtMostTenLabels) {
  put("/l", "v");
  ok("LabelParameterVersion",
     J(R"({"Name":"/l","Labels":["a1","a2","a3","a4","a5","a6","a7","a8","a9","a10"]})"));
  protocol::AwsError e = err("LabelParameterVersion", J(R"({"Name":"/l","Labels":["a11"]})"));
  EXPECT_EQ(e.code, "ParameterVersionLabelLimitExceeded");
  // Labels it already has do not count twice.
  ok("LabelParameterVersion", J(R"({"Name":"/l","Labels":["a1"]})"));
}

TEST_F(SsmHandlersTest, UnlabelRemovesOnlyWhatIsThere) {
  put("/l", "v");
  ok("LabelParameterVersion", J(R"({"Name":"/l","Labels":["a","b"]})"));
  object out = ok("UnlabelParameterVersion",
                  J(R"({"Name":"/l","ParameterVersion":1,"Labels":["a","zzz"]})"));
  EXPECT_EQ(out.at("RemovedLabels"), (array{"a"}));
  EXPECT_EQ(out.at("InvalidLabels"), (array{"zzz"}));
  EXPECT_EQ(err("GetParameter", J(R"({"Name":"/l:a"})")).code, "ParameterNotFound");
  EXPECT_EQ(value_of("/l:b"), "v");
  EXPECT_EQ(
      err("UnlabelParameterVersion", J(R"({"Name":"/l","ParameterVersion":3,"Labels":["b"]})"))
          .code,
      "ParameterVersionNotFound");
}

TEST_F(SsmHandlersTest, TagsAddListAndRemove) {
  put("/t", "v", "String", object{{"Tags", array{object{{"Key", "env"}, {"Value", "dev"}}}}});
  ok("AddTagsToResource", J(R"({"ResourceType":"Parameter","ResourceId":"/t",
                                "Tags":[{"Key":"team","Value":"a"},{"Key":"env","Value":"prod"}]})"));
  object out = ok("ListTagsForResource", J(R"({"ResourceType":"Parameter","ResourceId":"/t"})"));
  EXPECT_EQ(out.at("TagList"), (array{object{{"Key", "env"}, {"Value", "prod"}},
                                      object{{"Key", "team"}, {"Value", "a"}}}));
  ok("RemoveTagsFromResource",
     J(R"({"ResourceType":"Parameter","ResourceId":"/t","TagKeys":["env"]})"));
  out = ok("ListTagsForResource", J(R"({"ResourceType":"Parameter","ResourceId":"/t"})"));
  EXPECT_EQ(out.at("TagList"), (array{object{{"Key", "team"}, {"Value", "a"}}}));
  EXPECT_EQ(
      err("ListTagsForResource", J(R"({"ResourceType":"Parameter","ResourceId":"/none"})")).code,
      "InvalidResourceId");
  EXPECT_EQ(err("ListTagsForResource", J(R"({"ResourceType":"Document","ResourceId":"/t"})")).code,
            "InvalidResourceType");
}

}  // namespace
}  // namespace services::ssm
