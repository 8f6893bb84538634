#include "services/sts/oidc_keys.h"

#include <fstream>
#include <sstream>

#include "core/log.h"

namespace services::sts {

std::string issuer_key(std::string_view issuer_url) {
  if (issuer_url.starts_with("https://")) issuer_url.remove_prefix(8);
  while (issuer_url.ends_with('/')) issuer_url.remove_suffix(1);
  return std::string(issuer_url);
}

bool parse_oidc_jwks_flag(std::string_view text, std::string* issuer, std::string* path) {
  std::size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) return false;
  *issuer = std::string(text.substr(0, eq));
  *path = std::string(text.substr(eq + 1));
  return true;
}

bool OidcKeys::add(std::string_view issuer_url, const std::filesystem::path& file,
                   std::string* error) {
  std::string flag = "--oidc-jwks " + std::string(issuer_url) + ": ";
  std::ifstream in(file);
  if (!in.is_open()) {
    *error = flag + "cannot read " + file.string();
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string why;
  std::optional<Jwks> jwks = Jwks::parse(text.str(), &why);
  if (!jwks) {
    *error = flag + file.string() + ": " + why;
    return false;
  }
  by_issuer_.insert_or_assign(issuer_key(issuer_url), std::move(*jwks));
  return true;
}

const Jwks* OidcKeys::find(std::string_view issuer_url) const {
  auto it = by_issuer_.find(issuer_key(issuer_url));
  return it == by_issuer_.end() ? nullptr : &it->second;
}

void OidcKeys::warn_unverified(std::string_view issuer_url) const {
  std::string key = issuer_key(issuer_url);
  {
    std::lock_guard lock(mu_);
    if (!warned_.insert(key).second) return;
  }
  core::log::warn(
      "sts: no JWKS for this OIDC issuer (--oidc-jwks): web identity tokens are "
      "accepted without checking their signature",
      {{"issuer", std::string(issuer_url)}});
}

}  // namespace services::sts
