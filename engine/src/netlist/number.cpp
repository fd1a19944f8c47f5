#include "netlist/number.hpp"

#include <charconv>
#include <cmath>

namespace simcore::netlist {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// A byte of a non-ASCII character (UTF-8 or Latin-1): a unit letter after a number, as in
// ngspice 39 (`25°C`, `2kΩ`)
bool isHigh(char c) { return static_cast<unsigned char>(c) >= 0x80; }
bool isUnitLetter(char c) { return isAlpha(c) || isHigh(c); }
char low(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

double scaleOf(std::string_view letters) {
  if (letters.empty()) return 1.0;
  // the micro sign, U+00B5 in UTF-8 or Latin-1: micro, as ngspice 39 reads it (`10µF`)
  if (letters.size() >= 2 && static_cast<unsigned char>(letters[0]) == 0xC2 &&
      static_cast<unsigned char>(letters[1]) == 0xB5)
    return 1e-6;
  if (static_cast<unsigned char>(letters[0]) == 0xB5) return 1e-6;
  if (letters.size() >= 3 && low(letters[0]) == 'm' && low(letters[1]) == 'e' && low(letters[2]) == 'g') return 1e6;
  if (letters.size() >= 3 && low(letters[0]) == 'm' && low(letters[1]) == 'i' && low(letters[2]) == 'l')
    return 25.4e-6;
  switch (low(letters[0])) {
    case 't': return 1e12;
    case 'g': return 1e9;
    case 'k': return 1e3;
    case 'm': return 1e-3;
    case 'u': return 1e-6;
    case 'n': return 1e-9;
    case 'p': return 1e-12;
    case 'f': return 1e-15;
    // no atto: ngspice 39 reads `1a` as 1 (an ampere, PySpice's `1.0A`), in element values,
    // `.param`s, braces and scripts alike
    default: return 1.0;  // a unit letter without a scale: 3V, 5s, 1A
  }
}

}  // namespace

std::size_t scanNumber(std::string_view s, double& value, bool& outOfRange) {
  outOfRange = false;
  std::size_t i = 0, n = s.size();
  std::size_t digits = 0;
  while (i < n && isDigit(s[i])) { ++i; ++digits; }
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && isDigit(s[i])) { ++i; ++digits; }
  }
  if (digits == 0) return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < n && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < n && isDigit(s[j])) {
      while (j < n && isDigit(s[j])) ++j;
      i = j;
    }
  }
  double mant = 0.0;
  auto res = std::from_chars(s.data(), s.data() + i, mant, std::chars_format::general);
  if (res.ec == std::errc::result_out_of_range) {
    outOfRange = true;
    mant = 0.0;
  } else if (res.ec != std::errc() || res.ptr != s.data() + i) {
    // from_chars rejects "5." on some libraries: retry without the dot.
    std::string tmp(s.substr(0, i));
    if (!tmp.empty() && tmp.back() == '.') tmp.pop_back();
    auto r2 = std::from_chars(tmp.data(), tmp.data() + tmp.size(), mant, std::chars_format::general);
    if (r2.ec != std::errc()) mant = 0.0;
  }
  std::size_t letters = i;
  while (letters < n && isUnitLetter(s[letters])) ++letters;
  value = mant * scaleOf(s.substr(i, letters - i));
  if (!std::isfinite(value)) outOfRange = true;
  return letters;
}

bool parseNumber(std::string_view s, double& value, std::string& why) {
  double sign = 1.0;
  std::size_t start = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    if (s[0] == '-') sign = -1.0;
    start = 1;
  }
  bool oor = false;
  std::size_t used = scanNumber(s.substr(start), value, oor);
  if (used == 0) {
    why = "expected a number";
    return false;
  }
  if (oor) {
    why = "number out of range";
    return false;
  }
  if (start + used != s.size()) {
    std::size_t at = start + used;
    // Find where the scale/unit letters began to explain the problem.
    std::size_t letters = at;
    while (letters > start && isUnitLetter(s[letters - 1])) --letters;
    const bool exponentAfterSuffix = at - letters >= 2 && (s[at - 1] == 'e' || s[at - 1] == 'E') &&
                                     (s[at] == '+' || s[at] == '-') && at + 1 < s.size() && isDigit(s[at + 1]);
    if (exponentAfterSuffix)
      why = "a scale suffix then an exponent ('" + std::string(s.substr(letters, at - 1 - letters)) + "' then '" +
            std::string(s.substr(at - 1)) + "'): write " + std::string(s.substr(0, at - 1)) + " or use only the exponent";
    else if (letters < at && isDigit(s[at]))
      why = "unexpected digits after the suffix '" + std::string(s.substr(letters, at - letters)) +
            "' (write 4.7k, not 4k7)";
    else
      why = "unexpected '" + std::string(1, s[at]) + "' at character " + std::to_string(at + 1);
    return false;
  }
  value *= sign;
  return true;
}

double ngspiceValue(std::string_view s) {
  std::size_t i = 0;
  double sign = 1.0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1.0 : 1.0;
  double mantis = 0;
  int expo1 = 0, expo2 = 0, expsgn = 1;
  while (i < s.size() && isDigit(s[i])) mantis = 10 * mantis + (s[i++] - '0');
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && isDigit(s[i])) {
      mantis = 10 * mantis + (s[i++] - '0');
      --expo1;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E' || s[i] == 'd' || s[i] == 'D')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) expsgn = s[i++] == '-' ? -1 : 1;
    while (i < s.size() && isDigit(s[i])) expo2 = 10 * expo2 + (s[i++] - '0');
  }
  if (i < s.size()) {
    const char c = static_cast<char>(s[i] | 0x20);
    auto at = [&](std::size_t k, char ch) { return i + k < s.size() && (s[i + k] | 0x20) == ch; };
    switch (c) {
      case 't': expo1 += 12; break;
      case 'g': expo1 += 9; break;
      case 'k': expo1 += 3; break;
      case 'u': expo1 -= 6; break;
      case 'n': expo1 -= 9; break;
      case 'p': expo1 -= 12; break;
      case 'f': expo1 -= 15; break;
      case 'm':
        if (at(1, 'e') && at(2, 'g')) expo1 += 6;
        else if (at(1, 'i') && at(2, 'l')) {
          expo1 -= 6;
          mantis *= 25.4;
        } else {
          expo1 -= 3;
        }
        break;
      default: break;
    }
  }
  return sign * mantis * std::pow(10.0, static_cast<double>(expo1 + expsgn * expo2));
}

bool parseNumberPrefix(std::string_view s, double& value) {
  double sign = 1.0;
  std::size_t start = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    if (s[0] == '-') sign = -1.0;
    start = 1;
  }
  bool oor = false;
  if (scanNumber(s.substr(start), value, oor) == 0 || oor) return false;
  value *= sign;
  return true;
}

bool looksNumeric(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') ++i;
  return i < s.size() && isDigit(s[i]);
}

}  // namespace simcore::netlist
