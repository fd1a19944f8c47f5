#include "netlist/lexer.hpp"

#include <cctype>
#include <optional>
#include <utility>

namespace simcore::netlist {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// A line's first character that ngspice 39 turns into '*' (inpcom.c's
// "unusual leading characters"); ';' already starts a comment here.
bool unusualLead(char c) {
  switch (c) {
    case '=': case '[': case ']': case '?': case '(': case ')': case '&': case '%':
    case '$': case '"': case '!': case ':': case ',':
      return true;
    default:
      return false;
  }
}

// "$G_xxx" or "$D_xxx" (a letter after the underscore): PSpice's global
// digital nodes, not the start of a ' $' comment
bool pspiceGlobalNode(std::string_view s) {
  if (s.size() < 4 || s[0] != '$' || s[2] != '_') return false;
  const char k = static_cast<char>(s[1] | 0x20);
  const char n = static_cast<char>(s[3] | 0x20);
  return (k == 'g' || k == 'd') && n >= 'a' && n <= 'z';
}

bool endsWord(char c) {
  return isSpace(c) || c == ',' || c == '=' || c == '(' || c == ')' || c == '{' || c == '}' || c == ';' ||
         c == '\'' || c == '"';
}

// ngspice 39 ends a line at "//" wherever it stands (inp_stripcomments_line):
// `R1 a b 20 // comment`, also straight after a word.
bool startsSlashComment(std::string_view line, std::size_t i) {
  return line[i] == '/' && i + 1 < line.size() && line[i + 1] == '/';
}

// Columns count characters: UTF-8 continuation bytes do not advance them.
class ColCounter {
 public:
  explicit ColCounter(std::string_view line) : line_(line) {}
  std::uint32_t at(std::size_t idx) {
    while (idx_ < idx && idx_ < line_.size()) {
      if ((static_cast<unsigned char>(line_[idx_]) & 0xC0) != 0x80) ++col_;
      ++idx_;
    }
    return col_;
  }

 private:
  std::string_view line_;
  std::size_t idx_ = 0;
  std::uint32_t col_ = 1;
};

class Lexer {
 public:
  Lexer(LexedFile& f, bool defer, bool endEndsText) : f_(f), defer_(defer), endEndsText_(endEndsText) {}

