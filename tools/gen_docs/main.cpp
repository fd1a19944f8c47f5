// simcore_gen_docs: writes or checks the generated parameter tables of
// docs/devices.md (see device_docs.hpp).
//   simcore_gen_docs --check docs/devices.md   exit 1 (and say how to fix it) when out of date
//   simcore_gen_docs --write docs/devices.md   rewrite the tables in place
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "device_docs.hpp"

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode != "--check" && mode != "--write") {
    std::cerr << "usage: simcore_gen_docs --check|--write docs/devices.md\n";
    return 2;
  }
  const std::string path = argv[2];
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  auto fresh = simcore::docs::regenerate(text);
  if (!fresh) {
    const auto& e = fresh.error();
    std::cerr << path << ":" << e.loc.line << ": " << e.message << "\n";
    return 1;
  }
  if (fresh.value() == text) return 0;
  if (mode == "--check") {
    std::cerr << path << " is out of date with the device descriptors; regenerate it with\n"
              << "  make docs   (or: build/bin/simcore_gen_docs --write " << path << ")\n";
    return 1;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << fresh.value();
  if (!out) {
    std::cerr << "cannot write " << path << "\n";
    return 2;
  }
  std::cout << "updated " << path << "\n";
  return 0;
}
