#include "services/secretsmanager/filters.h"

#include <algorithm>
#include <cctype>

namespace services::secretsmanager {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool prefix(std::string_view value, std::string_view p, bool case_sensitive) {
  if (case_sensitive) return value.starts_with(p);
  return lower(value).starts_with(lower(p));
}

enum class CharClass { Lower, Upper, Digit, Other };

CharClass class_of(char c) {
  auto u = static_cast<unsigned char>(c);
  if (std::islower(u)) return CharClass::Lower;
  if (std::isupper(u)) return CharClass::Upper;
  if (std::isdigit(u)) return CharClass::Digit;
  return CharClass::Other;
}

bool word_break(CharClass prev, CharClass cur) {
  if (prev == CharClass::Lower && cur == CharClass::Upper) return true;
  bool prev_digit = prev == CharClass::Digit;
  bool cur_digit = cur == CharClass::Digit;
  return prev_digit != cur_digit;
}

// The attribute strings a filter key looks at.
std::vector<std::string> attributes(const SecretRow& s, std::string_view key) {
  std::vector<std::string> out;
  auto tag_member = [&](std::string_view member) {
    for (const auto& t : s.tags) {
      if (!t.is_object()) continue;
      if (const auto* v = t.as_object().if_contains(member); v && v->is_string()) {
        out.emplace_back(v->get_string());
      }
    }
  };
  if (key == "name") {
    out.push_back(s.name);
  } else if (key == "description") {
    if (s.description) out.push_back(*s.description);
  } else if (key == "tag-key") {
    tag_member("Key");
  } else if (key == "tag-value") {
    tag_member("Value");
  } else if (key == "all") {
    out.push_back(s.name);
    if (s.description) out.push_back(*s.description);
    tag_member("Key");
    tag_member("Value");
  }
  // primary-region and owning-service: Gantry has no replicated and no managed secrets.
  return out;
}

// `all`: every word of the value is a prefix of some word of some attribute.
bool all_matches(const std::vector<std::string>& attrs, std::string_view value) {
  std::vector<std::string> words;
  for (const std::string& a : attrs) {
    for (std::string& w : search_words(a)) words.push_back(lower(w));
  }
  std::vector<std::string> wanted = search_words(value);
  if (wanted.empty()) return false;
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
    std::string lw = lower(w);
    return std::any_of(words.begin(), words.end(),
                       [&](const std::string& have) { return have.starts_with(lw); });
  });
}

bool value_matches(const std::vector<std::string>& attrs, std::string_view key,
                   std::string_view value) {
  if (key == "all") return all_matches(attrs, value);
  bool case_sensitive = key != "description";
  return std::any_of(attrs.begin(), attrs.end(),
                     [&](const std::string& a) { return prefix(a, value, case_sensitive); });
}

bool filter_matches(const SecretRow& s, const Filter& f) {
  std::vector<std::string> attrs = attributes(s, f.key);
  for (const std::string& v : f.values) {
    bool negated = v.starts_with("!");
    std::string_view value = negated ? std::string_view(v).substr(1) : std::string_view(v);
    if (value_matches(attrs, f.key, value) != negated) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> search_words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  CharClass prev = CharClass::Other;
  for (char c : text) {
    CharClass cur = class_of(c);
    if (cur == CharClass::Other) {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else {
      if (!word.empty() && word_break(prev, cur)) {
        out.push_back(std::move(word));
        word.clear();
      }
      word.push_back(c);
    }
    prev = cur;
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

bool matches(const SecretRow& secret, const std::vector<Filter>& filters) {
  return std::all_of(filters.begin(), filters.end(),
                     [&](const Filter& f) { return filter_matches(secret, f); });
}

}  // namespace services::secretsmanager
