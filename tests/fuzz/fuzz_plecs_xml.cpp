// libFuzzer target for the PLECS loss-file reader: any input must give
// SemiconductorData or an Error with a message, never a crash or a hang; data
// that reads must be consistent (ascending axes, one value per grid point).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "losses/plecs_xml.hpp"

namespace {
bool consistent(const simcore::ir::LossTable& t) {
  if (t.empty()) return true;
  for (const auto* ax : {&t.current, &t.voltage, &t.temperature}) {
    if (ax->empty()) return false;
    for (std::size_t k = 1; k < ax->size(); ++k)
      if (!((*ax)[k] > (*ax)[k - 1])) return false;
  }
  return t.values.size() == t.current.size() * t.voltage.size() * t.temperature.size();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = simcore::losses::parsePlecsXml(text, "fuzz.xml");
  if (!r.ok()) {
    if (r.error().message.empty() || r.error().format().empty()) __builtin_trap();
    return 0;
  }
  const auto& d = r.value();
  for (const auto* s : {&d, d.diode.empty() ? &d : &d.diode[0]})
    if (!consistent(s->turnOn) || !consistent(s->turnOff) || !consistent(s->conduction)) __builtin_trap();
  if (d.thermal.r.size() != d.thermal.tau.size()) __builtin_trap();
  return 0;
}
