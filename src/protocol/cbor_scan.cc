// The structural check runs libcbor's streaming decoder (cbor_stream_decode) with callbacks that
// only keep a stack of open containers: one frame per definite or indefinite array, map, tag or
// chunked string. Nothing is allocated per item, and nothing recurses.

#include "protocol/cbor_scan.h"

#include <cbor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/document_convert.h"

namespace protocol {
namespace {

struct ScanFrame {
  uint64_t remaining = 0;  // items left in a definite container (map: keys + values)
  bool indefinite = false;
  bool chunks = false;  // indefinite string: only chunks of its own major type until break
  uint64_t seen = 0;    // items seen in an indefinite container
  bool map = false;
  bool text = false;  // chunks are text strings (else byte strings)
};

struct Scan {
  std::vector<ScanFrame> stack;
  std::size_t bytes_left = 0;  // from the head being decoded to the end of the body
  bool done = false;           // the top-level item is complete
  const char* error = nullptr;

  void fail(const char* why) {
    if (error == nullptr) {
      error = why;
    }
  }
  bool in_chunks() const { return !stack.empty() && stack.back().chunks; }
  // One complete data item; closes every definite container it completes.
  void item() {
    while (!stack.empty()) {
      ScanFrame& top = stack.back();
      if (top.indefinite) {
        ++top.seen;
        return;
      }
      if (--top.remaining > 0) {
        return;
      }
      stack.pop_back();
    }
    done = true;
  }
  void leaf() {
    if (in_chunks()) {
      return fail("Invalid chunk in indefinite-length string");
    }
    item();
  }
  // A definite string is a leaf, or a chunk of the enclosing indefinite string of its own type.
  void string(bool is_text) {
    if (in_chunks() && stack.back().text != is_text) {
      return fail("Invalid chunk in indefinite-length string");
    }
    item();
  }
  void open(uint64_t count, bool is_map) {
    if (in_chunks()) {
      return fail("Invalid chunk in indefinite-length string");
    }
    uint64_t items = is_map ? count * 2 : count;
    // Every item takes at least one byte, so a count beyond the bytes left is a lie.
    if (count > bytes_left || items > bytes_left) {
      return fail("Declared length exceeds input");
    }
    if (items == 0) {
      return item();
    }
    push({items, false, false, 0, is_map, false});
  }
  void open_indefinite(bool is_map, bool chunks, bool is_text = false) {
    if (in_chunks()) {
      return fail("Invalid chunk in indefinite-length string");
    }
    push({0, true, chunks, 0, is_map, is_text});
  }
  void push(ScanFrame frame) {
    if (stack.size() >= static_cast<std::size_t>(kMaxWireDepth)) {
      return fail("Maximum nesting depth exceeded");
    }
    stack.push_back(frame);
  }
  void close() {
    if (stack.empty() || !stack.back().indefinite) {
      return fail("Unexpected break");
    }
    if (stack.back().map && stack.back().seen % 2 != 0) {
      return fail("Map key without a value");
    }
    stack.pop_back();
    item();
  }
};

Scan& scan_of(void* ctx) { return *static_cast<Scan*>(ctx); }

cbor_callbacks scan_callbacks() {
  cbor_callbacks cb = cbor_empty_callbacks;
  cb.uint8 = [](void* c, uint8_t) { scan_of(c).leaf(); };
  cb.uint16 = [](void* c, uint16_t) { scan_of(c).leaf(); };
  cb.uint32 = [](void* c, uint32_t) { scan_of(c).leaf(); };
  cb.uint64 = [](void* c, uint64_t) { scan_of(c).leaf(); };
  cb.negint8 = [](void* c, uint8_t) { scan_of(c).leaf(); };
  cb.negint16 = [](void* c, uint16_t) { scan_of(c).leaf(); };
  cb.negint32 = [](void* c, uint32_t) { scan_of(c).leaf(); };
  cb.negint64 = [](void* c, uint64_t) { scan_of(c).leaf(); };
  cb.byte_string = [](void* c, cbor_data, size_t) { scan_of(c).string(false); };
  cb.string = [](void* c, cbor_data, size_t) { scan_of(c).string(true); };
  cb.byte_string_start = [](void* c) { scan_of(c).open_indefinite(false, true, false); };
  cb.string_start = [](void* c) { scan_of(c).open_indefinite(false, true, true); };
  cb.array_start = [](void* c, size_t n) { scan_of(c).open(n, false); };
  cb.indef_array_start = [](void* c) { scan_of(c).open_indefinite(false, false); };
  cb.map_start = [](void* c, size_t n) { scan_of(c).open(n, true); };
  cb.indef_map_start = [](void* c) { scan_of(c).open_indefinite(true, false); };
  // A tag wraps exactly one item: a container of one, so chains of tags count as depth.
  cb.tag = [](void* c, uint64_t) { scan_of(c).open(1, false); };
  cb.float2 = [](void* c, float) { scan_of(c).leaf(); };
  cb.float4 = [](void* c, float) { scan_of(c).leaf(); };
  cb.float8 = [](void* c, double) { scan_of(c).leaf(); };
  cb.undefined = [](void* c) { scan_of(c).leaf(); };
  cb.null = [](void* c) { scan_of(c).leaf(); };
  cb.boolean = [](void* c, bool) { scan_of(c).leaf(); };
  cb.indef_break = [](void* c) { scan_of(c).close(); };
  return cb;
}

}  // namespace

std::optional<AwsError> check_cbor_body(std::string_view body) {
  static const cbor_callbacks callbacks = scan_callbacks();
  const auto* data = reinterpret_cast<cbor_data>(body.data());
  Scan scan;
  std::size_t offset = 0;
  while (offset < body.size() && !scan.done) {
    // A bound that includes the head itself is loose by at most nine bytes, which still rejects
    // every length the body cannot hold.
    scan.bytes_left = body.size() - offset;
    cbor_decoder_result r =
        cbor_stream_decode(data + offset, body.size() - offset, &callbacks, &scan);
    if (r.status == CBOR_DECODER_NEDATA) {
      return serialization_error("Unexpected end of CBOR input.");
    }
    if (r.status != CBOR_DECODER_FINISHED || r.read == 0) {
      return serialization_error("Malformed CBOR input.");
    }
    offset += r.read;
    if (scan.error != nullptr) {
      return serialization_error(std::string(scan.error) + ".");
    }
  }
  if (!scan.done) {
    return serialization_error("Unexpected end of CBOR input.");
  }
  if (offset != body.size()) {
    return serialization_error("Unexpected data after the CBOR body.");
  }
  return std::nullopt;
}

}  // namespace protocol
