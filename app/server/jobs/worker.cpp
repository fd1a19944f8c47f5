#include "jobs/worker.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>
#include <thread>
#include <mutex>
#include <functional>
#include <deque>
#include <exception>
#include <condition_variable>

#include "common/thread_pool.hpp"
#include "rpc/circuit_spec.hpp"
#include "jobs/parquet_files.hpp"
#include "jobs/result_rebuild.hpp"
#include "simcore/io/writers.hpp"
#if SIMCORE_HAVE_HDF5
#include "simcore/io/hdf5_sink.hpp"
#endif
#include "rpc/engine_codes.hpp"
#include "jobs/framing.hpp"
#include "simcore/simulate.hpp"
#include "simcore/v1/simulator.pb.h"

#include <google/protobuf/util/json_util.h>

namespace simcore::server {

namespace {

namespace pb = ::simcore::v1;

std::atomic<bool> g_cancel{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGTERM handler stores into this atomic");

// SIGUSR1 (the job reached its disk limit): stop like SIGTERM, and write no
// more rows to the result files (rows still queued for them are dropped).
std::atomic<bool> g_dropFileRows{false};

extern "C" void onTerm(int) { g_cancel.store(true, std::memory_order_relaxed); }
extern "C" void onDiskLimit(int) {
  g_dropFileRows.store(true, std::memory_order_relaxed);
  g_cancel.store(true, std::memory_order_relaxed);
}

pb::AnalysisType toProto(AnalysisType t) {
  switch (t) {
    case AnalysisType::Op: return pb::ANALYSIS_TYPE_OP;
    case AnalysisType::Dc: return pb::ANALYSIS_TYPE_DC;
    case AnalysisType::Ac: return pb::ANALYSIS_TYPE_AC;
    case AnalysisType::Tran: return pb::ANALYSIS_TYPE_TRAN;
    case AnalysisType::Pss: return pb::ANALYSIS_TYPE_PSS;
    case AnalysisType::Fra: return pb::ANALYSIS_TYPE_FRA;
    case AnalysisType::Losses: return pb::ANALYSIS_TYPE_LOSSES;
    case AnalysisType::Noise: return pb::ANALYSIS_TYPE_NOISE;
    case AnalysisType::NoiseTotal: return pb::ANALYSIS_TYPE_NOISE_TOTAL;
    case AnalysisType::PssSpectrum: return pb::ANALYSIS_TYPE_PSS_SPECTRUM;
    case AnalysisType::Sens: return pb::ANALYSIS_TYPE_SENS;
    case AnalysisType::Sp: return pb::ANALYSIS_TYPE_SP;
    case AnalysisType::Tf: return pb::ANALYSIS_TYPE_TF;
    case AnalysisType::Pz: return pb::ANALYSIS_TYPE_PZ;
  }
  return pb::ANALYSIS_TYPE_UNSPECIFIED;
}


// Thrown out of the sink when the server is gone; caught in workerCommand.
struct PipeClosed {};

// Sends the run to the server as WaveformChunk frames.
class StreamSink final : public SampleSink {
 public:
  explicit StreamSink(int fd) : fd_(fd) {}
  void setSimulation(const Simulation* s) { sim_ = s; }

  void begin(const AnalysisHeader& h) override {
    index_ = h.index;
    headerSent_ = false;
    header_.Clear();
    header_.set_type(toProto(h.type));
    header_.set_x_name(h.xName);
    header_.set_variant(h.variant);
    header_.set_complex(h.complex);
    for (const auto& s : h.signals) {
      auto* sig = header_.add_signals();
      sig->set_name(s.name);
      sig->set_kind(s.kind == SignalKind::Current ? pb::SIGNAL_KIND_CURRENT : pb::SIGNAL_KIND_VOLTAGE);
    }
    std::size_t per = h.signals.size() * (h.complex ? 2 : 1) + 1;
    rowsPerFrame_ = std::max<std::size_t>(1, kMaxValuesPerChunk / per);
  }

  void chunk(const Chunk& c) override {
    for (std::size_t r0 = 0; r0 < c.rows; r0 += rowsPerFrame_) {
      std::size_t n = std::min(rowsPerFrame_, c.rows - r0);
      pb::WaveformChunk m;
      fill(m);
      m.set_rows(static_cast<std::uint32_t>(n));
      if (!c.x.empty()) m.mutable_x()->Add(c.x.begin() + r0, c.x.begin() + r0 + n);
      for (std::size_t k = 0; k < c.re.size(); ++k) {
        auto* v = m.add_values();
        v->mutable_re()->Add(c.re[k].begin() + r0, c.re[k].begin() + r0 + n);
        if (k < c.im.size() && !c.im[k].empty()) v->mutable_im()->Add(c.im[k].begin() + r0, c.im[k].begin() + r0 + n);
      }
      send(m);
    }
  }

  void end(const AnalysisSummary&) override {
    pb::WaveformChunk m;
    fill(m);
    m.set_analysis_end(true);
    send(m);
  }

 private:
  void fill(pb::WaveformChunk& m) {
    m.set_analysis_index(index_);
    if (!headerSent_) {
      *m.mutable_header() = header_;
      headerSent_ = true;
    }
    if (sim_) m.set_progress(sim_->progress());
  }
  void send(const pb::WaveformChunk& m) {
    if (!writeFrame(fd_, FrameType::Chunk, m.SerializeAsString())) throw PipeClosed{};
  }
  int fd_;
  const Simulation* sim_ = nullptr;
  int index_ = 0;
  bool headerSent_ = false;
  std::size_t rowsPerFrame_ = 1024;
  pb::AnalysisHeader header_;
};

// Forwards every call to several sinks.
class TeeSink final : public SampleSink {
 public:
  explicit TeeSink(std::vector<SampleSink*> s) : sinks_(std::move(s)) {}
  void begin(const AnalysisHeader& h) override {
    for (auto* s : sinks_) s->begin(h);
  }
  void chunk(const Chunk& c) override {
    for (auto* s : sinks_) s->chunk(c);
  }
  void end(const AnalysisSummary& a) override {
    for (auto* s : sinks_) s->end(a);
  }

 private:
  std::vector<SampleSink*> sinks_;
};

// Gives the result files their rows on a thread of their own, so that the
// simulation and the stream to the server do not wait for CSV / JSON / HDF5
// formatting (for a 2 500-signal grid that is most of a job's time). Each call
// is copied into a queue of bounded size; the simulation waits only when the
// files fall more than kMaxQueuedBytes behind. `healthy` is asked on that
// thread after every call (false: a file failed), and failed() tells.
class BackgroundSink final : public SampleSink {
 public:
  BackgroundSink(SampleSink& inner, std::function<bool()> healthy)
      : inner_(inner), healthy_(std::move(healthy)), thread_([this] { loop(); }) {}
  ~BackgroundSink() override { finish(); }

  void begin(const AnalysisHeader& h) override {
    Item it;
    it.kind = Item::Begin;
    it.header = h;
    push(std::move(it));
  }
  void chunk(const Chunk& c) override {
    Item it;
    it.kind = Item::Rows;
    it.rows = c.rows;
    it.x.assign(c.x.begin(), c.x.end());
    for (const auto& s : c.re) it.re.emplace_back(s.begin(), s.end());
    for (const auto& s : c.im) it.im.emplace_back(s.begin(), s.end());
    it.bytes = 8 * (it.x.size() + it.rows * (it.re.size() + it.im.size()));
    push(std::move(it));
  }
  void end(const AnalysisSummary& s) override {
    Item it;
    it.kind = Item::End;
    it.summary = s;
    push(std::move(it));
  }
  // Returns once every queued call has reached the inner sink (idempotent).
  void finish() {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (done_) return;
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed); }

 private:
  static constexpr std::size_t kMaxQueuedBytes = std::size_t(64) << 20;
  struct Item {
    enum Kind { Begin, Rows, End } kind = Rows;
    AnalysisHeader header;
    AnalysisSummary summary;
    std::size_t rows = 0, bytes = 0;
    std::vector<double> x;
    std::vector<std::vector<double>> re, im;
  };

  void push(Item it) {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return queuedBytes_ < kMaxQueuedBytes || queue_.empty(); });
    queuedBytes_ += it.bytes;
    queue_.push_back(std::move(it));
    cv_.notify_all();
  }