  void run(bool hasTitle) {
    std::string_view text = f_.text;
    // a UTF-8 byte-order mark (vendor libraries saved by Windows editors) is not text
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // token index ranges
    std::vector<int> spanError;  // per span: its error in f_.cardErrors, or -1
    bool inControl = false;
    bool afterEnd = false;  // past the deck's .end: only .control blocks are read (below)
    Token controlTok;
    while (pos_ < text.size()) {
      std::size_t eol = text.find('\n', pos_);
      if (eol == std::string_view::npos) eol = text.size();
      std::string_view line = text.substr(pos_, eol - pos_);
      pos_ = eol + 1;
      ++lineNo_;
      const std::uint32_t lineNo = lineNo_;
      if (hasTitle && lineNo == 1) {
        while (!line.empty() && (line.back() == '\r' || isSpace(line.back()))) line.remove_suffix(1);
        f_.title = std::string(line);
        f_.titleLine = 1;
        // ngspice 39 expands .include and .lib FILE SECTION while it reads, the first line
        // too: the deck then has no title line (ngspice shows "*include FILE")
        std::size_t a = 0;
        while (a < line.size() && isSpace(line[a])) ++a;
        std::size_t b = a;
        while (b < line.size() && !isSpace(line[b])) ++b;
        const std::string_view w = line.substr(a, b - a);
        std::size_t words = 0;
        for (std::size_t k = a; k < line.size();) {
          while (k < line.size() && isSpace(line[k])) ++k;
          if (k < line.size()) ++words;
          while (k < line.size() && !isSpace(line[k])) ++k;
        }
        const bool include = (w.size() >= 4 && ieq(w.substr(0, 4), ".inc")) || (ieq(w, ".lib") && words >= 3);
        const bool title = ieq(w, ".title");  // (read as a card: it sets the title, as in ngspice 39)
        if (!include && !title) {
          if (!w.empty() && w[0] == '.' && w.size() > 1 && std::isalpha(static_cast<unsigned char>(w[1]))) {
            ColCounter cols(line);
            f_.warnings.push_back({"the first line is the title: '" + std::string(w) +
                                       "' there is not read (ngspice 39 stops: 'title line is missing')",
                                   locOf(Token{w, &f_.name, lineNo, cols.at(a), TokKind::Word})});
          }
          continue;
        }
        if (include) f_.title = "*" + std::string(line.substr(a + 1));
      }
      std::size_t i = 0;
      while (i < line.size() && isSpace(line[i])) ++i;
      if (i == line.size()) continue;
      if (inControl) {
        std::size_t j = i;
        while (j < line.size() && !isSpace(line[j])) ++j;
        std::string_view word = line.substr(i, j - i);
        // ngspice 39 takes any word beginning ".endc" (".endcontrol") as the end
        // of the block, and ".end" there as the end of the deck.
        if (word.size() >= 5 && ieq(word.substr(0, 5), ".endc")) inControl = false;
        else if (ieq(word, ".end")) break;
        else if (line[i] != '*') {
          while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          f_.control.push_back({line, lineNo});
        }
        continue;
      }
      char c = line[i];
      if (c == '*') continue;
      if (afterEnd) {
        // ngspice 39 reads on past .end (it only marks where the deck ends): a
        // .control block there runs; other text is left out here, with a warning
        std::size_t j = i;
        while (j < line.size() && !isSpace(line[j])) ++j;
        if (ieq(line.substr(i, std::min<std::size_t>(j - i, 8)), ".control") && j - i == 8) {
          ColCounter cols(line);
          controlTok = Token{line.substr(i, 8), &f_.name, lineNo, cols.at(i), TokKind::Word};
          inControl = true;
        } else if (!warnedAfterEnd_) {
          ColCounter cols(line);
          f_.warnings.push_back({"text after '.end' ignored (a '.control' block there is run, as ngspice 39 runs it)",
                                 locOf(Token{line.substr(i, j - i), &f_.name, lineNo, cols.at(i), TokKind::Word})});
          warnedAfterEnd_ = true;
        }
        continue;
      }
      if (unusualLead(c)) {
        // ngspice 39 makes such a line a comment, with a warning (a vendor library's
        // `( ;D  G  S )` pin note)
        if (!warnedLead_) {
          ColCounter cols(line);
          f_.warnings.push_back({std::string("line starting with '") + c +
                                     "' read as a comment, as ngspice 39 reads lines that start with one of "
                                     "= [ ] ? ( ) & % $ \" ! : , ; (so are the others of this file)",
                                 locOf(Token{line.substr(i, 1), &f_.name, lineNo, cols.at(i), TokKind::Word})});
          warnedLead_ = true;
        }
        continue;
      }
      if (c == '\x1a') break;  // Ctrl-Z: the end of a DOS text file (vendor libraries), text after it is not read
      ColCounter cols(line);
      if (c == '+') {
        if (spans.empty()) {
          Token t{line.substr(i, 1), &f_.name, lineNo, cols.at(i), TokKind::Word};
          failAt(t, ErrorCode::Parse, "continuation line '+' has no card before it to continue");
        }
        tokenize(line, i + 1, lineNo);
        spans.back().second = f_.tokens.size();
        takeLineError(spanError, spans.size() - 1);
        continue;
      }
      std::size_t first = f_.tokens.size();
      tokenize(line, i, lineNo);
      if (f_.tokens.size() == first) {
        if (lineError_) throw NetlistError{*lineError_};  // nothing to hold the error
        continue;  // only a trailing comment
      }
      const Token& head = f_.tokens[first];
      if (head.kind == TokKind::Word && ieq(head.text, ".end")) {
        f_.tokens.resize(first);
        if (!endEndsText_) continue;
        afterEnd = true;
        continue;
      }
      if (head.kind == TokKind::Word && ieq(head.text, ".control")) {
        controlTok = head;
        inControl = true;
        f_.tokens.resize(first);
        continue;
      }
      spans.emplace_back(first, f_.tokens.size());
      takeLineError(spanError, spans.size() - 1);
    }
    // ngspice 39 runs a '.control' block left open up to the end of the deck
    if (inControl)
      f_.warnings.push_back({"'.control' block is never closed: its commands run up to the end of the deck "
                             "(as in ngspice); close it with '.endc'",
                             locOf(controlTok)});
    dropStrayParens(spans);
    const Token* base = f_.tokens.data();
    f_.cards.reserve(spans.size());
    for (std::size_t k = 0; k < spans.size(); ++k) {
      auto [b, e] = spans[k];
      if (b == e) continue;  // a line that held only stray ')': nothing left of it
      Card card{base + b, base + e};
      if (k < spanError.size() && spanError[k] >= 0) {
        card.error = &f_.cardErrors[std::size_t(spanError[k])];
      } else if (const Token* open = unclosedParen(card)) {
        // ngspice reads a .model whose '(' is never closed (the parameters end with the card)
        if (tableParen(card, open)) {
          // an E/G TABLE's pairs: ngspice 39 reads their numbers whatever the parentheses
          f_.warnings.push_back({"'(' in the TABLE of '" + std::string(card[0].text) +
                                     "' is never closed: its numbers are read as (x, y) pairs all the same, as in "
                                     "ngspice",
                                 locOf(*open)});
        } else if (!(card.size() > 0 && card[0].kind == TokKind::Word && ieq(card[0].text, ".model"))) {
          Error err = makeError(ErrorCode::Parse, "unbalanced parentheses: '(' is never closed", locOf(*open));
          if (!defer_) throw NetlistError{std::move(err)};
          f_.cardErrors.push_back(std::move(err));
          card.error = &f_.cardErrors.back();
        } else {
          f_.warnings.push_back({"'(' of .model is never closed: the parameters end with the card, as in ngspice",
                                 locOf(*open)});
        }
      }
      f_.cards.push_back(card);
    }
  }

