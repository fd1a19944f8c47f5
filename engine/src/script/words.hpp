// Small text helpers of the script interpreter (runner.cpp, commands.cpp).
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <utility>

namespace simcore::script {

inline std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

inline std::string lowerStr(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The first whitespace-separated word of s and the rest, both trimmed.
inline std::pair<std::string, std::string> firstWord(std::string_view s) {
  std::string t = trim(s);
  std::size_t e = 0;
  while (e < t.size() && !std::isspace(static_cast<unsigned char>(t[e]))) ++e;
  return {t.substr(0, e), trim(std::string_view(t).substr(e))};
}

}  // namespace simcore::script
