// A scratch directory for one test, shared by the GoogleTest suites (unit/, io/, server/).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace simcore::testutil {

// A new empty directory, std::filesystem::temp_directory_path() (that is $TMPDIR, else /tmp)
// / PREFIX + 6 random characters. The destructor removes it with all it holds, unless the
// running test has failed: then it stays for a look and its path goes to stderr.
// Declare it before anything that keeps files in it open (sinks, stores), so that those
// are closed first.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "simcore-test-") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr)
      throw std::runtime_error("cannot create a temporary directory from '" + tmpl + "'");
    path_ = tmpl;
  }
  ~TempDir() {
    if (::testing::Test::HasFailure()) {
      std::cerr << "kept " << path_.string() << " (the test failed)\n";
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace simcore::testutil
