// Finding the string field that makes a request unparsable: protobuf refuses a
// proto3 `string` holding bytes that are not UTF-8, and gRPC would answer such
// a request INTERNAL with no message before the service sees it. Methods that
// take text from people (netlists, models) receive their request raw and
// use this to answer INVALID_ARGUMENT naming the field and the place.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/descriptor.h>

namespace simcore::server {

// The offset of the first byte of `s` that does not start or continue a
// valid UTF-8 sequence (overlong forms, surrogates and values past U+10FFFF
// are invalid); npos when `s` is valid.
std::size_t firstInvalidUtf8(std::string_view s);

struct InvalidUtf8 {
  std::string field;       // "netlist", "params" (a map key), ...
  std::size_t offset = 0;  // of the bad byte in the field's value
  unsigned char byte = 0;
  int line = 1, column = 1;  // of the bad byte, 1-based (column in bytes)
};

// The first string field (recursing into message fields and map entries) of
// the serialized message `bytes` of type `type` that is not UTF-8. nullopt
// when every string is valid or `bytes` is not a message at all.
std::optional<InvalidUtf8> findInvalidUtf8(const google::protobuf::Descriptor* type, std::string_view bytes);

}  // namespace simcore::server
