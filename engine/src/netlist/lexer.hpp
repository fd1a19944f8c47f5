// Splits netlist text into cards: title line, '*' comments, ';' and ' $'
// trailing comments, '+' continuations, .control/.endc skipping, .end.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "netlist/tokens.hpp"
#include "simcore/ir.hpp"

namespace simcore::netlist {

// One source file and its cards. Token views point into `text`, which is
// either the caller's buffer (top file) or `owned` (included files); keep the
// object at a stable address (it is held by unique_ptr).
struct LexedFile {
  std::string name;
  std::string owned;
  std::string_view text;
  std::string title;      // first line when lexed with a title
  int titleLine = 0;
  std::vector<Token> tokens;
  std::vector<Card> cards;  // valid after lexFile returns
  std::vector<ir::Diagnostic> warnings;
};

// Throws NetlistError on lexical errors (unbalanced braces/quotes/parentheses,
// continuation without a card, .control without .endc).
void lexFile(LexedFile& f, bool hasTitle);

}  // namespace simcore::netlist
