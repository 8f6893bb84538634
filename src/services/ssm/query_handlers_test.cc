#include <gtest/gtest.h>

#include "services/ssm/ssm_test_support.h"

namespace services::ssm {
namespace {

class SsmQueryTest : public SsmHandlersTest {
 protected:
  void SetUp() override {
    put("/app/db/host", "db");
    put("/app/db/password", "pw", "SecureString");
    put("/app/web/port", "80");
    put("/app/name", "demo", "String",
        object{{"Tags", array{object{{"Key", "team"}, {"Value", "core"}}}}});
    put("/other/x", "x");
    put("flat", "f");
  }
};

TEST_F(SsmQueryTest, GetParametersByPathOneLevelOrRecursive) {
  EXPECT_EQ(names_in(ok("GetParametersByPath", J(R"({"Path":"/app"})"))),
            (std::vector<std::string>{"/app/name"}));
  EXPECT_EQ(
      names_in(ok("GetParametersByPath", J(R"({"Path":"/app/","Recursive":true})"))),
      (std::vector<std::string>{"/app/db/host", "/app/db/password", "/app/name", "/app/web/port"}));
  EXPECT_EQ(names_in(ok("GetParametersByPath", J(R"({"Path":"/"})"))),
            (std::vector<std::string>{"flat"}));
  EXPECT_EQ(err("GetParametersByPath", J(R"({"Path":"app"})")).code, "ValidationException");
}

TEST_F(SsmQueryTest, GetParametersByPathDecryptsOnlyWhenAsked) {
  object enc = ok("GetParametersByPath", J(R"({"Path":"/app/db"})"));
  object dec = ok("GetParametersByPath", J(R"({"Path":"/app/db","WithDecryption":true})"));
  EXPECT_NE(enc.at("Parameters").at(1).at("Value").as_string(), "pw");
  EXPECT_EQ(dec.at("Parameters").at(1).at("Value").as_string(), "pw");
}

TEST_F(SsmQueryTest, GetParametersByPathPagesAndFilters) {
  std::vector<std::string> seen;
  object page = ok("GetParametersByPath", J(R"({"Path":"/app","Recursive":true,"MaxResults":3})"));
  int pages = 1;
  while (true) {
    for (const std::string& n : names_in(page)) seen.push_back(n);
    if (!page.contains("NextToken")) break;
    page = ok("GetParametersByPath", object{{"Path", "/app"},
                                            {"Recursive", true},
                                            {"MaxResults", 3},
                                            {"NextToken", page.at("NextToken")}});
    ++pages;
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(err("GetParametersByPath", J(R"({"Path":"/app","MaxResults":11})")).code,
            "ValidationException");
  EXPECT_EQ(err("GetParametersByPath", J(R"({"Path":"/app","NextToken":"!!"})")).code,
            "InvalidNextToken");
  object typed = ok("GetParametersByPath", J(R"({"Path":"/app","Recursive":true,
                          "ParameterFilters":[{"Key":"Type","Values":["SecureString"]}]})"));
  EXPECT_EQ(names_in(typed), (std::vector<std::string>{"/app/db/password"}));
  protocol::AwsError e =
      err("GetParametersByPath",
          J(R"({"Path":"/app","ParameterFilters":[{"Key":"Name","Values":["x"]}]})"));
  EXPECT_EQ(e.code, "InvalidFilterKey");
}

TEST_F(SsmQueryTest, DescribeParametersFiltersAndPages) {
  object all = ok("DescribeParameters", J(R"({"MaxResults":50})"));
  EXPECT_EQ(names_in(all).size(), 6u);
  object meta = all.at("Parameters").at(1).as_object();  // /app/db/password
  EXPECT_EQ(meta.at("Name").as_string(), "/app/db/password");
  EXPECT_EQ(meta.at("KeyId").as_string(), "alias/aws/ssm");
  EXPECT_EQ(meta.at("LastModifiedUser").as_string(), "arn:aws:iam::123456789012:root");
  EXPECT_EQ(meta.at("Tier").as_string(), "Standard");
  EXPECT_FALSE(meta.contains("Value"));
  auto names = [&](std::string_view filters) {
    return names_in(ok("DescribeParameters", J(filters)));
  };
  EXPECT_EQ(names(R"({"ParameterFilters":[{"Key":"Path","Values":["/app/db"]}]})"),
            (std::vector<std::string>{"/app/db/host", "/app/db/password"}));
  EXPECT_EQ(names(R"({"ParameterFilters":[{"Key":"Path","Option":"Recursive","Values":["/app"]}],
                      "MaxResults":50})")
                .size(),
            4u);
  EXPECT_EQ(
      names(R"({"ParameterFilters":[{"Key":"Name","Option":"BeginsWith","Values":["/app/w"]}]})"),
      (std::vector<std::string>{"/app/web/port"}));
  EXPECT_EQ(names(R"({"ParameterFilters":[{"Key":"Name","Values":["flat"]}]})"),
            (std::vector<std::string>{"flat"}));
  EXPECT_EQ(names(R"({"ParameterFilters":[{"Key":"tag:team","Values":["core"]}]})"),
            (std::vector<std::string>{"/app/name"}));
  EXPECT_EQ(names(R"({"ParameterFilters":[{"Key":"tag:team"}]})"),
            (std::vector<std::string>{"/app/name"}));
  EXPECT_EQ(names(R"({"ParameterFilters":[{"Key":"KeyId","Values":["alias/aws/ssm"]}]})"),
            (std::vector<std::string>{"/app/db/password"}));
  EXPECT_EQ(names(R"({"Filters":[{"Key":"Type","Values":["SecureString"]}]})"),
            (std::vector<std::string>{"/app/db/password"}));
  object page = ok("DescribeParameters", J(R"({"MaxResults":4})"));
  EXPECT_EQ(names_in(page).size(), 4u);
  page = ok("DescribeParameters", object{{"MaxResults", 4}, {"NextToken", page.at("NextToken")}});
  EXPECT_EQ(names_in(page).size(), 2u);
  EXPECT_FALSE(page.contains("NextToken"));
}

TEST_F(SsmQueryTest, DescribeParametersRefusesBadFilters) {
  auto e = [&](std::string_view in) { return err("DescribeParameters", J(in)); };
  EXPECT_EQ(e(R"({"Filters":[{"Key":"Name","Values":["a"]}],
                  "ParameterFilters":[{"Key":"Name","Values":["a"]}]})")
                .message,
            "You can use either Filters or ParameterFilters in a single request.");
  EXPECT_EQ(e(R"({"ParameterFilters":[{"Key":"Label","Values":["a"]}]})").code, "InvalidFilterKey");
  EXPECT_EQ(e(R"({"ParameterFilters":[{"Key":"Bogus","Values":["a"]}]})").code,
            "ValidationException");
  EXPECT_EQ(e(R"({"ParameterFilters":[{"Key":"Path","Option":"Equals","Values":["/a"]}]})").code,
            "InvalidFilterOption");
  EXPECT_EQ(e(R"({"ParameterFilters":[{"Key":"Type","Values":["Number"]}]})").code,
            "InvalidFilterValue");
  EXPECT_EQ(e(R"({"ParameterFilters":[{"Key":"Path","Values":["/aws/x"]}]})").code,
            "ValidationException");
  EXPECT_EQ(
      e(R"({"ParameterFilters":[{"Key":"Name","Values":["a"]},{"Key":"Name","Values":["b"]}]})")
          .code,
      "InvalidFilterKey");
}

TEST_F(SsmQueryTest, HistoryShowsEveryVersionWithLabelsAndPages) {
  for (int i = 2; i <= 5; ++i) {
    clock_.advance(std::chrono::seconds(1));
    ok("PutParameter", object{{"Name", "/app/db/password"},
                              {"Value", "pw" + std::to_string(i)},
                              {"Overwrite", true},
                              {"Description", "v" + std::to_string(i)}});
  }
  ok("LabelParameterVersion",
     J(R"({"Name":"/app/db/password","ParameterVersion":2,"Labels":["old"]})"));
  object h = ok("GetParameterHistory", J(R"({"Name":"/app/db/password","WithDecryption":true})"));
  const array& list = h.at("Parameters").as_array();
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[0].at("Value").as_string(), "pw");
  EXPECT_EQ(list[4].at("Value").as_string(), "pw5");
  EXPECT_EQ(list[4].at("Description").as_string(), "v5");
  EXPECT_EQ(list[1].at("Labels"), (array{"old"}));
  EXPECT_DOUBLE_EQ(list[4].at("LastModifiedDate").as_double(), 1700000004.0);
  object enc = ok("GetParameterHistory", J(R"({"Name":"/app/db/password"})"));
  EXPECT_NE(enc.at("Parameters").at(4).at("Value").as_string(), "pw5");
  object page = ok("GetParameterHistory", J(R"({"Name":"/app/db/password","MaxResults":2})"));
  std::vector<int64_t> versions;
  while (true) {
    for (const auto& p : page.at("Parameters").as_array())
      versions.push_back(p.at("Version").as_int64());
    if (!page.contains("NextToken")) break;
    page = ok("GetParameterHistory", object{{"Name", "/app/db/password"},
                                            {"MaxResults", 2},
                                            {"NextToken", page.at("NextToken")}});
  }
  EXPECT_EQ(versions, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(err("GetParameterHistory", J(R"({"Name":"/none"})")).code, "ParameterNotFound");
}

}  // namespace
}  // namespace services::ssm
