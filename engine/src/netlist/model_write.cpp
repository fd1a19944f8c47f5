// The JSON circuit model -> netlist text (simcore/circuit_model.hpp). The
// document is checked while it is written, against the rules of
// schema/circuit.schema.json (types, required and unknown keys, names without
// separators, no line breaks inside a card); the first violation is reported
// with its JSON Pointer. tests/model/ holds documents both this reader and the
// schema (ajv, jsonschema) must accept or reject alike.
#include <nlohmann/json.hpp>

#include "netlist/model_cards.hpp"
#include "simcore/circuit_model.hpp"

namespace simcore::model {
namespace {

using Json = nlohmann::ordered_json;

struct Invalid {
  std::string path;
  std::string message;
};

// Characters that end a word in a netlist (netlist/lexer.cpp): a name or node
// containing one would read as several tokens.
bool isWordChar(char c) {
  return !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' || c == ',' || c == '=' ||
           c == '(' || c == ')' || c == '{' || c == '}' || c == ';' || c == '\'' || c == '"');
}

std::string pointerEscape(std::string_view key) {
  std::string s;
  for (char c : key) {
    if (c == '~') s += "~0";
    else if (c == '/') s += "~1";
    else s += c;
  }
  return s;
}

class Writer {
 public:
  std::string run(const Json& doc) {
    object(doc, {"format", "version", "title", "cards"}, {"$schema", "schematic", "editor"});
    if (doc["format"] != kCircuitFormat) fail("/format", std::string("expected \"") + kCircuitFormat + "\"");
    if (!doc["version"].is_number() || doc["version"].get<double>() != kCircuitModelVersion)
      fail("/version", "expected " + std::to_string(kCircuitModelVersion) + " (the model version this simcore reads)");
    out_ = line(doc["title"], "/title", "the title");
    out_ += '\n';
    cards(doc["cards"], "/cards", false);
    if (doc.contains("$schema") && !doc["$schema"].is_string()) fail("/$schema", "expected a string");
    if (doc.contains("schematic")) schematic(doc["schematic"], "/schematic");
    if (doc.contains("editor")) editor(doc["editor"], "/editor");
    out_ += ".end\n";
    return std::move(out_);
  }

 private:
  [[noreturn]] static void fail(std::string path, std::string msg) { throw Invalid{std::move(path), std::move(msg)}; }

  // j must be an object with every key of `required`, and no key outside
  // `required` and `optional`.
  void object(const Json& j, std::initializer_list<const char*> required, std::initializer_list<const char*> optional,
              const std::string& path = "") {
    if (!j.is_object()) fail(path, "expected an object");
    for (const char* k : required)
      if (!j.contains(k)) fail(path, std::string("missing required property \"") + k + "\"");
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known = false;
      for (const char* k : required) known = known || it.key() == k;
      for (const char* k : optional) known = known || it.key() == k;
      if (!known) fail(path, "unknown property \"" + it.key() + "\"");
    }
  }

  // A string with no line break (it is written inside one line).
  static std::string line(const Json& j, const std::string& path, const char* what) {
    if (!j.is_string()) fail(path, std::string("expected a string (") + what + ")");
    const std::string& s = j.get_ref<const std::string&>();
    if (s.find_first_of("\r\n") != std::string::npos) fail(path, std::string(what) + " must not contain a line break");
    return s;
  }

  // A netlist word: non-empty, no blank or separator.
  static std::string word(const Json& j, const std::string& path, const char* what) {
    if (!j.is_string()) fail(path, std::string("expected a string (") + what + ")");
    const std::string& s = j.get_ref<const std::string&>();
    if (s.empty()) fail(path, std::string(what) + " must not be empty");
    for (char c : s)
      if (!isWordChar(c))
        fail(path, std::string(what) + " \"" + s + "\" contains a blank or one of , = ( ) { } ; ' \"");
    return s;
  }

  // A value: SPICE text as written (a string) or a number.
  static std::string value(const Json& j, const std::string& path) {
    if (j.is_number()) return j.dump();  // the shortest text that reads back as the same number
    std::string s = line(j, path, "a value");
    if (s.find_first_not_of(" \t") == std::string::npos) fail(path, "a value must not be empty");
    return s;
  }

