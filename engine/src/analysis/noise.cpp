// .noise v(out[,ref]) SRC dec|oct|lin N FSTART FSTOP [PTS_PER_SUMMARY], as
// ngspice 39 computes it.
//
// At the operating point every device reports its noise generators (currents
// between two unknowns, devices/noise.hpp). At each frequency:
//   1. the .ac system excited by the input source alone at unit magnitude (as
//      ngspice: its AC value and every other source's are set aside) gives the
//      gain from the input to the output, |v(out) - v(ref)|^2;
//   2. the adjoint system A^T y = e_out - e_ref gives each generator's
//      transfer to the output, |y_a - y_b|^2, and so its output density;
//   3. the output density is the sum, the input-referred density the output
//      density over the gain.
// Each generator is integrated over frequency on its own, assuming its output
// density follows a power law between two points (ngspice's Nintegrate); the
// input-referred integral of an interval is its output integral over the gain
// at the interval's upper end (as ngspice). Frequencies as ngspice's .noise:
// from FSTART, times 10^(1/N) (dec), 2^(1/N) (oct) or plus (FSTOP-FSTART)/(N-1)
// (lin) while <= FSTOP (1 + the step times reltol).
//
// Results: AnalysisType::Noise, x = frequency, onoise_spectrum and
// inoise_spectrum (V/sqrt(Hz), or A/sqrt(Hz) for a current-source input) and,
// with PTS_PER_SUMMARY > 0, every PTS_PER_SUMMARY-th point only, with each
// device's generators onoise_DEV_SRC and their sum onoise_DEV; then, unless
// FSTART == FSTOP, AnalysisType::NoiseTotal (one row, no x): onoise_total,
// inoise_total (V or A; AnalysisHeader::index: the number of the netlist's
// analyses plus the .noise's index, as the losses) and with the summary onoise_total_DEV_SRC,
// inoise_total_DEV_SRC, onoise_total_DEV, inoise_total_DEV.
#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "analysis/session.hpp"
#include "devices/noise.hpp"
#include "solver/lu.hpp"

namespace simcore::an {

namespace {

constexpr double kMinLog = dev::NoiseContext::kMinLog;
constexpr double kMinGain = 1e-20;       // ngspice's N_MINGAIN
constexpr double kIntThreshold = 1e-10;  // ngspice's N_INTFTHRESH and N_INTUSELOG

double limExp(double x) { return x > 700 ? std::exp(700.0) * (1.0 + x - 700.0) : std::exp(x); }

// The integral of a density over [f0, f1] that is dens at f1, exp(lnLast) at
// f0 and a power of f in between.
struct Interval {
  double f0, f1, lnF0, lnF1;
  double integrate(double dens, double lnDens, double lnLast) const {
    const double delLn = lnF1 - lnF0;
    double exponent = (lnDens - lnLast) / delLn;
    if (std::fabs(exponent) < kIntThreshold) return dens * (f1 - f0);
    const double a = limExp(lnDens - exponent * lnF1);
    exponent += 1.0;
    if (std::fabs(exponent) < kIntThreshold) return a * (lnF1 - lnF0);
    return a * (std::exp(exponent * lnF1) - std::exp(exponent * lnF0)) / exponent;
  }
};

class NoiseStepper final : public AnalysisStepper {
 public:
  NoiseStepper(Session& s, const ir::Analysis& a, int index) : s_(s), a_(a), index_(index) {}

