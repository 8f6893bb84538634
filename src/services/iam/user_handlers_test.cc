#include <boost/json.hpp>

#include "services/iam/iam_test_support.h"

namespace services::iam {
namespace {

namespace json = boost::json;

using UserHandlersTest = IamHandlersTest;

TEST_F(UserHandlersTest, UsersGroupsAndMembership) {
  json::object user =
      ok("CreateUser", R"({"UserName":"ci","Path":"/bots/"})").at("User").as_object();
  EXPECT_EQ(s(user.at("Arn")), "arn:aws:iam::123456789012:user/bots/ci");
  EXPECT_EQ(s(user.at("UserId")).substr(0, 4), "AIDA");
  json::object group = ok("CreateGroup", R"({"GroupName":"devs"})").at("Group").as_object();
  EXPECT_EQ(s(group.at("GroupId")).substr(0, 4), "AGPA");
  ok("AddUserToGroup", R"({"GroupName":"devs","UserName":"ci"})");
  json::object got = ok("GetGroup", R"({"GroupName":"DEVS"})");
  EXPECT_EQ(got.at("Users").as_array()[0].at("UserName"), json::value("ci"));
  EXPECT_EQ(ok("ListGroupsForUser", R"({"UserName":"ci"})").at("Groups").as_array().size(), 1u);
  EXPECT_EQ(err("DeleteGroup", R"({"GroupName":"devs"})").message,
            "Cannot delete entity, must remove users from group first.");
  EXPECT_EQ(err("DeleteUser", R"({"UserName":"ci"})").message,
            "Cannot delete entity, must remove users from group first.");
  ok("RemoveUserFromGroup", R"({"GroupName":"devs","UserName":"ci"})");
  ok("DeleteGroup", R"({"GroupName":"devs"})");
  ok("DeleteUser", R"({"UserName":"ci"})");
  EXPECT_EQ(err("GetUser", R"({"UserName":"ci"})").message,
            "The user with name ci cannot be found.");
}

TEST_F(UserHandlersTest, GetUserWithoutANameIsTheCaller) {
  ok("CreateUser", R"({"UserName":"me"})");
  protocol::RequestContext c = ctx();
  c.caller_arn = "arn:aws:iam::123456789012:user/me";
  EXPECT_EQ(ok("GetUser", J("{}"), c).at("User").at("UserName"), json::value("me"));
  EXPECT_EQ(ok("GetUser", "{}").at("User").at("Arn"),
            json::value("arn:aws:iam::123456789012:root"));
}

TEST_F(UserHandlersTest, AccessKeysTwoPerUser) {
  ok("CreateUser", R"({"UserName":"u"})");
  json::object key = ok("CreateAccessKey", R"({"UserName":"u"})").at("AccessKey").as_object();
  EXPECT_EQ(s(key.at("AccessKeyId")).substr(0, 4), "AKIA");
  EXPECT_EQ(s(key.at("AccessKeyId")).size(), 20u);
  EXPECT_EQ(s(key.at("SecretAccessKey")).size(), 40u);
  EXPECT_EQ(key.at("Status"), json::value("Active"));
  ok("CreateAccessKey", R"({"UserName":"u"})");
  protocol::AwsError e = err("CreateAccessKey", R"({"UserName":"u"})");
  EXPECT_EQ(e.code, "LimitExceeded");
  EXPECT_EQ(e.message, "Cannot exceed quota for AccessKeysPerUser: 2");
  std::string id = s(key.at("AccessKeyId"));
  ok("UpdateAccessKey",
     json::object{{"UserName", "u"}, {"AccessKeyId", id}, {"Status", "Inactive"}});
  std::optional<AccessKeyInfo> info = directory_.find_access_key(id);
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->active);
  EXPECT_EQ(info->secret_access_key, s(key.at("SecretAccessKey")));
  EXPECT_EQ(info->user_arn, "arn:aws:iam::123456789012:user/u");
  EXPECT_EQ(ok("ListAccessKeys", R"({"UserName":"u"})").at("AccessKeyMetadata").as_array().size(),
            2u);
  EXPECT_EQ(err("DeleteUser", R"({"UserName":"u"})").message,
            "Cannot delete entity, must delete access keys first.");
  ok("DeleteAccessKey", json::object{{"UserName", "u"}, {"AccessKeyId", id}});
  EXPECT_FALSE(directory_.find_access_key(id));
  EXPECT_EQ(err("GetAccessKeyLastUsed", json::object{{"AccessKeyId", id}}).code, "NoSuchEntity");
}

TEST_F(UserHandlersTest, InstanceProfileHoldsOneRole) {
  create_role("a");
  create_role("b");
  json::object p = ok("CreateInstanceProfile", R"({"InstanceProfileName":"ip"})")
                       .at("InstanceProfile")
                       .as_object();
  EXPECT_EQ(s(p.at("InstanceProfileId")).substr(0, 4), "AIPA");
  ok("AddRoleToInstanceProfile", R"({"InstanceProfileName":"ip","RoleName":"a"})");
  EXPECT_EQ(err("AddRoleToInstanceProfile", R"({"InstanceProfileName":"ip","RoleName":"b"})").code,
            "LimitExceeded");
  EXPECT_EQ(ok("ListInstanceProfilesForRole", R"({"RoleName":"a"})")
                .at("InstanceProfiles")
                .as_array()[0]
                .at("Roles")
                .as_array()[0]
                .at("RoleName"),
            json::value("a"));
  EXPECT_EQ(err("DeleteInstanceProfile", R"({"InstanceProfileName":"ip"})").code, "DeleteConflict");
}

TEST_F(UserHandlersTest, OpenIdConnectProviders) {
  json::object in{{"Url", "https://token.actions.githubusercontent.com"},
                  {"ClientIDList", json::array{"sts.amazonaws.com"}},
                  {"ThumbprintList", json::array{"6938fd4d98bab03faadb97b34396831e3780aea1"}}};
  std::string arn = s(ok("CreateOpenIDConnectProvider", in).at("OpenIDConnectProviderArn"));
  EXPECT_EQ(arn, "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");
  EXPECT_EQ(err("CreateOpenIDConnectProvider", in).code, "EntityAlreadyExists");
  ok("AddClientIDToOpenIDConnectProvider",
     json::object{{"OpenIDConnectProviderArn", arn}, {"ClientID", "other"}});
  std::optional<OidcProviderInfo> p =
      directory_.find_oidc_provider("123456789012", "https://token.actions.githubusercontent.com/");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->client_ids, (std::vector<std::string>{"sts.amazonaws.com", "other"}));
  ok("DeleteOpenIDConnectProvider", json::object{{"OpenIDConnectProviderArn", arn}});
  EXPECT_EQ(err("GetOpenIDConnectProvider", json::object{{"OpenIDConnectProviderArn", arn}}).code,
            "NoSuchEntity");
}