  void words(const Json& j, const std::string& path, const char* what, std::string& out) {
    if (!j.is_array()) fail(path, "expected an array");
    for (std::size_t i = 0; i < j.size(); ++i) out += ' ' + word(j[i], path + "/" + std::to_string(i), what);
  }
  void values(const Json& j, const std::string& path, std::string& out) {
    if (!j.is_array()) fail(path, "expected an array");
    for (std::size_t i = 0; i < j.size(); ++i) out += ' ' + value(j[i], path + "/" + std::to_string(i));
  }
  void params(const Json& j, const std::string& path, std::string& out) {
    if (!j.is_object()) fail(path, "expected an object (name: value)");
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string p = path + "/" + pointerEscape(it.key());
      out += ' ' + word(Json(it.key()), p, "a parameter name") + '=' + value(it.value(), p);
    }
  }
  void comment(const Json& c, const std::string& path, std::string& out) {
    if (c.contains("comment")) out += " ; " + line(c["comment"], path + "/comment", "a comment");
  }

  void cards(const Json& j, const std::string& path, bool nested) {
    if (!j.is_array()) fail(path, "expected an array of cards");
    for (std::size_t i = 0; i < j.size(); ++i) card(j[i], path + "/" + std::to_string(i));
  }

  void card(const Json& c, const std::string& path) {
    if (!c.is_object()) fail(path, "expected a card (an object with a \"type\")");
    if (!c.contains("type")) fail(path, "missing required property \"type\"");
    if (!c["type"].is_string()) fail(path + "/type", "expected a string");
    const std::string type = c["type"];
    std::string s;
    if (type == "comment") {
      object(c, {"type", "text"}, {}, path);
      s = "*" + line(c["text"], path + "/text", "a comment");
    } else if (type == "element") {
      element(c, path, s);
    } else if (type == "model") {
      object(c, {"type", "name", "modelType", "params"}, {"args", "comment"}, path);
      s = ".model " + word(c["name"], path + "/name", "a model name") + ' ' +
          word(c["modelType"], path + "/modelType", "a model type") + " (";
      std::string body;
      if (c.contains("args")) values(c["args"], path + "/args", body);
      params(c["params"], path + "/params", body);
      s += (body.empty() ? body : body.substr(1)) + ")";
      comment(c, path, s);
    } else if (type == "param") {
      object(c, {"type", "params"}, {"comment"}, path);
      if (!c["params"].is_object() || c["params"].empty()) fail(path + "/params", "expected at least one name: value");
      s = ".param";
      params(c["params"], path + "/params", s);
      comment(c, path, s);
    } else if (type == "subckt") {
      object(c, {"type", "name", "pins", "cards"}, {"params", "comment"}, path);
      s = ".subckt " + word(c["name"], path + "/name", "a sub-circuit name");
      words(c["pins"], path + "/pins", "a pin name", s);
      if (c.contains("params")) params(c["params"], path + "/params", s);
      comment(c, path, s);
      out_ += s + '\n';
      cards(c["cards"], path + "/cards", true);
      s = ".ends " + c["name"].get<std::string>();
    } else if (type == "thermal") {
      object(c, {"type", "cards"}, {"comment"}, path);
      s = ".thermal";
      comment(c, path, s);
      out_ += s + '\n';
      cards(c["cards"], path + "/cards", true);
      s = ".endthermal";
    } else if (type == "analysis") {
      object(c, {"type", "kind"}, {"args", "params", "comment"}, path);
      s = "." + word(c["kind"], path + "/kind", "an analysis kind");
      if (c.contains("args")) values(c["args"], path + "/args", s);
      if (c.contains("params")) params(c["params"], path + "/params", s);
      comment(c, path, s);
    } else if (type == "options") {
      object(c, {"type", "params"}, {"flags", "comment"}, path);
      s = ".options";
      if (c.contains("flags")) words(c["flags"], path + "/flags", "an option flag", s);
      params(c["params"], path + "/params", s);
      comment(c, path, s);
    } else if (type == "include") {
      object(c, {"type", "path"}, {"section", "comment"}, path);
      const std::string file = line(c["path"], path + "/path", "a file path");
      if (file.empty() || file.find('"') != std::string::npos) fail(path + "/path", "expected a file path without '\"'");
      if (c.contains("section"))
        s = ".lib \"" + file + "\" " + word(c["section"], path + "/section", "a library section");
      else
        s = ".include \"" + file + "\"";
      comment(c, path, s);
    } else if (type == "control") {
      object(c, {"type", "lines"}, {}, path);
      if (!c["lines"].is_array()) fail(path + "/lines", "expected an array of lines");
      s = ".control\n";
      for (std::size_t i = 0; i < c["lines"].size(); ++i)
        s += line(c["lines"][i], path + "/lines/" + std::to_string(i), "a control line") + '\n';
      s += ".endc";
    } else if (type == "dot") {
      object(c, {"type", "name"}, {"text", "comment"}, path);
      s = word(c["name"], path + "/name", "a dot card name");
      if (s[0] != '.') fail(path + "/name", "a dot card name starts with '.'");
      for (const char* blocky : {".subckt", ".ends", ".thermal", ".endthermal", ".control", ".endc", ".end"})
        if (s == blocky) fail(path + "/name", "'" + s + "' is written by a card of its own type, not as \"dot\"");
      if (c.contains("text")) s += ' ' + line(c["text"], path + "/text", "the card's text");
      comment(c, path, s);
    } else if (type == "raw") {
      object(c, {"type", "text"}, {"comment"}, path);
      s = line(c["text"], path + "/text", "the card's text");
      if (s.find_first_not_of(" \t") == std::string::npos) fail(path + "/text", "must not be empty");
      comment(c, path, s);
    } else {
      fail(path + "/type", "unknown card type \"" + type +
                               "\" (expected comment, element, model, param, subckt, thermal, analysis, options, "
                               "include, control, dot or raw)");
    }
    out_ += s + '\n';
  }

  // The web app's parts: checked as the schema says, not written to the netlist.
  void editor(const Json& e, const std::string& path) {
    object(e, {}, {"source", "fileName"}, path);
    if (e.contains("source") && e["source"] != "schematic" && e["source"] != "netlist")
      fail(path + "/source", "expected \"schematic\" or \"netlist\"");
    if (e.contains("fileName") && !e["fileName"].is_string()) fail(path + "/fileName", "expected a string");
  }

  static void point(const Json& p, const std::string& path) {
    if (!p.is_object()) fail(path, "expected an object");
    for (const char* k : {"x", "y"}) {
      if (!p.contains(k)) fail(path, std::string("missing required property \"") + k + "\"");
      if (!p[k].is_number()) fail(path + "/" + k, "expected a number");
    }
  }

  void schematic(const Json& s, const std::string& path) {
    if (!s.is_object()) fail(path, "expected an object");
    for (const char* k : {"schema", "version", "elements", "wires"})
      if (!s.contains(k)) fail(path, std::string("missing required property \"") + k + "\"");
    if (s["schema"] != "simcore.schematic") fail(path + "/schema", "expected \"simcore.schematic\"");
    if (!s["version"].is_number_integer() || s["version"].get<long long>() < 1)
      fail(path + "/version", "expected an integer >= 1");
    if (s.contains("title") && !s["title"].is_string()) fail(path + "/title", "expected a string");
    auto members = [&](const char* key) -> const Json& {
      const Json& m = s[key];
      if (!m.is_object()) fail(path + "/" + key, "expected an object");
      return m;
    };
    const Json& elements = members("elements");
    for (auto it = elements.begin(); it != elements.end(); ++it) {
      const std::string p = path + "/elements/" + pointerEscape(it.key());
      const Json& e = it.value();
      if (!e.is_object()) fail(p, "expected an object");
      for (const char* k : {"id", "kind", "name", "x", "y"})
        if (!e.contains(k)) fail(p, std::string("missing required property \"") + k + "\"");
      for (const char* k : {"id", "kind", "name"})
        if (!e[k].is_string()) fail(p + "/" + k, "expected a string");
      for (const char* k : {"x", "y"})
        if (!e[k].is_number()) fail(p + "/" + k, "expected a number");
      if (e.contains("rot") && !(e["rot"] == 0 || e["rot"] == 1 || e["rot"] == 2 || e["rot"] == 3))
        fail(p + "/rot", "expected 0, 1, 2 or 3");
      if (e.contains("mirror") && !e["mirror"].is_boolean()) fail(p + "/mirror", "expected a boolean");
      if (e.contains("props")) {
        if (!e["props"].is_object()) fail(p + "/props", "expected an object");
        for (auto q = e["props"].begin(); q != e["props"].end(); ++q)
          if (!q.value().is_string()) fail(p + "/props/" + pointerEscape(q.key()), "expected a string");
      }
    }
    const Json& wires = members("wires");
    for (auto it = wires.begin(); it != wires.end(); ++it) {
      const std::string p = path + "/wires/" + pointerEscape(it.key());
      const Json& w = it.value();
      if (!w.is_object()) fail(p, "expected an object");
      for (const char* k : {"id", "a", "b"})
        if (!w.contains(k)) fail(p, std::string("missing required property \"") + k + "\"");
      if (!w["id"].is_string()) fail(p + "/id", "expected a string");
      point(w["a"], p + "/a");
      point(w["b"], p + "/b");
    }
    if (s.contains("analysis") && !s["analysis"].is_object()) fail(path + "/analysis", "expected an object");
    for (const char* k : {"probes", "sliders"}) {
      if (!s.contains(k)) continue;
      if (!s[k].is_array()) fail(path + "/" + k, "expected an array");
      for (std::size_t i = 0; i < s[k].size(); ++i)
        if (!s[k][i].is_object()) fail(path + "/" + k + "/" + std::to_string(i), "expected an object");
    }
  }

  void element(const Json& c, const std::string& path, std::string& s) {
    object(c, {"type", "name", "kind"}, {"nodes", "refs", "ports", "model", "value", "args", "params", "comment"},
           path);
    const std::string name = word(c["name"], path + "/name", "an element name");
    const char first = name[0];
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z')))
      fail(path + "/name", "an element name starts with its kind's letter");
    const std::string kind = word(c["kind"], path + "/kind", "an element kind");
    const char letter = static_cast<char>(first | 0x20);
    if (kind.size() != 1 || kind[0] != letter)
      fail(path + "/kind", "expected \"" + std::string(1, letter) + "\", the first letter of the name \"" + name + "\"");
    s = name;
    auto opt = [&](const char* key, auto&& write) {
      if (c.contains(key)) write(c[key], path + "/" + key);
    };
    auto nodes = [&] { opt("nodes", [&](const Json& j, const std::string& p) { words(j, p, "a node name", s); }); };
    auto refs = [&] { opt("refs", [&](const Json& j, const std::string& p) { words(j, p, "a device name", s); }); };
    auto ports = [&] { opt("ports", [&](const Json& j, const std::string& p) { values(j, p, s); }); };
    auto model = [&] { opt("model", [&](const Json& j, const std::string& p) { s += ' ' + word(j, p, "a model name"); }); };
    auto val = [&] { opt("value", [&](const Json& j, const std::string& p) { s += ' ' + value(j, p); }); };
    auto args = [&] { opt("args", [&](const Json& j, const std::string& p) { values(j, p, s); }); };
    switch (cardLayout(letter)) {
      case CardLayout::TwoTerminal: nodes(); refs(); val(); model(); args(); break;
      case CardLayout::Source: nodes(); refs(); val(); args(); break;
      case CardLayout::Controlled:
      case CardLayout::Coupling: nodes(); refs(); val(); model(); args(); break;
      case CardLayout::CodeModel: nodes(); ports(); args(); model(); break;
      case CardLayout::Subckt: nodes(); refs(); model(); args(); break;
      case CardLayout::ModelCard:
      case CardLayout::Generic: nodes(); refs(); model(); val(); args(); break;
    }
    if (c.contains("ports") && cardLayout(letter) != CardLayout::CodeModel)
      fail(path + "/ports", "only control blocks (A) have ports");
    if (c.contains("value") && cardLayout(letter) == CardLayout::Subckt)
      fail(path + "/value", "a sub-circuit instance (X) has no value: give params");
    opt("params", [&](const Json& j, const std::string& p) { params(j, p, s); });
    comment(c, path, s);
  }

  std::string out_;
};

}  // namespace

Result<std::string> jsonToNetlist(std::string_view json, const ConvertOptions& opts) {
  Json doc = Json::parse(json, nullptr, false);
  if (doc.is_discarded()) {
    // Parse again with exceptions for the position of the error.
    try {
      const Json again = Json::parse(json);
      (void)again;
    } catch (const Json::parse_error& e) {
      return makeError(ErrorCode::Parse, std::string("not JSON: ") + e.what(), SourceLoc{opts.fileName, 0, 0});
    }
    return makeError(ErrorCode::Parse, "not JSON", SourceLoc{opts.fileName, 0, 0});
  }
  try {
    return Writer().run(doc);
  } catch (const Invalid& e) {
    return makeError(ErrorCode::Parse, (e.path.empty() ? std::string("/") : e.path) + ": " + e.message,
                     SourceLoc{opts.fileName, 0, 0});
  }
}

}  // namespace simcore::model
