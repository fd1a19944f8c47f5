#include "zip_writer.hpp"

#include <zlib.h>

#include <stdexcept>

namespace simcore::fmu {

namespace {

void u16(std::string& s, std::uint32_t v) {
  s += char(v & 0xff);
  s += char((v >> 8) & 0xff);
}
void u32(std::string& s, std::uint32_t v) {
  u16(s, v & 0xffff);
  u16(s, v >> 16);
}

// Raw deflate (no zlib header), as ZIP stores it; empty when it does not shrink.
std::string deflateRaw(const std::string& in) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, uLong(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = uInt(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  const int r = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (r != Z_STREAM_END || out.size() >= in.size()) return {};
  return out;
}

// 1980-01-01 00:00 in DOS time and date (the archive does not depend on the clock)
constexpr std::uint32_t kDosTime = 0, kDosDate = (0 << 9) | (1 << 5) | 1;

}  // namespace

void ZipWriter::add(const std::string& path, const std::string& data) {
  if (data.size() >= 0xffffffffu || body_.size() >= 0xffffffffu) throw std::length_error("archive too large");
  Entry e;
  e.path = path;
  e.crc = std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size())));
  e.size = std::uint32_t(data.size());
  e.offset = std::uint32_t(body_.size());
  std::string packed = deflateRaw(data);
  e.method = packed.empty() ? 0 : 8;
  const std::string& stored = packed.empty() ? data : packed;
  e.compressedSize = std::uint32_t(stored.size());
  u32(body_, 0x04034b50);
  u16(body_, 20);        // version needed
  u16(body_, 0x0800);    // UTF-8 names
  u16(body_, e.method);
  u16(body_, kDosTime);
  u16(body_, kDosDate);
  u32(body_, e.crc);
  u32(body_, e.compressedSize);
  u32(body_, e.size);
  u16(body_, std::uint32_t(path.size()));
  u16(body_, 0);
  body_ += path;
  body_ += stored;
  entries_.push_back(std::move(e));
}

std::string ZipWriter::finish() const {
  std::string out = body_;
  const std::uint32_t dirStart = std::uint32_t(out.size());
  for (const Entry& e : entries_) {
    u32(out, 0x02014b50);
    u16(out, (3 << 8) | 20);  // made by: Unix, 2.0
    u16(out, 20);
    u16(out, 0x0800);
    u16(out, e.method);
    u16(out, kDosTime);
    u16(out, kDosDate);
    u32(out, e.crc);
    u32(out, e.compressedSize);
    u32(out, e.size);
    u16(out, std::uint32_t(e.path.size()));
    u16(out, 0);  // extra
    u16(out, 0);  // comment
    u16(out, 0);  // disk
    u16(out, 0);  // internal attributes
    const bool exe = e.path.size() > 3 && e.path.compare(e.path.size() - 3, 3, ".so") == 0;
    u32(out, std::uint32_t(exe ? 0100755 : 0100644) << 16);
    u32(out, e.offset);
    out += e.path;
  }
  const std::uint32_t dirSize = std::uint32_t(out.size()) - dirStart;
  u32(out, 0x06054b50);
  u16(out, 0);
  u16(out, 0);
  u16(out, std::uint32_t(entries_.size()));
  u16(out, std::uint32_t(entries_.size()));
  u32(out, dirSize);
  u32(out, dirStart);
  u16(out, 0);
  return out;
}

}  // namespace simcore::fmu
