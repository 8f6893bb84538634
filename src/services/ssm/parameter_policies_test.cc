#include "services/ssm/parameter_policies.h"

#include <gtest/gtest.h>

#include "services/ssm/ssm_test_support.h"

namespace services::ssm {
namespace {

std::string code_of(std::string_view policies) {
  protocol::Result<void> r = check_policies(policies);
  return r ? "" : r.error().code;
}

TEST(ParameterPoliciesTest, AcceptsTheThreeTypesWithTheirAttributes) {
  EXPECT_EQ(code_of(R"([{"Type":"Expiration","Version":"1.0",
                          "Attributes":{"Timestamp":"2030-12-02T21:34:33.000Z"}},
                         {"Type":"ExpirationNotification","Version":"1.0",
                          "Attributes":{"Before":"15","Unit":"Days"}},
                         {"Type":"NoChangeNotification","Version":"1.0",
                          "Attributes":{"After":"20","Unit":"Hours"}}])"),
            "");
  EXPECT_EQ(code_of("[]"), "");
}

TEST(ParameterPoliciesTest, RefusesWhatParameterStoreRefuses) {
  EXPECT_EQ(code_of("not json"), "InvalidPolicyTypeException");
  EXPECT_EQ(code_of(R"([{"Type":"Rotation","Version":"1.0","Attributes":{}}])"),
            "InvalidPolicyTypeException");
  EXPECT_EQ(code_of(R"([{"Type":"Expiration","Version":"1.0","Attributes":{}}])"),
            "InvalidPolicyAttributeException");
  EXPECT_EQ(code_of(R"([{"Type":"NoChangeNotification","Version":"1.0",
                         "Attributes":{"After":"20","Unit":"Weeks"}}])"),
            "InvalidPolicyAttributeException");
  EXPECT_EQ(code_of(R"([{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"a"}},
                         {"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"b"}}])"),
            "IncompatiblePolicyException");
  std::string eleven = "[";
  for (int i = 0; i < 11; ++i) {
    eleven += std::string(i ? "," : "") +
              R"({"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"x"}})";
  }
  EXPECT_EQ(code_of(eleven + "]"), "PoliciesLimitExceededException");
}

TEST_F(SsmHandlersTest, PoliciesMakeIntelligentTieringAdvancedAndShowInMetadata) {
  object out = ok("PutParameter", J(R"({"Name":"/p","Value":"v","Type":"String",
      "Tier":"Intelligent-Tiering",
      "Policies":"[{\"Type\":\"Expiration\",\"Version\":\"1.0\",\"Attributes\":{\"Timestamp\":\"2030-01-01T00:00:00.000Z\"}}]"})"));
  EXPECT_EQ(out.at("Tier").as_string(), "Advanced");
  object meta = ok("DescribeParameters").at("Parameters").at(0).as_object();
  ASSERT_EQ(meta.at("Policies").as_array().size(), 1u);
  EXPECT_EQ(meta.at("Policies").at(0).at("PolicyType").as_string(), "Expiration");
  EXPECT_EQ(
      err("PutParameter", J(R"({"Name":"/q","Value":"v","Type":"String","Policies":"[1]"})")).code,
      "InvalidPolicyTypeException");
}

}  // namespace
}  // namespace services::ssm