 private:
  void tokenize(std::string_view line, std::size_t i, std::uint32_t lineNo) {
    ColCounter cols(line);
    std::size_t n = line.size();
    auto push = [&](std::size_t b, std::size_t e, TokKind k) {
      f_.tokens.push_back(Token{line.substr(b, e - b), &f_.name, lineNo, cols.at(b), k});
    };
    while (i < n) {
      char c = line[i];
      if (isSpace(c) || c == ',') {
        ++i;
        continue;
      }
      if (c == ';') break;
      // ' $' starts a comment, except PSpice's global digital nodes ($G_DPWR,
      // $D_HI, $D_NC...), which ngspice's PSpice mode reads as names
      if (c == '$' && (i == 0 || isSpace(line[i - 1])) && !pspiceGlobalNode(line.substr(i))) break;
      if (startsSlashComment(line, i)) break;
      switch (c) {
        case '=': push(i, i + 1, TokKind::Eq); ++i; continue;
        case '(': push(i, i + 1, TokKind::LParen); ++i; continue;
        case ')': push(i, i + 1, TokKind::RParen); ++i; continue;
        case '}': {
          Token t{line.substr(i, 1), &f_.name, lineNo, cols.at(i), TokKind::Word};
          // a library's B expression ending in a '}' that closes no '{' but the
          // expression's first '(' (GaN Systems' LTspice models: `I = (if (... )))) }`,
          // one ')' short): LTspice runs them, so the brace is read as ')' with a warning
          // (a ')' left over is then dropped as any stray one); in the netlist itself
          // still an error
          if (!endEndsText_ && line.find_first_not_of(" \t\r", i + 1) == std::string_view::npos) {  // an included file
            f_.warnings.push_back({"'}' at the end of the line closes no '{': read as ')' (LTspice's libraries "
                                   "have them, ngspice 39 rejects them)",
                                   locOf(t)});
            push(i, i + 1, TokKind::RParen);
            ++i;
            continue;
          }
          return lineFault(t, "unbalanced braces: '}' without a matching '{'");
        }
        case '{': {
          int depth = 0;
          std::size_t j = i;
          for (; j < n; ++j) {
            if (line[j] == '{') ++depth;
            else if (line[j] == '}' && --depth == 0) break;
          }
          if (j < n) {
            push(i, j + 1, TokKind::Expr);
            i = j + 1;
            continue;
          }
          // Not closed on this line: the expression goes on over '+' lines.
          Token open{line.substr(i, 1), &f_.name, lineNo, cols.at(i), TokKind::Expr};
          std::string joined(line.substr(i));
          for (;;) {
            std::string_view next;
            std::size_t plus = 0;
            if (!nextContinuation(next, plus))
              return lineFault(open, "unbalanced braces: '{' is not closed on this line or its '+' continuations");
            std::size_t k = plus + 1;
            for (; k < next.size(); ++k) {
              if (next[k] == '{') ++depth;
              else if (next[k] == '}' && --depth == 0) break;
            }
            joined += ' ';
            if (k < next.size()) {
              joined.append(next.substr(plus + 1, k - plus));
              f_.joined.push_back(std::move(joined));
              open.text = f_.joined.back();
              f_.tokens.push_back(open);
              // the rest of the closing line is tokenized as usual
              line = next;
              n = line.size();
              lineNo = lineNo_;
              cols = ColCounter(line);
              i = k + 1;
              break;
            }
            joined.append(next.substr(plus + 1));
          }
          continue;
        }
        case '\'':
        case '"': {
          std::size_t j = line.find(c, i + 1);
          if (j == std::string_view::npos) {
            Token t{line.substr(i, 1), &f_.name, lineNo, cols.at(i), TokKind::Word};
            return lineFault(t, std::string("unterminated quote: ") + c + " is not closed on this line");
          }
          push(i, j + 1, c == '"' ? TokKind::Str : TokKind::Expr);
          i = j + 1;
          continue;
        }
        default: break;
      }
      std::size_t j = i;
      while (j < n && !endsWord(line[j]) && !startsSlashComment(line, j)) ++j;
      if (j - i > 7 && ieq(line.substr(i, 7), "params:")) {
        // "Params:B0=..." (PSpice libraries leave out the space): two tokens
        push(i, i + 7, TokKind::Word);
        i += 7;
      }
      push(i, j, TokKind::Word);
      i = j;
    }
  }

