#include "services/cloudwatch/metric_math.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace services::cloudwatch {

namespace {

using Fn1 = double (*)(double);
using Fn2 = std::function<double(double, double)>;

[[noreturn]] void fail(std::string m) { throw MathError{std::move(m)}; }

Series combine(const Series& a, const Series& b, const Fn2& op) {
  Series out{a.label, a.period_s, {}};
  for (const auto& [t, v] : a.points) {
    auto it = b.points.find(t);
    if (it != b.points.end()) {
      out.points[t] = op(v, it->second);
    }
  }
  return out;
}

Series map_series(Series s, const std::function<double(double)>& op) {
  for (auto& [t, v] : s.points) v = op(v);
  return s;
}

MathValue apply(const MathValue& a, const MathValue& b, const Fn2& op) {
  if (std::holds_alternative<std::vector<Series>>(b) &&
      !std::holds_alternative<std::vector<Series>>(a)) {
    std::vector<Series> out;
    for (const Series& s : std::get<std::vector<Series>>(b)) {
      out.push_back(std::get<Series>(apply(a, s, op)));
    }
    return out;
  }
  if (const auto* arr = std::get_if<std::vector<Series>>(&a)) {
    if (std::holds_alternative<std::vector<Series>>(b)) {
      fail("Operations between two arrays of time series are not supported.");
    }
    std::vector<Series> out;
    for (const Series& s : *arr) out.push_back(std::get<Series>(apply(s, b, op)));
    return out;
  }
  if (const double* x = std::get_if<double>(&a)) {
    if (const double* y = std::get_if<double>(&b)) return op(*x, *y);
    return map_series(std::get<Series>(b), [&](double v) { return op(*x, v); });
  }
  const Series& s = std::get<Series>(a);
  if (const double* y = std::get_if<double>(&b)) {
    return map_series(s, [&](double v) { return op(v, *y); });
  }
  return combine(s, std::get<Series>(b), op);
}

MathValue map_value(const MathValue& v, const std::function<double(double)>& op) {
  return apply(v, 0.0, [&](double x, double) { return op(x); });
}

// SUM/AVG/MIN/MAX: of an array, per timestamp; of one series, one scalar over time.
MathValue reduce(const std::string& fn, const MathValue& v) {
  auto fold = [&](const std::vector<double>& xs) {
    double acc = xs.front();
    for (size_t i = 1; i < xs.size(); ++i) {
      if (fn == "SUM" || fn == "AVG") acc += xs[i];
      if (fn == "MIN") acc = std::min(acc, xs[i]);
      if (fn == "MAX") acc = std::max(acc, xs[i]);
    }
    return fn == "AVG" ? acc / static_cast<double>(xs.size()) : acc;
  };
  if (const double* x = std::get_if<double>(&v)) return *x;
  if (const Series* s = std::get_if<Series>(&v)) {
    std::vector<double> xs;
    for (const auto& [t, x] : s->points) xs.push_back(x);
    if (xs.empty()) return std::numeric_limits<double>::quiet_NaN();
    return fold(xs);
  }
  const auto& arr = std::get<std::vector<Series>>(v);
  std::map<int64_t, std::vector<double>> at;
  for (const Series& s : arr) {
    for (const auto& [t, x] : s.points) at[t].push_back(x);
  }
  Series out{fn, arr.empty() ? 60 : arr.front().period_s, {}};
  for (const auto& [t, xs] : at) out.points[t] = fold(xs);
  return out;
}

MathValue series_op(const MathValue& v, const std::function<Series(const Series&)>& op) {
  if (const Series* s = std::get_if<Series>(&v)) return op(*s);
  if (const auto* arr = std::get_if<std::vector<Series>>(&v)) {
    std::vector<Series> out;
    for (const Series& s : *arr) out.push_back(op(s));
    return out;
  }
  fail("The function expects a time series.");
}

// RATE: change per second between consecutive points; DIFF: change between them.
Series differences(const Series& s, bool per_second) {
  Series out{s.label, s.period_s, {}};
  const std::pair<const int64_t, double>* prev = nullptr;
  for (const auto& p : s.points) {
    if (prev) {
      double d = p.second - prev->second;
      out.points[p.first] =
          per_second ? d / (static_cast<double>(p.first - prev->first) / 1000.0) : d;
    }
    prev = &p;
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view text, const MathEnv& env) : s_(text), env_(env) {}

  MathValue parse() {
    MathValue v = expr();
    skip();
    if (i_ != s_.size()) fail("Unexpected character '" + std::string(1, s_[i_]) + "'.");
    return v;
  }

 private:
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(char c) {
    skip();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("Expected '") + c + "'.");
  }

