#include "losses/plecs_xml.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

namespace simcore::losses {
namespace {

// Thrown inside this file only; parsePlecsXml turns it into a Result.
struct XmlError {
  Error err;
};

char lowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = lowerChar(c);
  return r;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Latin-1 bytes as UTF-8 (files declared encoding="ISO-8859-1").
std::string latin1ToUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// True when the XML declaration names a Latin-1 encoding.
bool declaresLatin1(std::string_view text) {
  if (text.substr(0, 5) != "<?xml") return false;
  const std::size_t end = text.find("?>");
  const std::string decl = lower(text.substr(0, end == std::string_view::npos ? 200 : end));
  return decl.find("iso-8859-1") != std::string::npos || decl.find("latin1") != std::string::npos ||
         decl.find("latin-1") != std::string::npos;
}

// The local name of an element ("p:Energy" -> "Energy").
std::string_view localName(const pugi::xml_node& n) {
  std::string_view s = n.name();
  const std::size_t colon = s.find(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

class Reader {
 public:
  Reader(std::string_view utf8, std::string_view fileName) : text_(utf8), file_(fileName) {}

  ir::SemiconductorData read();

 private:
  [[noreturn]] void failAt(const pugi::xml_node& n, ErrorCode code, const std::string& msg) const {
    throw XmlError{makeError(code, path(n) + ": " + msg, locOf(n.offset_debug()))};
  }
  [[noreturn]] void failAt(const pugi::xml_node& n, const std::string& msg) const {
    failAt(n, ErrorCode::Semantic, msg);
  }

  SourceLoc locOf(std::ptrdiff_t offset) const {
    if (offset < 0) return SourceLoc{std::string(file_), 0, 0};
    const std::size_t off = std::min(static_cast<std::size_t>(offset), text_.size());
    int line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < off; ++i)
      if (text_[i] == '\n') {
        ++line;
        lineStart = i + 1;
      }
    // pugixml points at the element's name; report its '<'.
    std::size_t at = off;
    if (at > lineStart && at <= text_.size() && text_[at - 1] == '<') --at;
    int col = 1;
    for (std::size_t i = lineStart; i < at; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;
    return SourceLoc{std::string(file_), line, col};
  }

  // "TurnOnLoss/Energy/Temperature[2]": the element's path below <SemiconductorData>
  // (or below <Package> for its other children), with a 1-based index where the
  // parent holds several elements of that name.
  std::string path(const pugi::xml_node& n) const {
    std::vector<std::string> parts;
    for (pugi::xml_node e = n; e && e.type() == pugi::node_element; e = e.parent()) {
      const std::string_view name = localName(e);
      if ((name == "SemiconductorData" || name == "Package") && e != n) break;
      std::string part(name);
      int count = 0, index = 0;
      for (pugi::xml_node s = e.parent().first_child(); s; s = s.next_sibling())
        if (s.type() == pugi::node_element && localName(s) == name) {
          ++count;
          if (s == e) index = count;
        }
      if (count > 1) part += "[" + std::to_string(index) + "]";
      parts.push_back(std::move(part));
      if (name == "SemiconductorLibrary") break;
    }
    std::string r;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) r += (r.empty() ? "" : "/") + *it;
    return r;
  }

  std::vector<pugi::xml_node> children(const pugi::xml_node& n, std::string_view name) const {
    std::vector<pugi::xml_node> out;
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
      if (c.type() == pugi::node_element && localName(c) == name) out.push_back(c);
    return out;
  }

  // The one child `name` of n: an error when there are several, or none and it is required.
  pugi::xml_node child(const pugi::xml_node& n, std::string_view name, bool required) const {
    std::vector<pugi::xml_node> all = children(n, name);
    if (all.size() > 1) failAt(all[1], "more than one <" + std::string(name) + "> in <" + std::string(localName(n)) + ">");
    if (all.empty()) {
      if (required) failAt(n, "missing <" + std::string(name) + ">");
      return {};
    }
    return all[0];
  }

  // Every element child of n must be one of `allowed`.
  void onlyChildren(const pugi::xml_node& n, std::initializer_list<std::string_view> allowed) const {
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      if (std::find(allowed.begin(), allowed.end(), localName(c)) != allowed.end()) continue;
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "<" : ", <") + std::string(a) + ">";
      failAt(c, "unexpected <" + std::string(localName(c)) + "> (expected " + list + ")");
    }
  }

