// X.509 signing certificates of IAM users: Upload, Update, List and DeleteSigningCertificate.
// Kept in the user's document ("signing_certificates", which GetUser does not show); the body must
// be a PEM certificate OpenSSL can read; two per user, IAM's quota.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UploadSigningCertificate.html

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/json.hpp>
#include <memory>

#include "core/ids.h"
#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"

namespace services::iam {

namespace json = boost::json;

namespace {

constexpr std::size_t kCertificatesPerUser = 2;

bool readable_certificate(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return false;
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  return cert != nullptr;
}

json::array& certificates_of(Doc& user) {
  if (!user["signing_certificates"].is_array()) user["signing_certificates"].emplace_array();
  return user["signing_certificates"].as_array();
}

protocol::AwsError certificate_not_found(const std::string& id) {
  return errors::no_such_entity("The Certificate with id " + id + " cannot be found.");
}

// The caller's own user when the request names none.
protocol::Result<Doc> with_user_name(const Ctx& ctx, const Doc& in) {
  Doc out = in;
  if (out.contains("UserName")) return out;
  std::optional<std::string> caller = caller_user_name(ctx);
  if (!caller) {
    return errors::validation("Must specify userName when calling with non-User credentials");
  }
  out["UserName"] = *caller;
  return out;
}

}  // namespace

Reply IamService::upload_signing_certificate(const Ctx& ctx, const Doc& request) {
  protocol::Result<Doc> in = with_user_name(ctx, request);
  if (!in) return in.error();
  std::string body = core::str(*in, "CertificateBody");
  return change(ctx, kUserOwner, *in, [&](IamStore&, Doc& user) -> Reply {
    if (!readable_certificate(body)) {
      return protocol::AwsError{"MalformedCertificate",
                                "Unable to parse certificate. Please ensure the certificate is in "
                                "PEM format."};
    }
    json::array& certs = certificates_of(user);
    if (certs.size() >= kCertificatesPerUser) {
      return errors::limit_exceeded("Cannot exceed quota for CertificatesPerUser: " +
                                    std::to_string(kCertificatesPerUser));
    }
    for (const json::value& c : certs) {
      if (core::str(c.as_object(), "CertificateBody") == body) {
        return protocol::AwsError{"DuplicateCertificate",
                                  "The certificate you have uploaded already exists."};
      }
    }
    json::object cert{{"UserName", user.at("UserName")},
                      {"CertificateId", core::ids::random_upper_alnum(32)},
                      {"CertificateBody", body},
                      {"Status", "Active"},
                      {"UploadDate", now()}};
    certs.push_back(cert);
    return Doc{{"Certificate", std::move(cert)}};
  });
}

Reply IamService::update_signing_certificate(const Ctx& ctx, const Doc& request) {
  protocol::Result<Doc> in = with_user_name(ctx, request);
  if (!in) return in.error();
  std::string id = core::str(*in, "CertificateId");
  return change(ctx, kUserOwner, *in, [&](IamStore&, Doc& user) -> Reply {
    for (json::value& c : certificates_of(user)) {
      if (core::str(c.as_object(), "CertificateId") == id) {
        c.as_object()["Status"] = core::str(*in, "Status");
        return Doc{};
      }
    }
    return certificate_not_found(id);
  });
}

Reply IamService::delete_signing_certificate(const Ctx& ctx, const Doc& request) {
  protocol::Result<Doc> in = with_user_name(ctx, request);
  if (!in) return in.error();
  std::string id = core::str(*in, "CertificateId");
  return change(ctx, kUserOwner, *in, [&](IamStore&, Doc& user) -> Reply {
    json::array& certs = certificates_of(user);
    for (auto it = certs.begin(); it != certs.end(); ++it) {
      if (core::str(it->as_object(), "CertificateId") == id) {
        certs.erase(it);
        return Doc{};
      }
    }
    return certificate_not_found(id);
  });
}

Reply IamService::list_signing_certificates(const Ctx& ctx, const Doc& request) {
  protocol::Result<Doc> in = with_user_name(ctx, request);
  if (!in) return in.error();
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> user = need(st, ctx, Kind::User, "user", core::str(*in, "UserName"));
    if (!user) return user.error();
    json::array certs = certificates_of(*user);
    Doc out;
    paginate(certs, *in, out, "Certificates");
    return out;
  });
}

}  // namespace services::iam
