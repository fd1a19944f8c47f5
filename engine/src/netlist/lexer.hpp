// Splits netlist text into cards: title line, '*' comments, ';' and ' $'
// trailing comments, '+' continuations, .control/.endc blocks set aside, .end.
#pragma once

#include <deque>
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
  std::deque<std::string> joined;  // texts of {expr} tokens continued on '+' lines
  // The non-blank, non-comment lines of .control ... .endc blocks, in order
  // (whole physical lines, without the line end); read by control_script.cpp.
  struct ControlLine {
    std::string_view text;
    std::uint32_t line = 0;
  };
  std::vector<ControlLine> control;
  std::deque<Error> cardErrors;  // what Card::error points at
};

// Throws NetlistError on lexical errors (unbalanced braces/quotes, an unclosed
// '(', continuation without a card, .control without .endc). A '{' may close
// on following '+' lines (the token joins the pieces with blanks); a ')'
// without a matching '(' is dropped with a warning, as ngspice tolerates it.
// With deferCardErrors, a card with unbalanced parentheses, braces or quotes
// is kept with its Card::error instead (a vendor library's typo in a
// sub-circuit the netlist may never use).
// With endEndsText false (an included file), a '.end' line is skipped and the
// lines after it are read, as ngspice 39 reads every file to its end (it
// comments out each '.end' and adds one after the whole deck); a '.end'
// inside a .control block still ends the block's text.
void lexFile(LexedFile& f, bool hasTitle, bool deferCardErrors = false, bool endEndsText = true);

}  // namespace simcore::netlist
