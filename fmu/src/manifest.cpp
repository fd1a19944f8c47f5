#include "manifest.hpp"

#include <cstdio>
#include <cstdlib>

namespace simcore::fmu {

namespace {

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::vector<std::string> fields(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (true) {
    const std::size_t j = line.find('\t', i);
    out.emplace_back(line.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) return out;
    i = j + 1;
  }
}

bool toNumber(const std::string& s, double& v) {
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return !s.empty() && end && *end == 0;
}

}  // namespace

std::string Manifest::text() const {
  std::string t = "simcore-fmu\t1\ntoken\t" + token + "\nnetlist\t" + netlist + "\t" + netlistName + "\n";
  for (const auto& f : files) t += "file\t" + f.from + "\t" + f.path + "\t" + f.name + "\t" + f.stored + "\n";
  for (const auto& v : variables) {
    const std::string vr = std::to_string(v.vr);
    switch (v.kind) {
      case VarKind::Input: t += "input\t" + vr + "\t" + v.name + "\t" + v.target + "\t" + num(v.start) + "\t" + v.unit + "\n"; break;
      case VarKind::Output: t += "output\t" + vr + "\t" + v.name + "\t" + v.target + "\t" + v.unit + "\n"; break;
      case VarKind::Parameter: t += "parameter\t" + vr + "\t" + v.name + "\t" + v.target + "\t" + num(v.start) + "\n"; break;
    }
  }
  t += "experiment\t" + num(stopTime) + "\t" + num(stepSize) + "\t" + num(tolerance) + "\n";
  return t;
}

Result<Manifest> Manifest::parse(std::string_view text) {
  Manifest m;
  int lineNo = 0;
  auto bad = [&](const std::string& why) {
    return makeError(ErrorCode::Parse, why, SourceLoc{kManifestFile, lineNo, 0});
  };
  std::size_t i = 0;
  bool header = false;
  while (i < text.size()) {
    std::size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    const std::string_view line = text.substr(i, j - i);
    i = j + 1;
    ++lineNo;
    if (line.empty()) continue;
    const auto f = fields(line);
    const std::string& k = f[0];
    if (k == "simcore-fmu") {
      if (f.size() < 2 || f[1] != "1") return bad("unsupported manifest version");
      header = true;
    } else if (k == "token" && f.size() == 2) {
      m.token = f[1];
    } else if (k == "netlist" && f.size() == 3) {
      m.netlist = f[1];
      m.netlistName = f[2];
    } else if (k == "file" && f.size() == 5) {
      m.files.push_back(IncludedFile{f[1], f[2], f[3], f[4]});
    } else if ((k == "input" && f.size() == 6) || (k == "output" && f.size() == 5) || (k == "parameter" && f.size() == 5)) {
      Variable v;
      v.kind = k == "input" ? VarKind::Input : k == "output" ? VarKind::Output : VarKind::Parameter;
      v.vr = std::uint32_t(std::strtoul(f[1].c_str(), nullptr, 10));
      v.name = f[2];
      v.target = f[3];
      if (v.kind != VarKind::Output && !toNumber(f[4], v.start)) return bad("bad start value '" + f[4] + "'");
      if (v.kind == VarKind::Input) v.unit = f[5];
      if (v.kind == VarKind::Output) v.unit = f[4];
      m.variables.push_back(std::move(v));
    } else if (k == "experiment" && f.size() == 4) {
      if (!toNumber(f[1], m.stopTime) || !toNumber(f[2], m.stepSize) || !toNumber(f[3], m.tolerance))
        return bad("bad experiment line");
    } else {
      return bad("unexpected line '" + std::string(line) + "'");
    }
  }
  if (!header || m.netlist.empty()) return bad("not a simcore FMU manifest (no header or netlist line)");
  return m;
}

}  // namespace simcore::fmu
