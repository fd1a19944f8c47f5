// A minimal ZIP archive writer (deflate through zlib, or stored): what an
// FMU needs, files with their paths. No ZIP64 (entries and archive < 4 GiB).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace simcore::fmu {

class ZipWriter {
 public:
  // path: forward slashes, no leading '/'. data: the file's bytes.
  void add(const std::string& path, const std::string& data);
  // The whole archive.
  std::string finish() const;

 private:
  struct Entry {
    std::string path;
    std::uint32_t crc = 0, size = 0, compressedSize = 0, offset = 0;
    std::uint16_t method = 0;  // 0 stored, 8 deflate
  };
  std::vector<Entry> entries_;
  std::string body_;  // local headers and data
};

}  // namespace simcore::fmu
