#include <boost/json.hpp>

#include "services/iam/iam_test_support.h"

namespace services::iam {
namespace {

namespace json = boost::json;

// Allows an action when some identity policy of the principal names it verbatim, denies
// explicitly when a policy's text contains "Deny"; enough to see the handlers pass the
// principal, its policies and the request through.
class FakeAuthority final : public Authority {
 public:
  explicit FakeAuthority(const Directory& dir) : dir_(dir) {}
  AuthzResult authorize(const AuthzRequest& r) const override {
    requests.push_back(r);
    AuthzResult out;
    for (const PolicyText& p : dir_.identity_policies(r.principal_arn)) {
      if (p.document.find("\"Deny\"") != std::string::npos) {
        return {Decision::ExplicitDeny, "denied", {{p.source, 0}}};
      }
      if (p.document.find("\"" + r.action + "\"") != std::string::npos) {
        out = {Decision::Allow, "", {{p.source, 0}}};
      }
    }
    return out;
  }
  AuthzResult authorize_trust(const RoleInfo&, const AuthzRequest&) const override { return {}; }

  mutable std::vector<AuthzRequest> requests;

 private:
  const Directory& dir_;
};

class SimulateHandlersTest : public IamHandlersTest {
 protected:
  SimulateHandlersTest() : IamHandlersTest(&authority_) {}
  FakeAuthority authority_{directory_};
};

TEST_F(SimulateHandlersTest, PrincipalPolicyEvaluatesEachActionAndResource) {
  ok("CreateUser", R"({"UserName":"u"})");
  ok("PutUserPolicy",
     json::object{{"UserName", "u"}, {"PolicyName", "read"}, {"PolicyDocument", kAllowS3Get}});
  json::object out = ok("SimulatePrincipalPolicy",
                        R"({"PolicySourceArn":"arn:aws:iam::123456789012:user/u",
                            "ActionNames":["s3:GetObject","s3:PutObject"],
                            "ResourceArns":["arn:aws:s3:::b/k"],
                            "ContextEntries":[{"ContextKeyName":"aws:SourceIp",
                              "ContextKeyValues":["10.0.0.1"],"ContextKeyType":"ip"}]})");
  json::array results = out.at("EvaluationResults").as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].at("EvalDecision"), json::value("allowed"));
  EXPECT_EQ(results[0].at("EvalResourceName"), json::value("arn:aws:s3:::b/k"));
  EXPECT_EQ(json::serialize(results[0].at("MatchedStatements")),
            R"([{"SourcePolicyId":"read","SourcePolicyType":"user"}])");
  EXPECT_EQ(results[1].at("EvalDecision"), json::value("implicitDeny"));
  ASSERT_EQ(authority_.requests.size(), 2u);
  EXPECT_EQ(authority_.requests[0].principal_arn, "arn:aws:iam::123456789012:user/u");
  EXPECT_EQ(authority_.requests[0].keys.at("aws:SourceIp"), std::vector<std::string>{"10.0.0.1"});
}

TEST_F(SimulateHandlersTest, CustomPolicyJudgesOnlyTheGivenDocuments) {
  std::string deny =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})";
  json::object out =
      ok("SimulateCustomPolicy", json::object{{"PolicyInputList", json::array{kAllowS3Get, deny}},
                                              {"ActionNames", json::array{"s3:GetObject"}}});
  json::object r = out.at("EvaluationResults").as_array()[0].as_object();
  EXPECT_EQ(r.at("EvalDecision"), json::value("explicitDeny"));
  EXPECT_EQ(r.at("EvalResourceName"), json::value("*"));
  EXPECT_EQ(json::serialize(r.at("MatchedStatements")),
            R"([{"SourcePolicyId":"PolicyInputList.2","SourcePolicyType":"IAM Policy"}])");
  EXPECT_TRUE(directory_.identity_policies(authority_.requests[0].principal_arn).empty())
      << "the simulated principal is gone after the call";
}

TEST_F(IamHandlersTest, WithoutAnAuthoritySimulationIsNotOffered) {
  EXPECT_EQ(registry_.find("iam", "SimulateCustomPolicy"), nullptr);
  EXPECT_NE(registry_.find("iam", "CreateRole"), nullptr);
}

}  // namespace
}  // namespace services::iam
