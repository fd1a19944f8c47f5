// Tokens and cards shared by the netlist front end, plus the internal error
// type. Tokens are views into source text owned by the front end (or by the
// caller for the top file); they stay valid for the whole parse.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "simcore/result.hpp"

namespace simcore::netlist {

enum class TokKind : std::uint8_t {
  Word,    // anything not a separator: names, numbers, bare expressions
  Eq,      // =
  LParen,  // (
  RParen,  // )
  Expr,    // {expr} or 'expr'; text includes the delimiters
  Str,     // "text"; text includes the quotes
};

struct Token {
  std::string_view text;
  const std::string* file = nullptr;  // file name, owned by the front end
  std::uint32_t line = 0;             // 1-based physical line
  std::uint32_t col = 0;              // 1-based character column
  TokKind kind = TokKind::Word;
};

// One logical line (a card with its '+' continuations): tokens [b, e).
struct Card {
  const Token* b = nullptr;
  const Token* e = nullptr;
  // A card the lexer could not read in full (unbalanced parentheses or braces,
  // an unterminated quote; only when lexed with deferred errors): its tokens
  // up to the fault, and the error the front end reports when it reads the
  // card (reader.cpp: at once, or when its .subckt of a library is used).
  const Error* error = nullptr;
  std::size_t size() const { return static_cast<std::size_t>(e - b); }
  const Token& operator[](std::size_t i) const { return b[i]; }
};

// Thrown inside the front end only; parseNetlist turns it into a Result.
struct NetlistError {
  Error err;
};

inline SourceLoc locOf(const Token& t) {
  return SourceLoc{t.file ? *t.file : std::string(), static_cast<int>(t.line), static_cast<int>(t.col)};
}

[[noreturn]] inline void fail(ErrorCode c, std::string msg, SourceLoc loc) {
  throw NetlistError{makeError(c, std::move(msg), std::move(loc))};
}
[[noreturn]] inline void failAt(const Token& t, ErrorCode c, std::string msg) {
  fail(c, std::move(msg), locOf(t));
}

inline char lowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = lowerChar(c);
  return r;
}

// Case-insensitive equality; b must be lower case.
inline bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lowerChar(a[i]) != b[i]) return false;
  return true;
}

// The first character of s: one byte, or the whole UTF-8 sequence it starts.
inline std::string_view firstChar(std::string_view s) {
  if (s.empty()) return s;
  std::size_t n = 1;
  while (n < s.size() && n < 4 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
  return s.substr(0, n);
}

// Printable form of a token for messages ("'{a+1}'", "'('", "end of line").
// Long tokens are cut on a character boundary (never inside a UTF-8 sequence).
inline std::string quoteTok(std::string_view s) {
  std::string r = "'";
  std::size_t cut = std::min<std::size_t>(s.size(), 40);
  while (cut > 0 && cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  r.append(s.substr(0, cut));
  if (cut < s.size()) r += "...";
  r += "'";
  return r;
}

}  // namespace simcore::netlist