  MathValue expr() {
    MathValue v = term();
    for (;;) {
      if (eat('+')) {
        v = apply(v, term(), [](double a, double b) { return a + b; });
      } else if (eat('-')) {
        v = apply(v, term(), [](double a, double b) { return a - b; });
      } else {
        return v;
      }
    }
  }
  MathValue term() {
    MathValue v = unary();
    for (;;) {
      if (eat('*')) {
        v = apply(v, unary(), [](double a, double b) { return a * b; });
      } else if (eat('/')) {
        v = apply(v, unary(), [](double a, double b) {
          return b == 0 ? std::numeric_limits<double>::quiet_NaN() : a / b;
        });
      } else {
        return v;
      }
    }
  }
  MathValue unary() {
    if (eat('-')) return map_value(unary(), [](double x) { return -x; });
    MathValue v = primary();
    if (eat('^')) {
      v = apply(v, unary(), [](double a, double b) { return std::pow(a, b); });
    }
    return v;
  }
  std::string word() {
    size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) {
      ++i_;
    }
    return std::string(s_.substr(start, i_ - start));
  }
  MathValue primary() {
    skip();
    if (i_ >= s_.size()) fail("Unexpected end of expression.");
    char c = s_[i_];
    if (eat('(')) {
      MathValue v = expr();
      expect(')');
      return v;
    }
    if (eat('[')) {
      std::vector<Series> out;
      do {
        MathValue v = expr();
        if (const Series* one = std::get_if<Series>(&v)) {
          out.push_back(*one);
        } else if (auto* many = std::get_if<std::vector<Series>>(&v)) {
          out.insert(out.end(), many->begin(), many->end());
        } else {
          fail("An array may hold time series only.");
        }
      } while (eat(','));
      expect(']');
      return out;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      double x = 0;
      auto [end, ec] = std::from_chars(s_.data() + i_, s_.data() + s_.size(), x);
      if (ec != std::errc()) fail("Invalid number.");
      i_ = static_cast<size_t>(end - s_.data());
      return x;
    }
    if (c == '"' || c == '\'') fail("Unexpected string.");
    std::string name = word();
    if (name.empty()) fail("Unexpected character '" + std::string(1, c) + "'.");
    if (eat('(')) return call(name);
    return env_.resolve(name);
  }
  std::string string_literal() {
    skip();
    if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'')) fail("Expected a string.");
    char q = s_[i_++];
    size_t end = s_.find(q, i_);
    if (end == std::string_view::npos) fail("Unterminated string.");
    std::string out(s_.substr(i_, end - i_));
    i_ = end + 1;
    return out;
  }
  MathValue call(std::string fn) {
    std::transform(fn.begin(), fn.end(), fn.begin(), ::toupper);
    if (fn == "METRICS") {
      std::string filter;
      skip();
      if (i_ < s_.size() && s_[i_] != ')') filter = string_literal();
      expect(')');
      return env_.metrics(filter);
    }
    MathValue arg = expr();
    if (fn == "FILL") {
      expect(',');
      return fill(arg);
    }
    expect(')');
    if (fn == "SUM" || fn == "AVG" || fn == "MIN" || fn == "MAX") return reduce(fn, arg);
    if (fn == "RATE" || fn == "DIFF") {
      bool rate = fn == "RATE";
      return series_op(arg, [rate](const Series& s) { return differences(s, rate); });
    }
    if (fn == "ABS") return map_value(arg, [](double x) { return std::fabs(x); });
    if (fn == "CEIL") return map_value(arg, [](double x) { return std::ceil(x); });
    if (fn == "FLOOR") return map_value(arg, [](double x) { return std::floor(x); });
    if (fn == "PERIOD") {
      if (const Series* s = std::get_if<Series>(&arg)) return static_cast<double>(s->period_s);
      fail("PERIOD expects a time series.");
    }
    fail("Unknown function " + fn + ".");
  }
  // FILL(x, value | REPEAT | LINEAR): a value at every period of the request's range.
  MathValue fill(const MathValue& arg) {
    skip();
    std::string mode;
    double constant = 0;
    size_t save = i_;
    std::string w = word();
    if (w == "REPEAT" || w == "LINEAR") {
      mode = w;
    } else {
      i_ = save;
      MathValue v = expr();
      if (!std::holds_alternative<double>(v)) fail("FILL expects a number, REPEAT or LINEAR.");
      constant = std::get<double>(v);
    }
    expect(')');
    return series_op(arg, [&](const Series& s) {
      Series out = s;
      int64_t step = s.period_s * 1000;
      for (int64_t t = env_.start_ms; t < env_.end_ms; t += step) {
        if (out.points.count(t)) continue;
        auto after = s.points.lower_bound(t);
        auto before = after == s.points.begin() ? s.points.end() : std::prev(after);
        if (mode.empty()) {
          out.points[t] = constant;
        } else if (mode == "REPEAT" && before != s.points.end()) {
          out.points[t] = before->second;
        } else if (mode == "LINEAR" && before != s.points.end() && after != s.points.end()) {
          double f = static_cast<double>(t - before->first) /
                     static_cast<double>(after->first - before->first);
          out.points[t] = before->second + f * (after->second - before->second);
        }
      }
      return out;
    });
  }

  std::string_view s_;
  const MathEnv& env_;
  size_t i_ = 0;
};

}  // namespace

protocol::Result<MathValue> evaluate_expression(std::string_view text, const MathEnv& env) {
  try {
    return Parser(text, env).parse();
  } catch (const MathError& e) {
    return protocol::AwsError{"ValidationError", e.message};
  }
}

std::vector<Series> as_series(const MathValue& v, int64_t start_ms, int64_t end_ms,
                              int64_t period_s, const std::string& label) {
  if (const double* x = std::get_if<double>(&v)) {
    Series s{label, period_s, {}};
    for (int64_t t = start_ms; t < end_ms; t += period_s * 1000) s.points[t] = *x;
    return {s};
  }
  if (const Series* s = std::get_if<Series>(&v)) {
    Series out = *s;
    out.label = label;
    return {out};
  }
  return std::get<std::vector<Series>>(v);
}

}  // namespace services::cloudwatch
