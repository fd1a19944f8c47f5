// Output requests in ngspice's spellings (.save/.print/.probe): `all`,
// KiCad's `.probe alli`, `@device[param]` vectors, device currents i(x),
// vdb/vm/vp/vr/vi(x) and v(a,b), mapped onto what the analyses record (node
// voltages and branch currents; front ends derive dB, phase, differences).
// A request that names an existing device whose current is not recorded is
// dropped with a warning, so the rest of the deck still runs.
#include "netlist/frontend.hpp"

namespace simcore::netlist {
namespace {

// Devices whose current is a solution unknown (a branch current).
bool hasBranchCurrent(char letter) { return letter == 'v' || letter == 'l' || letter == 'e' || letter == 'h'; }

bool isCurrentParam(std::string_view p) {
  return p == "i" || p == "id" || p == "current" || p == "c" || p == "is";
}

}  // namespace

void Frontend::resolveSaves() {
  std::vector<ir::SaveRequest> out;
  out.reserve(c_.saves.size());
  auto warnAt = [&](const ir::SaveRequest& s, const std::string& key, std::string msg) {
    if (!warned_.insert(key).second) return;
    c_.warnings.push_back(ir::Diagnostic{std::move(msg), s.loc});
  };
  for (ir::SaveRequest& s : c_.saves) {
    // vdb(x) vm(x) vp(x) vr(x) vi(x) (and the same of i): the complex v(x)/i(x)
    // they are computed from
    if (s.signal.size() > 4 && (s.signal[0] == 'v' || s.signal[0] == 'i')) {
      const std::size_t open = s.signal.find('(');
      const std::string mod = open == std::string::npos ? "" : s.signal.substr(1, open - 1);
      if (mod == "db" || mod == "m" || mod == "p" || mod == "r" || mod == "i")
        s.signal = s.signal.substr(0, 1) + s.signal.substr(open);
    }
    // v(a,b): both nodes (the difference is theirs)
    if (s.signal.rfind("v(", 0) == 0 && s.signal.back() == ')' && s.signal.find(',') != std::string::npos) {
      const std::size_t comma = s.signal.find(',');
      const std::string a = s.signal.substr(2, comma - 2), b = s.signal.substr(comma + 1, s.signal.size() - comma - 2);
      warnAt(s, "save:" + s.signal, "'" + s.signal + "' saved as v(" + a + ")" + (b == "0" || b == "gnd" ? "" : " and v(" + b + ")"));
      out.push_back(ir::SaveRequest{"v(" + a + ")", s.loc});
      if (b != "0" && b != "gnd") out.push_back(ir::SaveRequest{"v(" + b + ")", s.loc});
      continue;
    }
    // p(x): device power
    if (s.signal.rfind("p(", 0) == 0) {
      warnAt(s, "save:" + s.signal, "'" + s.signal + "' not saved: device powers are not recorded");
      continue;
    }
    const std::string& sig = s.signal;
    if (sig == "alli" || sig == "allv" || sig == "allp") {
      if (sig == "alli")
        warnAt(s, "save:alli",
               "'alli': currents are recorded for V, L, E and H devices (branch currents); other device currents are not saved");
      if (sig == "allp") warnAt(s, "save:allp", "'allp': device powers are not saved");
      s.signal = "all";
      out.push_back(std::move(s));
      continue;
    }
    std::string dev, param;
    if (sig.size() > 3 && sig[0] == '@') {
      // @device[param]
      const std::size_t open = sig.find('[');
      if (open != std::string::npos && sig.back() == ']') {
        dev = sig.substr(1, open - 1);
        param = sig.substr(open + 1, sig.size() - open - 2);
      }
    } else if (sig.size() > 3 && sig[0] == 'i' && sig[1] == '(' && sig.back() == ')' &&
               sig.find(',') == std::string::npos) {
      dev = sig.substr(2, sig.size() - 3);
      param = "i";
    }
    if (dev.empty()) {
      out.push_back(std::move(s));
      continue;
    }
    auto it = deviceIndex_.find(dev);
    if (it == deviceIndex_.end()) {
      if (sig[0] == '@')
        warnAt(s, "save:" + sig, "'" + sig + "' not saved: there is no device '" + dev + "'");
      else
        out.push_back(std::move(s));  // the analysis reports the unknown name
      continue;
    }
    const ir::Device& target = c_.devices[it->second];
    const bool behaviouralVoltage = target.behaviour && target.behaviour->output == ir::Behaviour::Output::Voltage;
    if (isCurrentParam(param) && (hasBranchCurrent(target.letter) || behaviouralVoltage)) {
      s.signal = "i(" + dev + ")";
      out.push_back(std::move(s));
      continue;
    }
    warnAt(s, "save:" + sig,
           "'" + sig + "' not saved: simcore records node voltages and the currents of V, L, E and H devices only");
  }
  c_.saves = std::move(out);
}

}  // namespace simcore::netlist
