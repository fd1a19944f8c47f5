// losses="file.xml" on a .model: the PLECS loss/thermal description of the
// device, read through the include resolver (the same search rules as
// .include) and parsed once per file per netlist.
#include <algorithm>
#include <iterator>

#include "losses/plecs_xml.hpp"
#include "netlist/frontend.hpp"

namespace simcore::netlist {
namespace {

// Model types that take losses= (the power semiconductors and switches).
constexpr const char* kLossModelTypes[] = {"pwldiode", "pwlmos", "pwligbt", "thyristor", "sw", "csw", "d"};

bool takesLosses(std::string_view type) {
  return std::any_of(std::begin(kLossModelTypes), std::end(kLossModelTypes), [&](const char* t) { return type == t; });
}

bool isDiodeType(std::string_view type) { return type == "pwldiode" || type == "d"; }

std::string where(const SourceLoc& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.col);
}

}  // namespace

int Frontend::lossFile(const Token& value, const ir::Model& m) {
  const std::string what = "'losses=' in .model '" + m.name + "'";
  if (!takesLosses(m.type))
    failAt(value, ErrorCode::Semantic,
           what + ": loss data applies to models of type pwldiode, pwlmos, pwligbt, thyristor, sw, csw or d, not '" +
               m.type + "'");
  if (value.kind != TokKind::Str && value.kind != TokKind::Word)
    failAt(value, ErrorCode::Parse, what + " needs a file name (\"file.xml\"), found " + quoteTok(value.text));
  std::string_view path = value.text;
  if (value.kind == TokKind::Str) path = path.substr(1, path.size() - 2);
  if (path.empty()) failAt(value, ErrorCode::Parse, what + ": empty file name");
  if (!opts_.resolver) failAt(value, ErrorCode::Semantic, what + " needs a file resolver (none was given to the parser)");

  const std::string from = value.file ? *value.file : std::string();
  const std::string asWritten = from + '\n' + std::string(path);
  if (auto it = lossFiles_.find(asWritten); it != lossFiles_.end()) return checked(value, m, it->second);

  Result<ir::ResolvedFile> r = opts_.resolver(path, from);
  if (!r.ok()) failAt(value, ErrorCode::Semantic, "cannot read '" + std::string(path) + "': " + r.error().message);
  ir::ResolvedFile rf = std::move(r.value());
  int index = -1;
  if (auto it = lossFiles_.find(rf.name); it != lossFiles_.end()) {
    index = it->second;
  } else {
    Result<ir::SemiconductorData> data = losses::parsePlecsXml(rf.text, rf.name);
    if (!data.ok()) {
      Error e = data.takeError();
      e.message += " (loss file of .model '" + m.name + "' at " + where(locOf(value)) + ")";
      throw NetlistError{std::move(e)};
    }
    index = static_cast<int>(c_.semiconductors.size());
    c_.semiconductors.push_back(std::move(data.value()));
    lossFiles_[rf.name] = index;
  }
  lossFiles_[asWritten] = index;
  return checked(value, m, index);
}

int Frontend::checked(const Token& value, const ir::Model& m, int index) const {
  const ir::SemiconductorData& d = c_.semiconductors[static_cast<std::size_t>(index)];
  const bool diodeFile = d.deviceClass == "diode";
  if (isDiodeType(m.type) && !diodeFile)
    failAt(value, ErrorCode::Semantic,
           "'losses=' in .model '" + m.name + "': " + d.file + " describes a '" + d.deviceClass +
               "', but a " + m.type + " model needs a Diode description");
  if (!isDiodeType(m.type) && diodeFile)
    failAt(value, ErrorCode::Semantic,
           "'losses=' in .model '" + m.name + "': " + d.file + " describes a diode, but a " + m.type +
               " model is a switch (use it on a pwldiode or d model)");
  return index;
}

}  // namespace simcore::netlist
