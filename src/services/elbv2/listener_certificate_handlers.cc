// A listener's certificate list: add, remove, describe. The default certificate is the one given
// to Create/ModifyListener (kept in the listener's doc); the list holds the others, which an
// HTTPS listener offers by SNI. Gantry has no ACM: certificate ARNs are stored, not checked
// (never CertificateNotFound), and the data plane serves plain HTTP.

#include <algorithm>
#include <cstdio>
#include <functional>

#include "services/elbv2/describe_pages.h"
#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/errors.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

// Per load balancer on AWS, the default certificates not counted; kept per listener here.
constexpr std::size_t kMaxCertificates = 25;

// The CertificateArns of a request's Certificates, refusing IsDefault as ELB does.
protocol::Result<std::vector<std::string>> requested_certificates(const Doc& in) {
  std::vector<std::string> out;
  if (const json::array* certs = arr(in, "Certificates")) {
    for (const json::value& c : *certs) {
      if (!c.is_object()) {
        continue;
      }
      if (c.get_object().contains("IsDefault")) {
        return errors::validation("You cannot set the isDefault parameter for a certificate.");
      }
      out.push_back(str(c.get_object(), "CertificateArn"));
    }
  }
  if (out.empty()) {
    return errors::validation("A certificate must be specified");
  }
  return out;
}

// The HTTPS listener `arn`, or the error adding to or removing from its list gives.
protocol::Result<ListenerRow> secure_listener(Elbv2Store& st, const std::string& arn) {
  std::optional<ListenerRow> row = st.listener(arn);
  if (!row) {
    return errors::listener_not_found();
  }
  if (str(row->doc, "Protocol") != "HTTPS") {
    return errors::validation(
        "Certificates can only be added to or removed from HTTPS or TLS "
        "listeners; listener '" +
        arn + "' uses protocol '" + str(row->doc, "Protocol") + "'");
  }
  return *row;
}

std::string default_certificate(const ListenerRow& row) {
  const json::array* certs = arr(row.doc, "Certificates");
  return certs && !certs->empty() && certs->front().is_object()
             ? str(certs->front().get_object(), "CertificateArn")
             : std::string();
}

json::object certificate(const std::string& arn, bool is_default) {
  return json::object{{"CertificateArn", arn}, {"IsDefault", is_default}};
}

// Add/RemoveListenerCertificates: the request's certificates and its HTTPS listener checked,
// then change(st, listener, certificates) in one transaction, committed unless it fails.
Reply change_list(store::Db& db, const protocol::RequestContext& ctx, const Doc& in,
                  const std::function<Reply(Elbv2Store&, const ListenerRow&,
                                            const std::vector<std::string>&)>& change) {
  protocol::Result<std::vector<std::string>> wanted = requested_certificates(in);
  if (!wanted) {
    return wanted.error();
  }
  store::Transaction tx = db.begin();
  Elbv2Store st(tx, ctx.account, ctx.region);
  protocol::Result<ListenerRow> row = secure_listener(st, str(in, "ListenerArn"));
  if (!row) {
    return row.error();
  }
  Reply out = change(st, *row, *wanted);
  if (out) {
    tx.commit();
  }
  return out;
}

}  // namespace

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AddListenerCertificates.html
// "If the certificate in already in the certificate list, the call is successful but the
// certificate is not added again."
Reply Elbv2Service::add_listener_certificates(const Ctx& ctx, const Doc& in) {
  return change_list(db_, ctx, in, [](Elbv2Store& st, const ListenerRow& row,
                                      const std::vector<std::string>& wanted) -> Reply {
    std::string arn = str(row.doc, "ListenerArn");
    std::vector<std::string> have = st.listener_certificates(arn);
    json::array added;
    for (const std::string& cert : wanted) {
      if (std::find(have.begin(), have.end(), cert) == have.end()) {
        if (have.size() >= kMaxCertificates) {
          return errors::too_many_certificates();
        }
        have.push_back(cert);
        st.add_listener_certificate(arn, cert);
      }
      added.push_back(certificate(cert, false));
    }
    return json::object{{"Certificates", std::move(added)}};
  });
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RemoveListenerCertificates.html
// "You can't remove the default certificate for a listener. To replace the default certificate,
// call ModifyListener."
Reply Elbv2Service::remove_listener_certificates(const Ctx& ctx, const Doc& in) {
  return change_list(db_, ctx, in, [](Elbv2Store& st, const ListenerRow& row,
                                      const std::vector<std::string>& wanted) -> Reply {
    std::string default_arn = default_certificate(row);
    for (const std::string& cert : wanted) {
      if (cert == default_arn) {
        return errors::operation_not_permitted("Default certificate cannot be removed");
      }
      st.remove_listener_certificate(str(row.doc, "ListenerArn"), cert);
    }
    return json::object{};
  });
}

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListenerCertificates.html
// "If the default certificate is also in the certificate list, it appears twice in the results
// (once with IsDefault set to true and once with IsDefault set to false)."
Reply Elbv2Service::describe_listener_certificates(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "ListenerArn");
  return describe_page(db_, ctx, in, "Certificates",
                       [&](Elbv2Store& st, const Page& page, DescribeOut& out) {
                         std::optional<ListenerRow> row = st.listener(arn);
                         if (!row) {
                           return std::optional(errors::listener_not_found());
                         }
                         // Keyed by position, zero-padded so that a Marker compares in order.
                         std::vector<std::pair<std::string, json::object>> rows;
                         std::size_t position = 0;
                         auto keep = [&](const std::string& cert, bool is_default) {
                           char key[16];
                           std::snprintf(key, sizeof key, "%06zu", ++position);
                           if (page.after.empty() || std::string(key) > page.after) {
                             rows.emplace_back(key, certificate(cert, is_default));
                           }
                         };
                         if (std::string def = default_certificate(*row); !def.empty()) {
                           keep(def, true);
                         }
                         for (const std::string& cert : st.listener_certificates(arn)) {
                           keep(cert, false);
                         }
                         take_page(
                             rows, page, [](const json::object& doc) { return doc; }, out);
                         return std::optional<protocol::AwsError>();
                       });
}

}  // namespace services::elbv2