  std::string textOf(const pugi::xml_node& n) const {
    std::string s;
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) s += c.value();
    return s;
  }

  double number(const pugi::xml_node& at, std::string_view tok, const std::string& what) const {
    double v = 0.0;
    std::string_view s = tok;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty() || !std::isfinite(v)) {
      std::string msg = "'";
      msg.append(tok.substr(0, 40));
      msg += ec == std::errc() && p == s.data() + s.size() && !s.empty() ? "' is not a finite number" : "' is not a number";
      if (!what.empty()) msg += " (" + what + ")";
      failAt(at, msg);
    }
    return v;
  }

  // The blank- (or comma-) separated numbers of n's text.
  std::vector<double> numbers(const pugi::xml_node& n) const {
    std::string s = textOf(n);
    std::vector<double> out;
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == ',')) ++i;
      std::size_t j = i;
      while (j < s.size() && !(s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r' || s[j] == ',')) ++j;
      if (j > i) out.push_back(number(n, std::string_view(s).substr(i, j - i), ""));
      i = j;
    }
    return out;
  }

  std::vector<double> axis(const pugi::xml_node& table, std::string_view name) const {
    pugi::xml_node n = child(table, name, true);
    std::vector<double> v = numbers(n);
    if (v.empty()) failAt(n, "no values (an axis needs at least one)");
    for (std::size_t k = 1; k < v.size(); ++k)
      if (!(v[k] > v[k - 1]))
        failAt(n, "values must be strictly ascending: value " + std::to_string(k + 1) + " (" + fmt(v[k]) +
                      ") after " + fmt(v[k - 1]));
    return v;
  }

  double scaleOf(const pugi::xml_node& n) const {
    pugi::xml_attribute a = n.attribute("scale");
    if (!a) return 1.0;
    const double s = number(n, trim(a.value()), "attribute scale");
    if (!(s > 0)) failAt(n, "scale must be positive, found " + fmt(s));
    return s;
  }

  static std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }

  void checkMethod(const pugi::xml_node& table) const {
    pugi::xml_node m = child(table, "ComputationMethod", false);
    const std::string method = m ? lower(trim(textOf(m))) : "table only";
    if (method == "table only") return;
    pugi::xml_node f = child(table, "Formula", false);
    std::string formula(f ? trim(textOf(f)) : std::string_view());
    std::string compact;
    for (char c : formula)
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') compact += c;
    if (method == "table and formula" && compact == "E") return;  // the identity: the table as it is
    failAt(m, "ComputationMethod '" + std::string(trim(textOf(m))) + "' is not supported" +
                  (formula.empty() ? std::string() : " (formula '" + formula.substr(0, 80) + "')") +
                  "; only 'Table only' data is read (formulas and custom variables are not evaluated)");
  }

  // Raw signed tables as written, before the quadrant is chosen.
  struct Raw {
    std::vector<double> current, voltage, temperature;
    std::vector<double> values;  // [(it * nv + iv) * ni + ii]
    bool present = false;
  };

  Raw energyTable(const pugi::xml_node& t) const {
    onlyChildren(t, {"ComputationMethod", "Formula", "CurrentAxis", "VoltageAxis", "TemperatureAxis", "Energy"});
    checkMethod(t);
    Raw r;
    r.present = true;
    r.current = axis(t, "CurrentAxis");
    r.voltage = axis(t, "VoltageAxis");
    r.temperature = axis(t, "TemperatureAxis");
    pugi::xml_node e = child(t, "Energy", true);
    onlyChildren(e, {"Temperature"});
    const double scale = scaleOf(e);
    std::vector<pugi::xml_node> temps = children(e, "Temperature");
    if (temps.size() != r.temperature.size())
      failAt(e, std::to_string(r.temperature.size()) + " Temperature row" + (r.temperature.size() == 1 ? "" : "s") +
                    " expected (TemperatureAxis has " + std::to_string(r.temperature.size()) + " value" +
                    (r.temperature.size() == 1 ? "" : "s") + "), found " + std::to_string(temps.size()));
    for (const pugi::xml_node& tb : temps) {
      onlyChildren(tb, {"Voltage"});
      std::vector<pugi::xml_node> rows = children(tb, "Voltage");
      if (rows.size() != r.voltage.size())
        failAt(tb, std::to_string(r.voltage.size()) + " Voltage row" + (r.voltage.size() == 1 ? "" : "s") +
                       " expected (VoltageAxis has " + std::to_string(r.voltage.size()) + " value" +
                       (r.voltage.size() == 1 ? "" : "s") + "), found " + std::to_string(rows.size()));
      for (const pugi::xml_node& row : rows) {
        std::vector<double> v = numbers(row);
        if (v.size() != r.current.size())
          failAt(row, std::to_string(r.current.size()) + " values expected (CurrentAxis has " +
                          std::to_string(r.current.size()) + "), found " + std::to_string(v.size()));
        for (double x : v) {
          if (x < 0) failAt(row, "negative energy " + fmt(x));
          r.values.push_back(x * scale);
        }
      }
    }
    return r;
  }

  Raw conductionTable(const pugi::xml_node& t) const {
    onlyChildren(t, {"ComputationMethod", "Formula", "CurrentAxis", "TemperatureAxis", "VoltageDrop"});
    checkMethod(t);
    Raw r;
    r.present = true;
    r.current = axis(t, "CurrentAxis");
    r.voltage = {0.0};
    r.temperature = axis(t, "TemperatureAxis");
    pugi::xml_node d = child(t, "VoltageDrop", true);
    onlyChildren(d, {"Temperature"});
    const double scale = scaleOf(d);
    std::vector<pugi::xml_node> rows = children(d, "Temperature");
    if (rows.size() != r.temperature.size())
      failAt(d, std::to_string(r.temperature.size()) + " Temperature row" + (r.temperature.size() == 1 ? "" : "s") +
                    " expected (TemperatureAxis has " + std::to_string(r.temperature.size()) + " value" +
                    (r.temperature.size() == 1 ? "" : "s") + "), found " + std::to_string(rows.size()));
    for (const pugi::xml_node& row : rows) {
      std::vector<double> v = numbers(row);
      if (v.size() != r.current.size())
        failAt(row, std::to_string(r.current.size()) + " values expected (CurrentAxis has " +
                        std::to_string(r.current.size()) + "), found " + std::to_string(v.size()));
      for (double x : v) r.values.push_back(x * scale);
    }
    return r;
  }

  // The quadrant (sign of v, sign of i; zero belongs to both) of a raw table,
  // folded to magnitudes with ascending axes; values folded to magnitudes too
  // (a drop written as negative in the negative-current half). Empty when the
  // axes have no point in that quadrant.
  static ir::LossTable quadrant(const Raw& r, int vSign, int iSign) {
    auto pick = [](const std::vector<double>& ax, int sign) {
      std::vector<std::size_t> idx;
      for (std::size_t k = 0; k < ax.size(); ++k)
        if (sign > 0 ? ax[k] >= 0 : ax[k] <= 0) idx.push_back(k);
      if (sign < 0) std::reverse(idx.begin(), idx.end());  // ascending magnitudes
      return idx;
    };
    const std::vector<std::size_t> vi = r.voltage.size() == 1 ? std::vector<std::size_t>{0} : pick(r.voltage, vSign);
    const std::vector<std::size_t> ii = pick(r.current, iSign);
    ir::LossTable t;
    if (vi.empty() || ii.empty()) return t;
    for (std::size_t k : ii) t.current.push_back(std::fabs(r.current[k]));
    for (std::size_t k : vi) t.voltage.push_back(std::fabs(r.voltage[k]));
    t.temperature = r.temperature;
    const std::size_t nv = r.voltage.size(), ni = r.current.size();
    for (std::size_t it = 0; it < r.temperature.size(); ++it)
      for (std::size_t kv : vi)
        for (std::size_t ki : ii) t.values.push_back(std::fabs(r.values[(it * nv + kv) * ni + ki]));
    return t;
  }

  static bool allZero(const ir::LossTable& t) {
    return std::all_of(t.values.begin(), t.values.end(), [](double v) { return v == 0.0; });
  }

  ir::ThermalChain thermal(const pugi::xml_node& tm) const {
    onlyChildren(tm, {"Branch"});
    ir::ThermalChain chain;
    std::vector<pugi::xml_node> branches = children(tm, "Branch");
    if (branches.empty()) return chain;
    if (branches.size() > 1) failAt(branches[1], "only one <Branch> (the junction-case chain) is supported");
    const pugi::xml_node br = branches[0];
    const std::string type = lower(trim(br.attribute("type").value()));
    if (type == "foster") chain.kind = ir::ThermalChain::Kind::Foster;
    else if (type == "cauer") chain.kind = ir::ThermalChain::Kind::Cauer;
    else
      failAt(br, "unknown Branch type '" + std::string(trim(br.attribute("type").value())) +
                     "' (expected Foster or Cauer)");
    onlyChildren(br, {"RTauElement", "RCElement"});
    for (pugi::xml_node e = br.first_child(); e; e = e.next_sibling()) {
      if (e.type() != pugi::node_element) continue;
      const bool rc = localName(e) == "RCElement";
      auto attr = [&](const char* name) {
        pugi::xml_attribute a = e.attribute(name);
        if (!a) failAt(e, std::string("missing attribute ") + name);
        return number(e, trim(a.value()), std::string("attribute ") + name);
      };
      const double r = attr("R");
      const double second = attr(rc ? "C" : "Tau");
      if (!(r > 0)) failAt(e, "R must be positive, found " + fmt(r));
      if (second < 0) failAt(e, std::string(rc ? "C" : "Tau") + " must not be negative, found " + fmt(second));
      chain.r.push_back(r);
      chain.tau.push_back(rc ? r * second : second);
    }
    if (chain.r.empty()) failAt(br, "no <RTauElement> in the Branch");
    return chain;
  }

  std::string_view text_;
  std::string_view file_;

 public:
  pugi::xml_document doc;
};