  Status start(SampleSink& sink) override {
    const CircuitModel& m = *s_.model;
    outPos_ = m.nodeIndex(a_.outPos);
    outNeg_ = a_.outNeg.empty() ? 0 : m.nodeIndex(a_.outNeg);
    if (outPos_ < 0) return makeError(ErrorCode::Semantic, ".noise output node '" + a_.outPos + "' is not in the circuit", a_.loc);
    if (outNeg_ < 0) return makeError(ErrorCode::Semantic, ".noise reference node '" + a_.outNeg + "' is not in the circuit", a_.loc);
    const DeviceRef ref = m.findDevice(a_.source);
    const ir::Device* src = ref.group < 0 ? nullptr : &s_.model->groups()[std::size_t(ref.group)]->device(std::size_t(ref.index));
    if (!src || (src->letter != 'v' && src->letter != 'i'))
      return makeError(ErrorCode::Semantic, ".noise input source '" + a_.source + "' is not a V or I source of the circuit", a_.loc);
    // (the gain is that of a unit excitation whatever the AC value: one not given is read as 1, as
    // LTspice does; ngspice 39 stops, "has no AC value")
    if (!src->source.hasAc)
      s_.warnings.raise("noise-no-ac:" + a_.source,
                        ir::Diagnostic{".noise input source '" + a_.source +
                                           "' has no AC value: its gain is taken for AC 1, as LTspice does (ngspice 39 "
                                           "stops: add 'ac 1' for it)",
                                       a_.loc});
    currentInput_ = src->letter == 'i';
    // the input's excitation (as ngspice: the input source at unit magnitude, every other source off)
    if (currentInput_) {
      inA_ = m.nodeIndex(src->nodes[0]);
      inB_ = m.nodeIndex(src->nodes[1]);
    } else {
      inBranch_ = m.branchOf(a_.source);
    }
    auto freqs = steppedFrequencies(a_, s_.opt().reltol, 2);
    if (!freqs) return freqs.takeError();
    freqs_ = std::move(*freqs);
    if (freqs_.empty()) return makeError(ErrorCode::Semantic, ".noise has no frequency point", a_.loc);
    return beginSpectrum(sink);
  }

  Result<bool> step(SampleSink& sink, std::size_t budget) override {
    if (!opDone_)
      if (auto st = prepare(); !st) return st.takeError();
    std::size_t produced = 0;
    while (k_ < freqs_.size()) {
      if (s_.cancelled()) return makeError(ErrorCode::Cancelled, "cancelled", a_.loc);
      if (auto st = point(freqs_[k_]); !st) return st.takeError();
      if (summary_ == 0 || k_ % std::size_t(summary_) == 0) pushRow(sink);
      ++k_;
      if (++produced >= budget) return false;
    }
    flushRows(sink);
    sink.end(AnalysisSummary{AnalysisType::Noise, rowsOut_});
    if (a_.fstart != a_.fstop) emitTotals(sink);
    return true;
  }

  double progress() const override { return freqs_.empty() ? 1.0 : double(k_) / double(freqs_.size()); }

 private:
  // The operating point, the generators at it and the matrices.
  Status prepare() {
    if (auto st = solveSmallSignalPoint(s_, a_.loc); !st) return st;
    opDone_ = true;
    collectGenerators();
    lu_ = std::make_unique<solver::SparseLu<std::complex<double>>>(s_.model->pattern());
    A_.assign(std::size_t(s_.model->pattern().nnz()) + 1, 0.0);
    b_.assign(std::size_t(s_.model->unknowns()) + 1, 0.0);
    y_.assign(b_.size(), 0.0);
    return {};
  }

  void collectGenerators() {
    dev::NoiseContext c;
    c.xop = s_.newton.x().data();
    c.circuit = &s_.model->circuit();
    c.tempK = s_.opt().temp + 273.15;
    c.gmin = s_.opt().gmin;
    c.out = &gens_;
    for (auto& g : s_.model->groups()) g->noise(c);
    lnLast_.assign(gens_.size(), 0.0);
    outInt_.assign(gens_.size(), 0.0);
    inInt_.assign(gens_.size(), 0.0);
    dens_.assign(gens_.size(), 0.0);
  }