  // Consumes the next physical line when it is a '+' continuation (comment
  // and blank lines before it are skipped); `plus` is the index of its '+'.
  bool nextContinuation(std::string_view& line, std::size_t& plus) {
    std::string_view text = f_.text;
    std::size_t pos = pos_;
    std::uint32_t lineNo = lineNo_;
    while (pos < text.size()) {
      std::size_t eol = text.find('\n', pos);
      if (eol == std::string_view::npos) eol = text.size();
      std::string_view l = text.substr(pos, eol - pos);
      pos = eol + 1;
      ++lineNo;
      std::size_t i = 0;
      while (i < l.size() && isSpace(l[i])) ++i;
      if (i == l.size() || l[i] == '*' || unusualLead(l[i])) continue;
      if (l[i] != '+') return false;
      while (!l.empty() && (l.back() == '\r')) l.remove_suffix(1);
      pos_ = pos;
      lineNo_ = lineNo;
      line = l;
      plus = i;
      return true;
    }
    return false;
  }

  // ngspice ignores a ')' that closes nothing (KiCad exports have them): drop
  // each one from its card with a warning. So a '(' never closed in a POLY card
  // of E F G H (an ADI op-amp's `E4 97 22 (POLY(1) (99,98) -0.765 1`): ngspice
  // reads parentheses there as separators.
  void dropStrayParens(std::vector<std::pair<std::size_t, std::size_t>>& spans) {
    std::vector<bool> drop(f_.tokens.size(), false);
    bool any = false;
    for (auto [b, e] : spans) {
      std::vector<std::size_t> open;
      for (std::size_t k = b; k < e; ++k) {
        if (f_.tokens[k].kind == TokKind::LParen) open.push_back(k);
        else if (f_.tokens[k].kind == TokKind::RParen && !open.empty()) open.pop_back();
        else if (f_.tokens[k].kind == TokKind::RParen) {
          drop[k] = true;
          any = true;
          f_.warnings.push_back({"stray ')' without a matching '(' ignored", locOf(f_.tokens[k])});
        }
      }
      if (!open.empty() && polyCard(b, e)) {
        for (std::size_t k : open) drop[k] = true;
        any = true;
        f_.warnings.push_back({"'(' in the POLY card '" + std::string(f_.tokens[b].text) +
                                   "' is never closed: ignored, as ngspice reads parentheses there as separators",
                               locOf(f_.tokens[open.front()])});
      }
    }
    if (!any) return;
    std::vector<Token> kept;
    kept.reserve(f_.tokens.size());
    for (auto& [b, e] : spans) {
      std::size_t nb = kept.size();
      for (std::size_t k = b; k < e; ++k)
        if (!drop[k]) kept.push_back(f_.tokens[k]);
      b = nb;
      e = kept.size();
    }
    f_.tokens = std::move(kept);
  }

