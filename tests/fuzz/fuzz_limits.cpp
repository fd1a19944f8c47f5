// libFuzzer target for the server's limits file (TOML, and the deprecated
// INI form): any text must parse or give an error naming a line, and what
// parses must convert to TOML that parses again to the same values.
#include <cstddef>
#include <cstdint>
#include <string>

#include "limits/limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 16) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  simcore::server::LimitsFile file;
  std::string err;
  if (!simcore::server::parseLimitsFile(text, "fuzz.toml", file, err)) {
    if (err.rfind("fuzz.toml", 0) != 0) __builtin_trap();  // errors start with NAME (and :LINE)
    return 0;
  }
  const std::string toml = simcore::server::limitsFileToToml(file);
  simcore::server::LimitsFile again;
  if (!simcore::server::parseLimitsFile(toml, "again.toml", again, err)) __builtin_trap();
  if (again.roles.size() != file.roles.size() || again.users.size() != file.users.size()) __builtin_trap();
  for (const auto& [name, sec] : file.users) {
    auto it = again.users.find(name);
    if (it == again.users.end() || it->second.values != sec.values) __builtin_trap();
  }
  for (const auto& [name, sec] : file.roles) {
    auto it = again.roles.find(name);
    if (it == again.roles.end() || it->second.values != sec.values) __builtin_trap();
  }
  simcore::server::resolveLimits(simcore::server::Limits{}, file, "u", "user");
  return 0;
}