  Status beginSpectrum(SampleSink& sink) {
    summary_ = std::max(0, a_.ptsPerSummary);
    AnalysisHeader h;
    h.type = AnalysisType::Noise;
    h.index = index_;
    h.xName = "frequency";
    h.signals.push_back({"onoise_spectrum", SignalKind::Voltage});
    h.signals.push_back({"inoise_spectrum", currentInput_ ? SignalKind::Current : SignalKind::Voltage});
    // the per-device columns need the generators, which need the operating
    // point: with a summary it is found here, before the header
    if (summary_ > 0) {
      if (auto st = prepare(); !st) return st;
      for (std::size_t g = 0; g < gens_.size(); ++g) {
        if (devices_.empty() || devices_.back().name != gens_[g].device) devices_.push_back({gens_[g].device, {}});
        devices_.back().gens.push_back(g);
      }
      for (const auto& d : devices_) {
        for (std::size_t g : d.gens) h.signals.push_back({"onoise_" + d.name + gens_[g].source, SignalKind::Voltage});
        h.signals.push_back({"onoise_" + d.name, SignalKind::Voltage});
      }
    }
    columns_.assign(h.signals.size(), {});
    capacity_ = chunkCapacity(s_.options, h.signals.size());
    sink.begin(h);
    return {};
  }

  Status point(double f) {
    std::fill(A_.begin(), A_.end(), 0.0);
    std::fill(b_.begin(), b_.end(), 0.0);
    dev::AcContext c;
    c.omega = 2.0 * std::numbers::pi * f;
    c.A = A_.data();
    c.b = b_.data();
    c.xop = s_.newton.x().data();
    for (auto& g : s_.model->groups()) g->acLoad(c);
    std::fill(b_.begin(), b_.end(), 0.0);
    if (currentInput_) {
      b_[std::size_t(std::max<dev::Index>(inA_, 0))] -= 1.0;
      b_[std::size_t(std::max<dev::Index>(inB_, 0))] += 1.0;
    } else {
      b_[std::size_t(std::max<dev::Index>(inBranch_, 0))] += 1.0;
    }
    if (lu_->factor(A_.data()) == solver::LuOutcome::Singular)
      return makeError(ErrorCode::Singular, "singular matrix in noise analysis at f = " + std::to_string(f) + " Hz: " +
                                                s_.model->describeUnknown(lu_->singularUnknown()), a_.loc);
    s_.stats.factorizations++;
    lu_->solve(b_.data() + 1);
    b_[0] = 0.0;
    const std::complex<double> v = b_[std::size_t(outPos_)] - b_[std::size_t(outNeg_)];
    const double gainSqInv = 1.0 / std::max(std::norm(v), kMinGain);
    // adjoint: the transfer from a current injected anywhere to the output
    std::fill(y_.begin(), y_.end(), 0.0);
    if (outPos_ > 0) y_[std::size_t(outPos_)] += 1.0;
    if (outNeg_ > 0) y_[std::size_t(outNeg_)] -= 1.0;
    lu_->solveTransposed(y_.data() + 1);
    y_[0] = 0.0;
    s_.stats.solves += 2;

    const bool first = k_ == 0;
    Interval iv{};
    if (!first) {
      iv.f0 = freqs_[k_ - 1];
      iv.f1 = f;
      iv.lnF0 = std::log(std::max(iv.f0, kMinLog));
      iv.lnF1 = std::log(std::max(f, kMinLog));
    }
    double total = 0;
    for (std::size_t g = 0; g < gens_.size(); ++g) {
      const dev::NoiseGenerator& n = gens_[g];
      const double gain = std::norm(y_[std::size_t(n.a)] - y_[std::size_t(n.b)]);
      const double dens = gain * (n.white + n.flicker / (n.fexp == 1 ? f : std::pow(f, n.fexp)));
      const double ln = std::log(std::max(dens, kMinLog));
      dens_[g] = dens;
      total += dens;
      if (!first && f != iv.f0) {
        const double out = iv.integrate(dens, ln, lnLast_[g]);
        outInt_[g] += out;
        inInt_[g] += out * gainSqInv;  // ngspice: the same power law scaled by this point's gain
        outTotal_ += out;
        inTotal_ += out * gainSqInv;
      }
      lnLast_[g] = ln;
    }
    onoise_ = total;
    inoise_ = total * gainSqInv;
    freq_ = f;
    return {};
  }

