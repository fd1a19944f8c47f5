#include "devices/sources.hpp"

#include <cmath>
#include <numbers>

#include "devices/common.hpp"

namespace simcore::dev {

Result<IndependentSource> IndependentSource::make(const ir::Device& d, const TranHints& h) {
  IndependentSource s;
  s.dc = d.source.dc;
  s.hasDc = d.source.hasDc;
  if (d.value && !s.hasDc) { s.dc = *d.value; s.hasDc = true; }
  if (d.source.hasAc) s.ac = std::polar(d.source.acMag, d.source.acPhaseDeg * std::numbers::pi / 180.0);
  ir::Waveform portWave;
  if (d.source.port > 0 && d.source.portWave) {
    // an RF port with pwr/freq: sqrt(4 pwr z0) cos(2 pi freq t), whatever transient
    // function the card gives (ngspice 39's PORT function; its phase is not applied)
    const double amp = std::sqrt(4.0 * d.source.portPower * d.source.z0);
    portWave.kind = ir::WaveKind::Sin;
    portWave.loc = d.source.portLoc;
    portWave.args = d.source.portFreq > 0 ? std::vector<double>{0.0, amp, d.source.portFreq, 0.0, 0.0, 90.0}
                                          : std::vector<double>{amp, 0.0};
  }
  auto fn = SourceFunction::make(portWave.kind != ir::WaveKind::None ? portWave : d.source.wave, h, d.name);
  if (!fn) return fn.takeError();
  s.fn = std::move(fn.value());
  if (!s.hasDc && s.fn.present() && !s.fn.random()) s.dc = s.fn.value(0.0);
  return s;
}

}  // namespace simcore::dev
