#include "rpc/utf8_check.hpp"

#include <google/protobuf/unknown_field_set.h>

namespace simcore::server {

std::size_t firstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlong forms
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // at most U+10FFFF
    } else {
      return i;
    }
    if (i + 1 >= n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (i + k >= n || (p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

std::optional<InvalidUtf8> scan(const Descriptor* type, std::string_view bytes, int depth) {
  if (!type || depth > 8) return std::nullopt;
  UnknownFieldSet fields;
  if (!fields.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return std::nullopt;
  for (int k = 0; k < fields.field_count(); ++k) {
    const UnknownField& f = fields.field(k);
    if (f.type() != UnknownField::TYPE_LENGTH_DELIMITED) continue;
    const FieldDescriptor* fd = type->FindFieldByNumber(f.number());
    if (!fd) continue;
    const std::string& v = f.length_delimited();
    if (fd->type() == FieldDescriptor::TYPE_STRING) {
      std::size_t at = firstInvalidUtf8(v);
      if (at == std::string_view::npos) continue;
      InvalidUtf8 bad;
      bad.field = fd->name();
      bad.offset = at;
      bad.byte = static_cast<unsigned char>(v[at]);
      for (std::size_t i = 0; i < at; ++i) {
        if (v[i] == '\n') {
          ++bad.line;
          bad.column = 1;
        } else {
          ++bad.column;
        }
      }
      return bad;
    }
    if (fd->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (auto bad = scan(fd->message_type(), v, depth + 1)) {
        // A map entry's key/value: name the map.
        if (fd->is_map()) bad->field = fd->name();
        else bad->field = fd->name() + "." + bad->field;
        return bad;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<InvalidUtf8> findInvalidUtf8(const Descriptor* type, std::string_view bytes) {
  return scan(type, bytes, 0);
}

}  // namespace simcore::server