  void pushRow(SampleSink& sink) {
    x_.push_back(freq_);
    std::size_t c = 0;
    columns_[c++].push_back(std::sqrt(onoise_));
    columns_[c++].push_back(std::sqrt(inoise_));
    for (const auto& d : devices_) {
      double sum = 0;
      for (std::size_t g : d.gens) {
        columns_[c++].push_back(std::sqrt(dens_[g]));
        sum += dens_[g];
      }
      columns_[c++].push_back(std::sqrt(sum));
    }
    if (x_.size() >= capacity_) flushRows(sink);
  }

  void flushRows(SampleSink& sink) {
    if (x_.empty()) return;
    Chunk ch;
    ch.rows = x_.size();
    ch.x = x_;
    for (const auto& col : columns_) ch.re.emplace_back(col);
    sink.chunk(ch);
    rowsOut_ += x_.size();
    x_.clear();
    for (auto& col : columns_) col.clear();
  }

  void emitTotals(SampleSink& sink) {
    AnalysisHeader h;
    h.type = AnalysisType::NoiseTotal;
    // an index of its own, as the losses of a transient (simulate.hpp)
    h.index = int(s_.model->analyses().size()) + index_;
    std::vector<double> values;
    auto add = [&](std::string name, double v, bool current) {
      h.signals.push_back({std::move(name), current ? SignalKind::Current : SignalKind::Voltage});
      values.push_back(std::sqrt(v));
    };
    add("onoise_total", outTotal_, false);
    add("inoise_total", inTotal_, currentInput_);
    for (const auto& d : devices_) {
      double o = 0, i = 0;
      for (std::size_t g : d.gens) {
        add("onoise_total_" + d.name + gens_[g].source, outInt_[g], false);
        add("inoise_total_" + d.name + gens_[g].source, inInt_[g], currentInput_);
        o += outInt_[g];
        i += inInt_[g];
      }
      add("onoise_total_" + d.name, o, false);
      add("inoise_total_" + d.name, i, currentInput_);
    }
    sink.begin(h);
    Chunk ch;
    ch.rows = 1;
    for (const double& v : values) ch.re.emplace_back(&v, 1);
    sink.chunk(ch);
    sink.end(AnalysisSummary{AnalysisType::NoiseTotal, 1});
  }

  struct DeviceGens {
    std::string name;
    std::vector<std::size_t> gens;
  };

  Session& s_;
  const ir::Analysis& a_;
  int index_;
  dev::Index outPos_ = 0, outNeg_ = 0;
  bool currentInput_ = false;
  dev::Index inA_ = 0, inB_ = 0, inBranch_ = 0;  // the input source's nodes (I) or branch (V)
  int summary_ = 0;
  std::vector<double> freqs_;
  std::size_t k_ = 0;
  bool opDone_ = false;
  std::unique_ptr<solver::SparseLu<std::complex<double>>> lu_;
  std::vector<std::complex<double>> A_, b_, y_;
  std::vector<dev::NoiseGenerator> gens_;
  std::vector<DeviceGens> devices_;
  std::vector<double> lnLast_, outInt_, inInt_, dens_;
  double outTotal_ = 0, inTotal_ = 0, onoise_ = 0, inoise_ = 0, freq_ = 0;
  // rows not yet sent
  std::size_t capacity_ = 1024, rowsOut_ = 0;
  std::vector<double> x_;
  std::vector<std::vector<double>> columns_;
};

}  // namespace

std::unique_ptr<AnalysisStepper> makeNoise(Session& s, const ir::Analysis& a, int index) {
  return std::make_unique<NoiseStepper>(s, a, index);
}

}  // namespace simcore::an