  // Whether tokens [b, e) are an E F G H card with the word POLY after its nodes.
  bool polyCard(std::size_t b, std::size_t e) const {
    if (e - b < 4 || f_.tokens[b].kind != TokKind::Word) return false;
    const char letter = static_cast<char>(std::tolower(static_cast<unsigned char>(f_.tokens[b].text[0])));
    if (letter != 'e' && letter != 'f' && letter != 'g' && letter != 'h') return false;
    for (std::size_t k = b + 3; k < e; ++k)
      if (f_.tokens[k].kind == TokKind::Word && ieq(f_.tokens[k].text, "poly")) return true;
    return false;
  }

  // Whether `open` is in the (x, y) pairs of an E or G source's TABLE (after
  // the word TABLE and its {expression}).
  static bool tableParen(const Card& card, const Token* open) {
    if (card.size() < 5 || card[0].kind != TokKind::Word) return false;
    const char letter = static_cast<char>(std::tolower(static_cast<unsigned char>(card[0].text[0])));
    if (letter != 'e' && letter != 'g') return false;
    for (const Token* t = card.b + 3; t < open; ++t)
      if (t->kind == TokKind::Word && ieq(t->text, "table") && t + 1 < open &&
          (t[1].kind == TokKind::Expr || (t[1].kind == TokKind::Eq && t + 2 < open && t[2].kind == TokKind::Expr)))
        return true;
    return false;
  }

  // The last '(' of the card that is never closed (nullptr: balanced).
  static const Token* unclosedParen(const Card& card) {
    std::vector<const Token*> open;
    for (const Token* t = card.b; t != card.e; ++t) {
      if (t->kind == TokKind::LParen) {
        open.push_back(t);
      } else if (t->kind == TokKind::RParen) {
        if (open.empty()) failAt(*t, ErrorCode::Parse, "unbalanced parentheses: ')' without a matching '('");
        open.pop_back();
      }
    }
    return open.empty() ? nullptr : open.back();
  }

  // A fault on the line being tokenized: thrown, or (deferred) kept for its
  // card; the rest of the line is not read.
  void lineFault(const Token& at, std::string message) {
    Error err = makeError(ErrorCode::Parse, std::move(message), locOf(at));
    if (!defer_) throw NetlistError{std::move(err)};
    if (!lineError_) lineError_ = std::move(err);
  }

  // The fault of the line just tokenized goes to span k (its first one counts).
  void takeLineError(std::vector<int>& spanError, std::size_t k) {
    if (!lineError_) return;
    if (spanError.size() <= k) spanError.resize(k + 1, -1);
    if (spanError[k] < 0) {
      f_.cardErrors.push_back(std::move(*lineError_));
      spanError[k] = int(f_.cardErrors.size() - 1);
    }
    lineError_.reset();
  }

  LexedFile& f_;
  bool defer_ = false;
  bool endEndsText_ = true;
  bool warnedAfterEnd_ = false;
  bool warnedLead_ = false;  // a line with an unusual first character was warned
  std::optional<Error> lineError_;
  std::size_t pos_ = 0;         // start of the next physical line
  std::uint32_t lineNo_ = 0;    // number of the last line read
};

}  // namespace

void lexFile(LexedFile& f, bool hasTitle, bool deferCardErrors, bool endEndsText) {
  Lexer(f, deferCardErrors, endEndsText).run(hasTitle);
}

}  // namespace simcore::netlist