  void loop() {
    while (true) {
      Item it;
      {
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait(l, [&] { return !queue_.empty() || done_; });
        if (queue_.empty()) return;  // done_ and drained
        it = std::move(queue_.front());
        queue_.pop_front();
      }
      try {
        if (failed()) {
          // a file failed: the rest is dropped (the job reports the error)
        } else if (it.kind == Item::Rows && g_dropFileRows.load(std::memory_order_relaxed)) {
          // past the disk limit: the files keep what they have
        } else if (it.kind == Item::Begin) {
          inner_.begin(it.header);
        } else if (it.kind == Item::End) {
          inner_.end(it.summary);
        } else {
          Chunk c;
          c.rows = it.rows;
          c.x = it.x;
          for (const auto& v : it.re) c.re.emplace_back(v);
          for (const auto& v : it.im) c.im.emplace_back(v);
          inner_.chunk(c);
        }
        if (!healthy_()) failed_.store(true, std::memory_order_relaxed);
      } catch (const std::exception&) {  // out of memory in a writer: fail the files, not the process
        failed_.store(true, std::memory_order_relaxed);
      }
      {
        std::lock_guard<std::mutex> l(mu_);
        queuedBytes_ -= it.bytes;
      }
      cv_.notify_all();
    }
  }

  SampleSink& inner_;
  std::function<bool()> healthy_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  std::size_t queuedBytes_ = 0;
  bool done_ = false;
  std::atomic<bool> failed_{false};
  std::thread thread_;  // last: starts after the members it uses exist
};

