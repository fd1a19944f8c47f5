// The transient operating point (ir::OpTran, ngspice's optran):
//
//   keep what the transient stepper shares with the caller's analysis
//     (chunk writer, event mode, autostop flag, the list of strategies)
//   transient: x = 0 (uic), every device at time zero (ir::Analysis::frozenTime),
//     sources ramped from 0 over `ramp` (when > 0), steps of at most `step`, to `stop`;
//     its rows go nowhere
//   restore; the state at `stop` is the operating point (session.newton.x()),
//     loaded once at DC so that the devices hold their operating-point state
//   failure: the transient's error (time, node), prefixed with what was run
#include <cstdio>

#include "analysis/tran.hpp"

namespace simcore::an {

namespace {

std::string seconds(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", v);
  return buf;
}

}  // namespace

std::string describeOpTran(const ir::OpTran& o) {
  std::string d = "a transient of " + seconds(o.stop) + " in steps of at most " + seconds(o.step) +
                  " from zero, sources at their time-zero values";
  if (o.ramp > 0) d += " ramped up over " + seconds(o.ramp);
  return d;
}

Status transientOperatingPoint(Session& s, const ir::OpTran& o, SourceLoc where) {
  ir::Analysis a;
  a.kind = ir::AnalysisKind::Tran;
  a.loc = where;
  a.tstep = o.step;
  a.tstop = o.stop;
  a.tmax = o.step;
  a.uic = true;
  a.startupRamp = o.ramp;
  a.frozenTime = true;

  ChunkWriter writer = s.writer;
  const bool eventMode = s.newton.eventMode();
  const bool* stopFlag = s.stopFlag;
  const std::size_t strategies = s.stats.opStrategies.size();
  s.stopFlag = nullptr;

  Status st;
  {
    DiscardSink none;
    TranStepper tran(s, a, -1);
    st = tran.start(none);
    while (st) {
      auto r = tran.step(none, std::size_t(1) << 30);
      if (!r) {
        st = r.takeError();
        break;
      }
      if (r.value()) break;
    }
  }

  s.writer = std::move(writer);
  s.newton.setEventMode(eventMode);
  s.stopFlag = stopFlag;
  s.stats.opStrategies.resize(strategies);
  if (!st) {
    Error e = st.takeError();
    e.message = "transient operating point (" + describeOpTran(o) + ") failed: " + e.message;
    return e;
  }
  // the devices' operating-point state at the end state (what .ac, .noise, .tf
  // linearise): the transient's last load was a transient one
  s.newton.loadOnly(dev::AnalysisMode::DcOp, 0.0, false);
  s.haveSolution = true;
  return {};
}

}  // namespace simcore::an