// Two self-signed EC certificates (openssl req -x509), as UploadSigningCertificate takes them.
const std::string kCertA = R"(-----BEGIN CERTIFICATE-----
MIIBgzCCASmgAwIBAgIUBpzFYfMUAVU9jjw2sq4lrnt05PQwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLZ2FudHJ5LXRlc3QwIBcNMjYxMjA4MDA0NTUzWhgPMjEyNjEx
MTQwMDQ1NTNaMBYxFDASBgNVBAMMC2dhbnRyeS10ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAELxMTaBo85OwMNuEWAPYfpq0yHynoI3vJCW1kzGowpbt1aYdB
Zim7xBeP/aUGfm8T/pnqwXFcXIaTdFzTMh5NEaNTMFEwHQYDVR0OBBYEFIselWGt
NLrrZc+hYaaBz01HJnMwMB8GA1UdIwQYMBaAFIselWGtNLrrZc+hYaaBz01HJnMw
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgZ4MxqMUq+tmSRUlC
gUjtmQv98djBWIuargGxA2LNM7ACIQCwwgE/V4iQVLU0s55V9Ba9D2FuVUj9ERi4
w6B9OtNJYQ==
-----END CERTIFICATE-----
)";
const std::string kCertB = R"(-----BEGIN CERTIFICATE-----
MIIBhzCCAS2gAwIBAgIUQXsDwXAobHqURGfxT201WNPjEjkwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNZ2FudHJ5LXRlc3QtMjAgFw0yNjEyMDgwMDQ2MDBaGA8yMTI2
MTExNDAwNDYwMFowGDEWMBQGA1UEAwwNZ2FudHJ5LXRlc3QtMjBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABL4eDsSVHim8hgYblNm9Sgv2m3seTWJvolFM9eQTQ08z
o/mI8I+8Ms7eZuC/AqCqmXJc4jLDCWXYXynX+cQtvWKjUzBRMB0GA1UdDgQWBBT1
O17Gq5IhrYtH/zoiFjW5YRJcHjAfBgNVHSMEGDAWgBT1O17Gq5IhrYtH/zoiFjW5
YRJcHjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDYsHwQnV1T
VSefHBVJ0uf5xxh6GtcsYO78+uVVe5tz2wIgS8rGmBKglPY80O7TKthNQQiO5Vhv
UzlMXDsRy9W33JI=
-----END CERTIFICATE-----
)";

TEST_F(UserHandlersTest, SigningCertificatesTwoPerUser) {
  ok("CreateUser", R"({"UserName":"signer"})");
  json::object a = ok("UploadSigningCertificate",
                      json::object{{"UserName", "signer"}, {"CertificateBody", kCertA}})
                       .at("Certificate").as_object();
  EXPECT_EQ(s(a.at("Status")), "Active");
  EXPECT_EQ(s(a.at("CertificateBody")), kCertA);
  std::string id = s(a.at("CertificateId"));
  EXPECT_EQ(id.size(), 32u);
  ok("UploadSigningCertificate", json::object{{"UserName", "signer"}, {"CertificateBody", kCertB}});
  protocol::AwsError e = err("UploadSigningCertificate",
                             json::object{{"UserName", "signer"}, {"CertificateBody", kCertA}});
  EXPECT_EQ(e.code, "LimitExceeded");
  EXPECT_EQ(e.message, "Cannot exceed quota for CertificatesPerUser: 2");
  ok("UpdateSigningCertificate",
     json::object{{"UserName", "signer"}, {"CertificateId", id}, {"Status", "Inactive"}});
  json::array listed = ok("ListSigningCertificates", R"({"UserName":"signer"})")
                           .at("Certificates").as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(s(listed[0].at("Status")), "Inactive");
  EXPECT_FALSE(ok("GetUser", R"({"UserName":"signer"})").at("User").as_object().contains(
      "signing_certificates"));
  ok("DeleteSigningCertificate", json::object{{"UserName", "signer"}, {"CertificateId", id}});
  e = err("DeleteSigningCertificate", json::object{{"UserName", "signer"}, {"CertificateId", id}});
  EXPECT_EQ(e.code, "NoSuchEntity");
  EXPECT_EQ(e.message, "The Certificate with id " + id + " cannot be found.");
  e = err("UploadSigningCertificate",
          json::object{{"UserName", "signer"}, {"CertificateBody", "notacert"}});
  EXPECT_EQ(e.code, "MalformedCertificate");
  e = err("ListSigningCertificates", R"({"UserName":"notauser"})");
  EXPECT_EQ(e.message, "The user with name notauser cannot be found.");
}

}  // namespace
}  // namespace services::iam
