#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <random>
#include <string>
#include <thread>

#include "jobs/framing.hpp"

using namespace simcore::server;

TEST(Framing, EncodesLittleEndianLengthThenType) {
  std::string out;
  encodeFrame(FrameType::Chunk, "abc", out);
  ASSERT_EQ(out.size(), kFrameHeaderBytes + 3);
  EXPECT_EQ(static_cast<unsigned char>(out[0]), 3);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], 0);
  EXPECT_EQ(out[3], 0);
  EXPECT_EQ(out[4], 2);
  EXPECT_EQ(out.substr(5), "abc");
}

TEST(Framing, DecoderReassemblesFramesFedByteByByte) {
  std::string wire;
  encodeFrame(FrameType::Request, "hello", wire);
  encodeFrame(FrameType::Chunk, "", wire);
  encodeFrame(FrameType::Outcome, std::string(70000, 'x'), wire);
  FrameDecoder d;
  Frame f;
  std::vector<Frame> got;
  for (char c : wire) {
    d.feed(&c, 1);
    while (d.next(f) == ReadStatus::Frame) got.push_back(f);
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].type, FrameType::Request);
  EXPECT_EQ(got[0].payload, "hello");
  EXPECT_EQ(got[1].type, FrameType::Chunk);
  EXPECT_EQ(got[1].payload, "");
  EXPECT_EQ(got[2].type, FrameType::Outcome);
  EXPECT_EQ(got[2].payload.size(), 70000u);
  EXPECT_EQ(d.pending(), 0u);
}

TEST(Framing, RejectsOversizedAndUnknownTypes) {
  std::string wire = {'\xff', '\xff', '\xff', '\x7f', '\x02'};
  FrameDecoder d;
  d.feed(wire.data(), wire.size());
  Frame f;
  EXPECT_EQ(d.next(f), ReadStatus::Oversized);
  std::string bad;
  encodeFrame(FrameType::Chunk, "x", bad);
  bad[4] = 9;
  FrameDecoder d2;
  d2.feed(bad.data(), bad.size());
  EXPECT_EQ(d2.next(f), ReadStatus::BadType);
}

TEST(Framing, PipeRoundTripWithCleanEofAndTruncation) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  std::mt19937 rng(1);
  std::vector<std::string> sent;
  for (int i = 0; i < 200; ++i) {
    std::string s(rng() % 100000, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    sent.push_back(s);
  }
  std::thread w([&] {
    for (const auto& s : sent) ASSERT_TRUE(writeFrame(p[1], FrameType::Chunk, s));
    close(p[1]);
  });
  FrameReader r(p[0]);
  Frame f;
  for (const auto& s : sent) {
    ASSERT_EQ(r.read(f), ReadStatus::Frame);
    ASSERT_EQ(f.payload, s);
  }
  EXPECT_EQ(r.read(f), ReadStatus::Eof);
  w.join();
  close(p[0]);

  // A writer that dies mid-frame leaves a truncated frame.
  ASSERT_EQ(pipe(p), 0);
  std::string wire;
  encodeFrame(FrameType::Chunk, "complete", wire);
  encodeFrame(FrameType::Chunk, "cut short", wire);
  wire.resize(wire.size() - 3);
  ASSERT_EQ(write(p[1], wire.data(), wire.size()), static_cast<ssize_t>(wire.size()));
  close(p[1]);
  FrameReader r2(p[0]);
  ASSERT_EQ(r2.read(f), ReadStatus::Frame);
  EXPECT_EQ(f.payload, "complete");
  EXPECT_EQ(r2.read(f), ReadStatus::Truncated);
  close(p[0]);
}

TEST(Framing, WriteToClosedPipeFailsWithEpipe) {
  signal(SIGPIPE, SIG_IGN);
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  close(p[0]);
  EXPECT_FALSE(writeFrame(p[1], FrameType::Chunk, "x"));
  EXPECT_EQ(errno, EPIPE);
  close(p[1]);
}
