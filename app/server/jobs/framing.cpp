#include "jobs/framing.hpp"

#include <unistd.h>

#include <cerrno>

namespace simcore::server {

void encodeFrame(FrameType type, std::string_view payload, std::string& out) {
  const auto n = static_cast<std::uint32_t>(payload.size());
  char h[kFrameHeaderBytes] = {static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff),
                               static_cast<char>((n >> 16) & 0xff), static_cast<char>((n >> 24) & 0xff),
                               static_cast<char>(type)};
  out.append(h, kFrameHeaderBytes);
  out.append(payload.data(), payload.size());
}

bool writeFrame(int fd, FrameType type, std::string_view payload) {
  if (payload.size() > kMaxFramePayload) {
    errno = EMSGSIZE;
    return false;
  }
  std::string buf;
  buf.reserve(payload.size() + kFrameHeaderBytes);
  encodeFrame(type, payload, buf);
  std::size_t off = 0;
  while (off < buf.size()) {
    ssize_t w = ::write(fd, buf.data() + off, buf.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<std::size_t>(w);
  }
  return true;
}

const char* readStatusName(ReadStatus s) {
  switch (s) {
    case ReadStatus::Frame: return "frame";
    case ReadStatus::Eof: return "end of stream";
    case ReadStatus::Truncated: return "truncated frame";
    case ReadStatus::Oversized: return "oversized frame";
    case ReadStatus::BadType: return "unknown frame type";
    case ReadStatus::IoError: return "read error";
  }
  return "?";
}

ReadStatus FrameDecoder::next(Frame& out) {
  if (buf_.size() - pos_ < kFrameHeaderBytes) return ReadStatus::Eof;
  const auto* p = reinterpret_cast<const unsigned char*>(buf_.data() + pos_);
  std::uint32_t n = std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
                    (std::uint32_t(p[3]) << 24);
  if (n > kMaxFramePayload) return ReadStatus::Oversized;
  if (p[4] < 1 || p[4] > kMaxFrameType) return ReadStatus::BadType;
  if (buf_.size() - pos_ < kFrameHeaderBytes + n) return ReadStatus::Eof;
  out.type = static_cast<FrameType>(p[4]);
  out.payload.assign(buf_.data() + pos_ + kFrameHeaderBytes, n);
  pos_ += kFrameHeaderBytes + n;
  // Compact once the consumed prefix dominates, so the buffer stays small.
  if (pos_ > (1u << 16) && pos_ * 2 > buf_.size()) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  return ReadStatus::Frame;
}

ReadStatus FrameReader::read(Frame& out) {
  char tmp[1 << 16];
  while (true) {
    ReadStatus s = dec_.next(out);
    if (s != ReadStatus::Eof) return s;
    ssize_t r = ::read(fd_, tmp, sizeof tmp);
    if (r < 0) {
      if (errno == EINTR) continue;
      return ReadStatus::IoError;
    }
    if (r == 0) return dec_.pending() == 0 ? ReadStatus::Eof : ReadStatus::Truncated;
    dec_.feed(tmp, static_cast<std::size_t>(r));
  }
}

}  // namespace simcore::server
