// Length-prefixed frames between the server and its worker processes.
//
//   frame   = length:u32 little-endian | type:u8 | payload (length bytes)
//
// `length` counts the payload only and is at most kMaxFramePayload. The
// payload is opaque here (the server puts serialized protobuf messages in it:
// see FrameType). A reader that hits end of file between frames sees a clean
// Eof; inside a frame it is Truncated (the writer died mid-frame).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace simcore::server {

enum class FrameType : std::uint8_t {
  Request = 1,  // server -> worker: simcore.v1.WorkerRequest
  Chunk = 2,    // worker -> server: simcore.v1.WaveformChunk
  Outcome = 3,  // worker -> server: simcore.v1.WorkerOutcome (last frame); a parse process: ParseOutcome
  IncludeQuery = 4,  // parse process -> server: the name of an included file
  IncludeReply = 5,  // server -> parse process: simcore.v1.ParseInclude
};
inline constexpr std::uint8_t kMaxFrameType = 5;

inline constexpr std::size_t kFrameHeaderBytes = 5;
inline constexpr std::uint32_t kMaxFramePayload = 64u << 20;

struct Frame {
  FrameType type = FrameType::Chunk;
  std::string payload;
};

// Appends one encoded frame to `out`.
void encodeFrame(FrameType type, std::string_view payload, std::string& out);

// Writes one frame to a file descriptor (retries on EINTR and short writes).
// Returns false with errno set on failure (EPIPE when the reader is gone).
bool writeFrame(int fd, FrameType type, std::string_view payload);

enum class ReadStatus { Frame, Eof, Truncated, Oversized, BadType, IoError };
const char* readStatusName(ReadStatus s);

// Incremental decoder: feed bytes as they arrive, take whole frames out.
class FrameDecoder {
 public:
  void feed(const char* data, std::size_t n) { buf_.append(data, n); }
  // Frame: `out` holds the next frame. Eof: no whole frame buffered (need more
  // bytes). Oversized / BadType: the stream is corrupt (stop reading).
  ReadStatus next(Frame& out);
  // Bytes of an incomplete frame still buffered (non-zero at end of input
  // means the last frame was truncated).
  std::size_t pending() const { return buf_.size() - pos_; }

 private:
  std::string buf_;
  std::size_t pos_ = 0;
};

// Blocking reader over a file descriptor.
class FrameReader {
 public:
  explicit FrameReader(int fd) : fd_(fd) {}
  // Frame, Eof (clean end between frames), Truncated, Oversized, BadType or IoError.
  ReadStatus read(Frame& out);

 private:
  int fd_;
  FrameDecoder dec_;
};

}  // namespace simcore::server
