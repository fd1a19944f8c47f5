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
  auto fn = SourceFunction::make(d.source.wave, h, d.name);
  if (!fn) return fn.takeError();
  s.fn = std::move(fn.value());
  if (!s.hasDc && s.fn.present() && !s.fn.random()) s.dc = s.fn.value(0.0);
  return s;
}

}  // namespace simcore::dev