double cpuSeconds(const rusage& u) {
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

bool sendOutcome(pb::WorkerOutcome& out, const std::vector<std::pair<pb::ResultFormat, io::ResultSink*>>& files,
                 const RunStats* st, double wall) {
  for (const auto& [fmt, fs] : files) {
    for (const auto& f : fs->files()) {
      auto* r = out.add_results();
      auto slash = f.path.rfind('/');
      r->set_name(slash == std::string::npos ? f.path : f.path.substr(slash + 1));
      std::string name = r->name();
      // <stem>.<analysis>.<ext>
      auto e = name.rfind('.');
      auto a = e == std::string::npos ? std::string::npos : name.rfind('.', e - 1);
      r->set_analysis(a == std::string::npos ? f.analysis : name.substr(a + 1, e - a - 1));
      r->set_format(fmt);
      struct stat sb {};
      if (::stat(f.path.c_str(), &sb) == 0) r->set_size_bytes(sb.st_size);
      r->set_rows(static_cast<std::int64_t>(f.rows));
      r->set_partial(f.partial);
    }
  }
  auto* s = out.mutable_stats();
  if (st) {
    s->set_unknowns(st->unknowns);
    s->set_nonzeros(st->nonzeros);
    s->set_accepted_points(st->acceptedPoints);
    s->set_rejected_steps(st->rejectedSteps);
    s->set_newton_iterations(st->newtonIterations);
    s->set_factorizations(st->factorizations);
    s->set_refactorizations(st->refactorizations);
    s->set_events(st->events);
    s->set_switching_mode(st->switchingMode);
    s->set_configurations(st->configurations);
    s->set_factor_cache_hits(st->factorCacheHits);
    s->set_parallel_loads(st->parallelLoads);
    s->set_parallel_refactorizations(st->parallelRefactorizations);
    for (const auto& d : st->losses) {
      auto* l = s->add_losses();
      l->set_device(d.device);
      l->set_conduction_loss(d.conductionLoss);
      l->set_switching_loss(d.switchingLoss);
      l->set_conduction_energy(d.conductionEnergy);
      l->set_switching_energy(d.switchingEnergy);
      l->set_tj_max(d.tjMax);
      l->set_tj_avg(d.tjAvg);
      l->set_switching_events(d.switchingEvents);
    }
    s->set_loss_from(st->lossFrom);
    s->set_loss_to(st->lossTo);
    s->set_input_power(st->inputPower);
    s->set_output_power(st->outputPower);
    s->set_loss_power(st->lossPower);
    s->set_efficiency(st->efficiency);
    s->set_thermal_step(st->thermalStep);
    for (const auto& m : st->measures) {
      auto* e = s->add_measures();
      e->set_name(m.name);
      e->set_ok(m.ok);
      e->set_value(m.value);
      e->set_error(m.error);
      e->set_line(int32_t(m.loc.line));
    }
    // .control script output, capped so a job record stays small
    constexpr std::size_t kTextCap = 256 << 10, kFileCap = 256 << 10, kFilesCap = 1 << 20;
    const std::string& text = st->script.text;
    if (text.size() <= kTextCap) {
      s->set_script_output(text);
    } else {
      s->set_script_output(text.substr(0, kTextCap) + "\n[script output cut at " + std::to_string(kTextCap) +
                           " of " + std::to_string(text.size()) + " bytes]\n");
    }
    for (const auto& e : st->script.errors) s->add_script_errors(e);
    std::size_t budget = kFilesCap;
    for (const auto& f : st->script.files) {
      auto* e = s->add_script_files();
      e->set_name(f.name);
      e->set_size_bytes(int64_t(f.data.size()));
      const std::size_t n = std::min({f.data.size(), kFileCap, budget});
      e->set_data(f.data.substr(0, n));
      e->set_truncated(n < f.data.size());
      budget -= n;
    }
  }
  s->set_wall_seconds(wall);
  rusage u{};
  if (::getrusage(RUSAGE_SELF, &u) == 0) {
    s->set_cpu_seconds(cpuSeconds(u));
    s->set_max_rss_kb(u.ru_maxrss);
  }
  return writeFrame(1, FrameType::Outcome, out.SerializeAsString());
}

void setError(pb::WorkerOutcome& out, const Error& e) {
  out.set_ok(false);
  *out.mutable_error() = detailOf(e);
}


int runJob(const pb::WorkerRequest& req) {
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  auto wall = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  pb::WorkerOutcome out;
  std::vector<std::pair<pb::ResultFormat, io::ResultSink*>> none;

  CircuitSpec spec;
  spec.netlist = req.netlist();
  spec.fileName = req.file_name().empty() ? "<netlist>" : req.file_name();
  for (const auto& [k, v] : req.params()) spec.params[k] = v;
  const auto& o = req.options();
  spec.analyses.assign(o.analyses().begin(), o.analyses().end());
  if (o.has_tstop()) spec.tstop = o.tstop();
  if (o.has_max_step()) spec.maxStep = o.max_step();
  std::map<std::string, std::string> includes(req.includes().begin(), req.includes().end());
  auto circuit = buildCircuit(spec, [&](const std::string& n) -> std::optional<std::string> {
    auto it = includes.find(n);
    if (it == includes.end()) return std::nullopt;
    return it->second;
  });
  if (!circuit) {
    setError(out, circuit.error());
    return sendOutcome(out, none, nullptr, wall()) ? 0 : 3;
  }
  std::string title = circuit.value().title;
  SimulationOptions so;
  so.save.assign(o.save().begin(), o.save().end());
  so.chunkRows = o.chunk_rows() == 0 ? 1024 : std::min<std::uint32_t>(o.chunk_rows(), 65536);
  so.maxUnknowns = req.max_unknowns();
  so.maxTimePoints = req.max_time_points();
  so.cancel = &g_cancel;
  so.interpolate = o.interpolate();
  std::unique_ptr<app::ThreadPool> pool;  // checked against the user's max_threads by the service
  if (o.threads() > 1) {
    pool = std::make_unique<app::ThreadPool>(std::size_t(o.threads()));
    so.parallel = pool->parallelFor();
    so.parallelTasks = std::size_t(o.threads()) * 4;  // slices claimed by whichever thread is free
    so.parallelThreads = std::size_t(o.threads());
  }
  const std::size_t parseWarnings = circuit.value().warnings.size();
  auto sim = Simulation::create(std::move(circuit.value()), so);
  if (!sim) {
    setError(out, sim.error());
    return sendOutcome(out, none, nullptr, wall()) ? 0 : 3;
  }
  Simulation& s = *sim.value();
  // (the reader's warnings went out with the session; these are the simulation's own:
  // floating nodes from create(), then what the analyses raise as they run)
  std::size_t warned = parseWarnings;
  auto addWarnings = [&] {
    for (; warned < s.circuit().warnings.size(); ++warned) {
      const auto& w = s.circuit().warnings[warned];
      out.mutable_stats()->add_warnings(std::to_string(w.loc.line) + ":" + std::to_string(w.loc.col) + ": " + w.message);
    }
  };
  addWarnings();
  const std::string stem = req.stem().empty() ? "circuit" : req.stem();
  StreamSink stream(1);
  io::FileSink csv(req.out_dir(), stem, io::Format::Csv, title);
  io::FileSink raw(req.out_dir(), stem, io::Format::Raw, title);
  io::FileSink json(req.out_dir(), stem, io::Format::Json, title);
  std::vector<std::pair<pb::ResultFormat, io::ResultSink*>> files = {
      {pb::RESULT_FORMAT_CSV, &csv}, {pb::RESULT_FORMAT_RAW, &raw}, {pb::RESULT_FORMAT_JSON, &json}};
  std::vector<SampleSink*> fileSinks = {&csv, &raw, &json};
#if SIMCORE_HAVE_HDF5
  io::Hdf5Sink h5(req.out_dir(), stem, io::Hdf5RunInfo{title, io::sha256Hex(req.netlist()), hdf5OptionsJson(req.options(), req.params()), req.job_id()});
  if (!std::getenv("SIMCORE_WORKER_NO_HDF5")) {  // measuring the writer's cost
    files.push_back({pb::RESULT_FORMAT_HDF5, &h5});
    fileSinks.push_back(&h5);
  }
#endif
  std::unique_ptr<io::ResultSink> parquet;
  if (!std::getenv("SIMCORE_WORKER_NO_PARQUET"))  // measuring the writer's cost
    parquet = openParquetSink(req.out_dir(), stem, jobRunInfo(title, req.options(), req.params(), req.job_id()),
                              req.netlist());
  if (parquet) {
    files.push_back({pb::RESULT_FORMAT_PARQUET, parquet.get()});
    fileSinks.push_back(parquet.get());
  }
  stream.setSimulation(&s);
  // The files are written on a thread of their own (BackgroundSink); their
  // errors are looked at there, and here only after it has drained.
  TeeSink fileTee(fileSinks);
  BackgroundSink background(fileTee, [&files] {
    for (const auto& f : files)
      if (!f.second->error().empty()) return false;
    return true;
  });
  TeeSink tee({&stream, &background});
  SampleSink& sink = tee;

  auto fileError = [&]() -> std::string {
    for (auto& f : files)
      if (!f.second->error().empty()) return f.second->error();
    return {};
  };
  while (true) {
    auto r = s.advance(sink, 4096);
    if (!r) {
      background.finish();
      for (auto& f : files) f.second->finishPartial();
      setError(out, r.error());
      addWarnings();
      return sendOutcome(out, files, &s.stats(), wall()) ? 0 : 3;
    }
    if (background.failed() || r.value() == StepState::Done) {
      background.finish();
      std::string e = fileError();
      if (e.empty() && background.failed()) e = "a result writer failed (out of memory?)";
      if (!e.empty()) {
        for (auto& g : files) g.second->finishPartial();
        setError(out, makeError(ErrorCode::Internal, "cannot write the result: " + e));
        addWarnings();
        return sendOutcome(out, files, &s.stats(), wall()) ? 0 : 3;
      }
      break;
    }
  }
  out.set_ok(true);
  addWarnings();
  return sendOutcome(out, files, &s.stats(), wall()) ? 0 : 3;
}

}  // namespace