ir::SemiconductorData Reader::read() {
  pugi::xml_node root = doc.document_element();
  pugi::xml_node pkg;
  // The namespace: the default one (xmlns=) or a prefix bound on the root.
  auto nsOf = [](const pugi::xml_node& n) -> std::string {
    std::string_view name = n.name();
    const std::size_t colon = name.find(':');
    const std::string attr = colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
    pugi::xml_attribute a = n.attribute(attr.c_str());
    return a ? std::string(trim(a.value())) : std::string();
  };
  if (localName(root) == "SemiconductorLibrary") {
    const std::string ns = nsOf(root);
    if (ns != kPlecsNamespace)
      failAt(root, ns.empty() ? "missing namespace: expected xmlns=\"" + std::string(kPlecsNamespace) + "\""
                              : "wrong namespace '" + ns + "': expected \"" + std::string(kPlecsNamespace) + "\"");
    std::vector<pugi::xml_node> pkgs = children(root, "Package");
    if (pkgs.empty()) failAt(root, "no <Package> in the library");
    if (pkgs.size() > 1) failAt(pkgs[1], "more than one <Package>: a loss file describes one device");
    pkg = pkgs[0];
  } else if (localName(root) == "Package") {
    const std::string ns = nsOf(root);
    if (!ns.empty() && ns != kPlecsNamespace)
      failAt(root, "wrong namespace '" + ns + "': expected \"" + std::string(kPlecsNamespace) + "\"");
    pkg = root;
  } else {
    failAt(root, "root element <" + std::string(root.name()) +
                     "> is not a PLECS semiconductor description (expected <SemiconductorLibrary> or <Package>)");
  }

  ir::SemiconductorData d;
  d.file = std::string(file_);
  const std::string cls(trim(pkg.attribute("class").value()));
  if (cls.empty()) failAt(pkg, "missing attribute class (Diode, MOSFET, IGBT, 'MOSFET with Diode', ...)");
  d.deviceClass = lower(cls);
  d.name = std::string(trim(pkg.attribute("partnumber").value()));
  if (d.name.empty()) d.name = std::string(trim(pkg.attribute("vendor").value()));

  std::vector<pugi::xml_node> datas = children(pkg, "SemiconductorData");
  if (datas.empty()) failAt(pkg, "missing <SemiconductorData>");
  if (datas.size() > 1)
    failAt(datas[1], "more than one <SemiconductorData>: package descriptions with several chips are not supported");
  const pugi::xml_node sd = datas[0];
  const std::string type(trim(sd.attribute("type").value()));
  if (!type.empty() && lower(type) != d.deviceClass)
    failAt(sd, "type '" + type + "' differs from the Package class '" + cls + "'");
  onlyChildren(sd, {"TurnOnLoss", "TurnOffLoss", "ConductionLoss"});

  Raw on, off, cond;
  if (pugi::xml_node n = child(sd, "TurnOnLoss", false)) on = energyTable(n);
  if (pugi::xml_node n = child(sd, "TurnOffLoss", false)) off = energyTable(n);
  if (pugi::xml_node n = child(sd, "ConductionLoss", false)) cond = conductionTable(n);
  if (!on.present && !off.present && !cond.present)
    failAt(sd, "no <TurnOnLoss>, <TurnOffLoss> or <ConductionLoss>: nothing to read");

  const bool isDiode = d.deviceClass == "diode";
  const bool withDiode = d.deviceClass.size() > 11 && d.deviceClass.ends_with(" with diode");
  auto switchPart = [&](const Raw& r, const char* what, const pugi::xml_node& at) {
    if (!r.present) return ir::LossTable{};
    ir::LossTable t = quadrant(r, 1, 1);
    if (t.empty())
      failAt(at, std::string("no point with v >= 0 and i >= 0 (the switch's quadrant) in the ") + what + " axes");
    return t;
  };
  if (isDiode) {
    // Switching energies at the blocking (negative) voltage; a file written
    // with positive voltages only is taken as it is.
    auto diodeEnergy = [&](const Raw& r) {
      if (!r.present) return ir::LossTable{};
      const bool negative = std::any_of(r.voltage.begin(), r.voltage.end(), [](double v) { return v < 0; });
      ir::LossTable t = quadrant(r, negative ? -1 : 1, 1);
      if (t.empty()) t = quadrant(r, negative ? -1 : 1, -1);
      return t;
    };
    d.turnOn = diodeEnergy(on);
    d.turnOff = diodeEnergy(off);
    if (cond.present) {
      const bool positive = std::any_of(cond.current.begin(), cond.current.end(), [](double i) { return i > 0; });
      d.conduction = quadrant(cond, 1, positive ? 1 : -1);
    }
  } else {
    d.turnOn = switchPart(on, "TurnOnLoss", child(sd, "TurnOnLoss", false));
    d.turnOff = switchPart(off, "TurnOffLoss", child(sd, "TurnOffLoss", false));
    d.conduction = switchPart(cond, "ConductionLoss", child(sd, "ConductionLoss", false));
    if (withDiode) {
      ir::SemiconductorData diode;
      diode.name = d.name;
      diode.file = d.file;
      diode.deviceClass = "diode";
      if (on.present) diode.turnOn = quadrant(on, 1, -1);
      if (off.present) diode.turnOff = quadrant(off, 1, -1);
      if (cond.present) diode.conduction = quadrant(cond, 1, -1);
      // A half that is all zero at |i| = 0 only carries no diode data.
      auto trivial = [](const ir::LossTable& t) { return t.empty() || (t.current.size() == 1 && allZero(t)); };
      if (trivial(diode.turnOn)) diode.turnOn = {};
      if (trivial(diode.turnOff)) diode.turnOff = {};
      if (trivial(diode.conduction)) diode.conduction = {};
      if (!diode.turnOn.empty() || !diode.turnOff.empty() || !diode.conduction.empty())
        d.diode.push_back(std::move(diode));
    }
  }

  if (pugi::xml_node tm = child(pkg, "ThermalModel", false)) d.thermal = thermal(tm);
  if (!d.diode.empty()) d.diode[0].thermal = d.thermal;
  return d;
}

}  // namespace

Result<ir::SemiconductorData> parsePlecsXml(std::string_view text, std::string_view fileName) {
  const std::string utf8 = declaresLatin1(text) ? latin1ToUtf8(text) : std::string(text);
  Reader reader(utf8, fileName);
  if (trim(utf8).empty()) return makeError(ErrorCode::Parse, "empty file: expected a PLECS <SemiconductorLibrary>", SourceLoc{std::string(fileName), 1, 1});
  const pugi::xml_parse_result pr =
      reader.doc.load_buffer(utf8.data(), utf8.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!pr) {
    // Line and column of the byte where the XML parser stopped.
    const std::size_t off = std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(pr.offset, 0)), utf8.size());
    int line = 1, col = 1;
    for (std::size_t i = 0; i < off; ++i) {
      if (utf8[i] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80) {
        ++col;
      }
    }
    return makeError(ErrorCode::Parse, std::string("malformed XML: ") + pr.description(),
                     SourceLoc{std::string(fileName), line, col});
  }
  try {
    return reader.read();
  } catch (XmlError& e) {
    return std::move(e.err);
  }
}

}  // namespace simcore::losses
