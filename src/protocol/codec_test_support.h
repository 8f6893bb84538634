#pragma once
// What the codec tests share: building requests as botocore sends them and encoding an output
// document with a codec. Test-only (included by *_codec_test.cc).

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <string_view>

#include "http/message.h"
#include "protocol/codec.h"
#include "protocol/model.h"

namespace protocol::testing {

inline http::Request make_request(std::string method, std::string target,
                                  http::HeaderList headers, std::string body) {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

// A query/EC2 protocol request: the form-encoded body botocore POSTs to "/".
inline http::Request form_post(std::string body) {
  return make_request("POST", "/",
                      {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                      std::move(body));
}

// The response `codec` writes for operation `op` of `model` with output document `doc` (JSON).
inline http::Response encode(const Codec& codec, const ServiceModel& model, std::string_view op,
                             std::string_view doc, const RequestContext& ctx) {
  http::Response res;
  codec.encode_output(model, *model.find_operation(op), boost::json::parse(doc).as_object(), ctx,
                      res);
  return res;
}

// A fixture for one codec and one service model: request() builds a request, output(op, doc)
// encodes an output document.
class CodecTest : public ::testing::Test {
 protected:
  CodecTest(const Codec& codec, const char* model) : codec_(codec), model_(*find_model(model)) {}

  static http::Request request(std::string method, std::string target, http::HeaderList headers,
                               std::string body) {
    return make_request(std::move(method), std::move(target), std::move(headers),
                        std::move(body));
  }
  http::Response output(std::string_view op, std::string_view doc) const {
    return encode(codec_, model_, op, doc, ctx_);
  }

  const Codec& codec_;
  const ServiceModel& model_;
  RequestContext ctx_{.request_id = "req-1"};
};

}  // namespace protocol::testing