int workerCommand(const std::vector<std::string>&) {
  struct sigaction sa {};
  sa.sa_handler = onTerm;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGTERM, &sa, nullptr);
  sa.sa_handler = onDiskLimit;
  ::sigaction(SIGUSR1, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a vanished server shows up as EPIPE on stdout

  FrameReader in(0);
  Frame f;
  ReadStatus st = in.read(f);
  if (st != ReadStatus::Frame || f.type != FrameType::Request) {
    std::fprintf(stderr, "simcore worker: expected a request frame on stdin (%s)\n", readStatusName(st));
    return 2;
  }
  pb::WorkerRequest req;
  if (!req.ParseFromString(f.payload)) {
    std::fprintf(stderr, "simcore worker: the request frame does not parse\n");
    return 2;
  }
  try {
    return runJob(req);
  } catch (const PipeClosed&) {
    std::fprintf(stderr, "simcore worker: the server closed the pipe; stopping\n");
    return 3;
  } catch (const std::bad_alloc&) {
    // RLIMIT_AS reached: report it as a limit (best effort: little memory is left).
    pb::WorkerOutcome out;
    setError(out, makeError(ErrorCode::Limit, "the job ran out of its memory limit"));
    writeFrame(1, FrameType::Outcome, out.SerializeAsString());
    return 4;
  } catch (const std::exception& e) {
    pb::WorkerOutcome out;
    setError(out, makeError(ErrorCode::Internal, std::string("internal error: ") + e.what()));
    writeFrame(1, FrameType::Outcome, out.SerializeAsString());
    return 4;
  }
}

}  // namespace simcore::server
