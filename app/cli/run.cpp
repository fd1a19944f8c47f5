// `simcore run`: read a netlist (the only place files are opened), run every
// analysis with the engine's stepper, write one result file per analysis.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/module.hpp"
#include "cli/parse.hpp"
#include "common/thread_pool.hpp"
#include "simcore/circuit_model.hpp"
#include "plugin_loader.hpp"
#include "simcore/measure.hpp"
#include "simcore/simulate.hpp"
#include "simcore/io/model_library.hpp"
#include "simcore/io/parquet_layout.hpp"
#include "simcore/io/writers.hpp"

namespace simcore::cli {

namespace {

// "FILE:LINE:COL: warning: message" (Error::format's layout, for warnings).
std::string warningText(const std::string& message, const SourceLoc& loc) {
  std::string e = Error{ErrorCode::Parse, "", loc}.format();  // "FILE:LINE:COL: error: "
  e.resize(e.size() - std::string("error: ").size());
  return e + "warning: " + message;
}

using Clock = std::chrono::steady_clock;

// A .control script's output: its text on stdout (as ngspice prints it), the
// commands that failed on stderr, its files below `dir` (the engine allows
// relative names without ".." only). Returns false when a file cannot be written.
bool emitScriptOutput(const ScriptOutput& out, const std::string& dir, bool quiet) {
  std::fwrite(out.text.data(), 1, out.text.size(), stdout);
  std::fflush(stdout);
  for (const std::string& e : out.errors) std::fprintf(stderr, "%s\n", e.c_str());
  bool ok = true;
  if (!out.files.empty() && !dir.empty()) {
    // --script-dir names a folder that does not exist yet: made, as --out's is
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) std::filesystem::create_directories(dir, ec);
  }
  for (const ScriptFile& f : out.files) {
    std::string path = dir.empty() || dir == "." ? f.name : dir + "/" + f.name;
    // a folder the file's name gives that does not exist yet is made inside the script's
    // folder (the engine allows relative names without ".." only), so that the file is not
    // lost (`wrdata results/out.csv` of a deck run outside its project); the script's folder
    // itself must exist
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    const std::filesystem::path base = dir.empty() ? std::filesystem::path(".") : std::filesystem::path(dir);
    std::error_code ec;
    if (f.name.find('/') != std::string::npos && std::filesystem::is_directory(base, ec) &&
        !std::filesystem::exists(parent, ec)) {
      std::filesystem::create_directories(parent, ec);
      if (!ec && !quiet) std::fprintf(stderr, "note: made the folder %s for the script's file\n", parent.string().c_str());
    }
    std::ofstream os(path, std::ios::binary | std::ios::trunc);
    if (os) os.write(f.data.data(), std::streamsize(f.data.size()));
    if (!os) {
      std::fprintf(stderr, "simcore run: error: cannot write the script's file '%s': %s\n", path.c_str(),
                   std::strerror(errno));
      ok = false;
    } else if (!quiet) {
      std::fprintf(stderr, "note: the .control script wrote %s (%zu bytes)\n", path.c_str(), f.data.size());
    }
  }
  return ok;
}

bool readFile(const std::string& path, std::string& out, std::string& err) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    out = ss.str();
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err = std::strerror(errno);
    return false;
  }
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// This executable's path ("" when unknown): the model library is found beside it.
std::string selfPath() {
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  self[n] = 0;
  return self;
}

std::string stemOf(const std::string& path) {
  std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  auto dot = base.rfind('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

bool makeDirs(const std::string& dir, std::string& err) {
  std::string cur;
  std::size_t i = 0;
  while (i <= dir.size()) {
    std::size_t j = dir.find('/', i);
    if (j == std::string::npos) j = dir.size();
    cur = dir.substr(0, j);
    if (!cur.empty() && ::mkdir(cur.c_str(), 0777) != 0 && errno != EEXIST) {
      err = "cannot create directory '" + cur + "': " + std::strerror(errno);
      return false;
    }
    i = j + 1;
  }
  return true;
}

int exitCodeFor(ErrorCode c) {
  switch (c) {
    case ErrorCode::Parse:
    case ErrorCode::Semantic:
    case ErrorCode::Topology: return 2;
    default: return 1;
  }
}

// "4 GiB", "500 MiB", "64 KiB", "1000 bytes": a limit as given, exact.
std::string limitText(std::uint64_t n) {
  const char* units[] = {"GiB", "MiB", "KiB"};
  for (int k = 0; k < 3; ++k) {
    const std::uint64_t u = std::uint64_t(1) << (30 - 10 * k);
    if (n >= u && n % u == 0) return std::to_string(n / u) + " " + units[k];
  }
  return std::to_string(n) + " bytes";
}

// "4.0 GiB", "65.3 KiB", "812 bytes": a measured size, one decimal.
std::string sizeText(std::uint64_t n) {
  const char* units[] = {"GiB", "MiB", "KiB"};
  for (int k = 0; k < 3; ++k) {
    const std::uint64_t u = std::uint64_t(1) << (30 - 10 * k);
    if (n >= u) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "%.1f %s", double(n) / double(u), units[k]);
      return buf;
    }
  }
  return std::to_string(n) + " bytes";
}

// The bytes on disk of the files a sink has written so far (a file that cannot
// be measured counts 0). Only the last file can still grow, so the earlier ones
// are measured once.
class OutputMeter {
 public:
  std::uint64_t total(const std::vector<io::WrittenFile>& files) {
    while (closed_ + 1 < files.size()) closedBytes_ += sizeOf(files[closed_++].path);
    return closedBytes_ + (files.empty() ? 0 : sizeOf(files.back().path));
  }

 private:
  static std::uint64_t sizeOf(const std::string& path) {
    std::error_code ec;
    const std::uintmax_t n = std::filesystem::file_size(path, ec);
    return ec ? 0 : std::uint64_t(n);
  }
  std::size_t closed_ = 0;
  std::uint64_t closedBytes_ = 0;
};

// The short loss table `simcore run` prints when losses were metered (--stats prints more).
// Forwards every analysis to the result files and keeps .pz's roots as
// text lines "pole(1) = RE, IM" and a DC .sens's sensitivities as
// "r1 = VALUE" for the summary, and the time [s] of the last row of a
// time-domain analysis (tran, pss, losses; NaN in any other) for messages.
class PzEcho final : public SampleSink {
 public:
  explicit PzEcho(SampleSink& inner) : inner_(inner) {}
  std::vector<std::string> lines;
  double lastTime = std::nan("");
  void begin(const AnalysisHeader& h) override {
    timeAxis_ = h.type == AnalysisType::Tran || h.type == AnalysisType::Pss || h.type == AnalysisType::Losses;
    lastTime = std::nan("");
    pz_ = h.type == AnalysisType::Pz;
    sens_ = h.type == AnalysisType::Sens && !h.complex;
    names_.clear();
    if (pz_ || sens_)
      for (const auto& sig : h.signals) names_.push_back(sig.name);
    inner_.begin(h);
  }
  void chunk(const Chunk& c) override {
    if ((pz_ || sens_) && c.rows > 0)
      for (std::size_t k = 0; k < c.re.size() && k < names_.size(); ++k) {
        char buf[192];
        if (pz_)
          std::snprintf(buf, sizeof buf, "%-9s = %.6e, %.6e", names_[k].c_str(), c.re[k][0], k < c.im.size() ? c.im[k][0] : 0.0);
        else
          std::snprintf(buf, sizeof buf, "%-12s = %.6e", names_[k].c_str(), c.re[k][0]);
        lines.emplace_back(buf);
      }
    if (timeAxis_ && c.rows > 0 && c.x.size() >= c.rows) lastTime = c.x[c.rows - 1];
    inner_.chunk(c);
  }
  void end(const AnalysisSummary& s) override { inner_.end(s); }

 private:
  SampleSink& inner_;
  bool pz_ = false, sens_ = false, timeAxis_ = false;
  std::vector<std::string> names_;
};

void printLossTable(const RunStats& s) {
  std::printf("  losses over t = %.6g .. %.6g s:\n", s.lossFrom, s.lossTo);
  std::printf("    %-18s %12s %12s %10s\n", "device", "p_cond [W]", "p_sw [W]", "Tj max");
  for (const auto& d : s.losses)
    std::printf("    %-18s %12.6g %12.6g %10.4g\n", d.device.c_str(), d.conductionLoss, d.switchingLoss, d.tjMax);
  if (s.inputPower > 0) std::printf("  efficiency %.4f %% (input %.6g W)\n", 100 * s.efficiency, s.inputPower);
}

void printStats(const RunStats& s, double wall) {
  std::fprintf(stderr,
               "statistics:\n"
               "  unknowns              %d (matrix nonzeros %d)\n"
               "  accepted time points  %lld\n"
               "  rejected steps        %lld\n"
               "  newton iterations     %lld (failed solves %lld)\n"
               "  lu factorizations     %lld\n"
               "  lu refactorizations   %lld\n"
               "  lu solves             %lld\n"
               "  switching events      %lld\n"
               "  time: setup %.4f s, load %.4f s, factor %.4f s, solve %.4f s, total %.4f s\n",
               s.unknowns, s.nonzeros, (long long)s.acceptedPoints, (long long)s.rejectedSteps,
               (long long)s.newtonIterations, (long long)s.newtonFailures, (long long)s.factorizations,
               (long long)s.refactorizations, (long long)s.solves, (long long)s.events, s.setupSeconds,
               s.loadSeconds, s.factorSeconds, s.solveSeconds, wall);
  if (!s.switchingMode.empty()) {
    std::fprintf(stderr, "  switching mode        %s", s.switchingMode.c_str());
    if (s.switchingMode == "event")
      std::fprintf(stderr, " (%lld configurations, %lld of %lld solves reused a cached factorization)",
                   (long long)s.configurations, (long long)s.factorCacheHits, (long long)s.solves);
    std::fprintf(stderr, "\n");
  }
  if (s.dampedRings > 0)
    std::fprintf(stderr, "  trapezoidal rings     %lld steps taken again with backward Euler (.options trapdamp)\n", (long long)s.dampedRings);
  if (s.parallelLoads > 0) std::fprintf(stderr, "  threaded loads        %lld\n", (long long)s.parallelLoads);
  if (s.parallelRefactorizations > 0)
    std::fprintf(stderr, "  threaded refactors    %lld\n", (long long)s.parallelRefactorizations);
  if (s.steadyStateAt > 0) std::fprintf(stderr, "  steady state reached  at t = %.6g s (the transient stopped there)\n", s.steadyStateAt);
  if (s.shootingIterations > 0)
    std::fprintf(stderr, "  shooting              %lld Newton iterations, relative residual %.2g\n",
                 (long long)s.shootingIterations, s.shootingResidual);
  if (!s.losses.empty()) {
    std::fprintf(stderr, "  losses                averaged over t = %.6g .. %.6g s, thermal step %.3g s\n", s.lossFrom, s.lossTo,
                 s.thermalStep);
    for (const auto& d : s.losses)
      std::fprintf(stderr,
                   "    %-18s conduction %.6g W (%.6g J), switching %.6g W (%.6g J, %lld events), Tj max %.4g avg %.4g degC\n",
                   d.device.c_str(), d.conductionLoss, d.conductionEnergy, d.switchingLoss, d.switchingEnergy,
                   (long long)d.switchingEvents, d.tjMax, d.tjAvg);
    if (s.inputPower > 0)
      std::fprintf(stderr, "  efficiency            %.4f %% (input %.6g W, output %.6g W, semiconductor losses %.6g W)\n",
                   100 * s.efficiency, s.inputPower, s.outputPower, s.lossPower);
  }
  if (!s.opStrategies.empty()) {
    std::fprintf(stderr, "  operating points:");
    for (const auto& o : s.opStrategies) std::fprintf(stderr, " %s;", o.c_str());
    std::fprintf(stderr, "\n");
  }
}

}  // namespace

std::vector<std::string> splitSignalList(const std::string& list) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  for (char c : list) {
    if (c == '(') depth++;
    if (c == ')') depth--;
    if (c == ',' && depth == 0) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::optional<std::uint64_t> parseByteSize(std::string_view text) {
  std::size_t i = 0;
  double whole = 0, scale = 1, frac = 0;
  std::size_t digits = 0;
  bool fraction = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) whole = whole * 10 + (text[i] - '0');
  if (i < text.size() && text[i] == '.') {
    fraction = true;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) frac += (text[i] - '0') * (scale /= 10);
  }
  if (digits == 0) return std::nullopt;
  double unit = 1;
  if (i < text.size()) {
    switch (text[i]) {
      case 'k': case 'K': unit = 1024.0; break;
      case 'm': case 'M': unit = 1024.0 * 1024; break;
      case 'g': case 'G': unit = 1024.0 * 1024 * 1024; break;
      default: return std::nullopt;
    }
    ++i;
  }
  if (i != text.size() || (fraction && unit == 1)) return std::nullopt;  // bytes are whole
  const double bytes = std::floor((whole + frac) * unit);
  if (!(bytes <= 4611686018427387904.0)) return std::nullopt;  // 2^62
  return std::uint64_t(bytes);
}

void addRunOptions(CLI::App& run, RunOptions& o) {
  run.add_option("CIRCUIT", o.input, "the netlist ('-' reads stdin)");
  run.add_option("-o,--out", o.outDir,
                 "write results into DIR (created if needed); one file per analysis: DIR/<stem>.<op|dc|ac|tran>.<ext>")
      ->type_name("DIR")
      ->capture_default_str();
  run.add_option("--format", o.format, "csv, json, raw (ngspice binary raw), hdf5 or parquet")
      ->type_name("FMT")
      ->capture_default_str();
  run.add_option("--save", o.saveLists,
                 "only these signals, e.g. v(out),i(vin) (default: .save cards, else every node voltage and the "
                 "currents of V, L, E and H devices)")
      ->type_name("SIG,...")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run.add_flag("--interpolate", o.interpolate, "transient rows on the .tran tstep grid instead of every accepted step");
  run.add_option("--max-points", o.maxPoints,
                 "stop a transient after N time points (exit status 1; rows so far are kept)")
      ->type_name("N")
      ->check(CLI::Validator(
          [](std::string& v) {
            char* end = nullptr;
            long long n = std::strtoll(v.c_str(), &end, 10);
            return end == v.c_str() || *end || n < 1 ? "needs a positive integer, got '" + v + "'" : std::string();
          },
          "N >= 1"));
  run.add_option("--max-output", o.maxOutput,
                 "stop the run once its result files together exceed SIZE bytes (suffix k, M or G: powers of 1024, "
                 "e.g. 500M, 1.5G; 0: no limit; exit status 1; rows so far are kept)")
      ->type_name("SIZE")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& v) {
            return parseByteSize(v) ? std::string()
                                    : "needs a byte count such as 500M, 4G or 0 (no limit; suffix k, M or G), got '" +
                                          v + "'";
          },
          "SIZE"));
  run.add_option("--plugin", o.plugins,
                 "load a device plugin (shared library, docs/plugins.md) whose device kinds the netlist may use; "
                 "repeatable")
      ->type_name("PATH")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run.add_option("--threads", o.threads,
                 "evaluate the semiconductor models of large circuits (groups of 512 or more instances, fewer of "
                 "costly models such as BSIM) and "
                 "refactor large matrices on N threads; results are bit-identical to one thread")
      ->type_name("N")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  run.add_option("--script-dir", o.scriptDir,
                 "write the files of .control wrdata/write commands below DIR (default: the current folder, as "
                 "ngspice; names are relative and without '..')")
      ->type_name("DIR")
      ->capture_default_str();
  run.add_flag("--stats", o.stats, "print run statistics to stderr");
  run.add_flag("-q,--quiet", o.quiet, "print nothing but errors");
  // Unknown options and a second netlist reach runCommand as extras, which
  // names them in its own message.
  run.allow_extras();
}

int runCommand(const RunOptions& o, const std::vector<std::string>& extras) {
  const std::string& input = o.input;
  const std::string& outDir = o.outDir;
  const std::string& formatName = o.format;
  std::vector<std::string> save;
  for (const auto& list : o.saveLists)
    for (auto& s : splitSignalList(list)) save.push_back(std::move(s));
  const bool quiet = o.quiet, stats = o.stats, interpolate = o.interpolate;
  const long long maxPoints = o.maxPoints;
  auto usage = [](const std::string& msg) { return usageError("run", msg); };
  for (const auto& a : extras) {
    if (a == "--") continue;
    if (!a.empty() && a[0] == '-' && a != "-") return usage("unknown option '" + a + "'");
    return usage("only one netlist file may be given (got '" + input + "' and '" + a + "')");
  }
  if (input.empty()) return usage("no netlist file given");
  const std::optional<io::Format> fmt = io::parseFormat(formatName);
  if (!fmt) return usage("unknown format '" + formatName + "' (expected csv, json, raw, hdf5 or parquet)");
  using OpenHdf5 = io::ResultSink* (*)(const std::string&, const std::string&, const std::string&, std::string_view);
  OpenHdf5 openHdf5 = nullptr;
  if (*fmt == io::Format::Hdf5) {
    std::string why;
    openHdf5 = reinterpret_cast<OpenHdf5>(moduleSymbol("libsimcore_hdf5.so", "simcore_hdf5_open_sink", why));
    if (!openHdf5)
      return usage("--format hdf5 needs the HDF5 module " + why +
                   "; this simcore was built without HDF5 (install libhdf5-dev and rebuild)");
  }
  using OpenParquet = io::ResultSink* (*)(const std::string&, const std::string&, const io::RunInfo&, std::string_view);
  OpenParquet openParquet = nullptr;
  if (*fmt == io::Format::Parquet) {
    std::string why;
    openParquet = reinterpret_cast<OpenParquet>(moduleSymbol("libsimcore_parquet.so", "simcore_parquet_open_sink", why));
    if (!openParquet)
      return usage("--format parquet needs the Parquet module " + why +
                   "; this simcore was built without Parquet (scripts/setup.sh installs pyarrow into build/venv-parquet; "
                   "then rebuild)");
  }

  auto t0 = Clock::now();
  std::string text, err;
  if (!readFile(input, text, err)) {
    std::fprintf(stderr, "%s: error: cannot read the netlist: %s\n", input.c_str(), err.c_str());
    return 2;
  }
  ir::ParseOptions po;
  po.fileName = input == "-" ? "<stdin>" : input;
  // A JSON circuit model (docs/interop.md) runs as the netlist it stands for.
  if (model::looksLikeCircuitJson(text)) {
    auto netlist = model::jsonToNetlist(text, {po.fileName});
    if (!netlist) {
      std::fprintf(stderr, "%s\n", netlist.error().format().c_str());
      return 2;
    }
    text = std::move(netlist.value());
  }
  // .include/.lib/losses=: relative to the including file, then "models/..." in the model library.
  po.resolver = io::fileResolver(io::findModelLibrary(selfPath()));
  // Device plugins: --plugin files as given, .plugin cards relative to their netlist file.
  for (const std::string& path : o.plugins) {
    auto plugin = plugins::loadPlugin(path);
    if (!plugin) {
      std::fprintf(stderr, "simcore run: error: %s\n", plugin.error().message.c_str());
      return exitCodeFor(plugin.error().code);
    }
    po.plugins.push_back(std::move(plugin.value()));
  }
  po.pluginResolver = plugins::fileResolver();
  // ngspice's .spiceinit beside the netlist (sky130's: set ngbehavior=hsa): its compatibility modes
  const io::SpiceInit init = io::findSpiceInit(po.fileName);
  po.ngbehavior = init.ngbehavior;
  if (!quiet && !init.ngbehavior.empty())
    std::fprintf(stderr, "note: %s sets ngbehavior=%s (binned MOSFET models%s)\n", init.path.c_str(),
                 init.ngbehavior.c_str(),
                 po.ngbehavior.find("hs") != std::string::npos || po.ngbehavior.find("spe") != std::string::npos
                     ? " by finger width W/NF, as ngspice"
                     : ": no effect here");
  auto circuit = ir::parseNetlist(text, po);
  if (!circuit) {
    std::fprintf(stderr, "%s\n", circuit.error().format().c_str());
    return exitCodeFor(circuit.error().code);
  }
  if (!quiet)
    for (const auto& w : circuit.value().warnings)
      std::fprintf(stderr, "%s\n", warningText(w.message, w.loc).c_str());
  const std::size_t parseWarnings = circuit.value().warnings.size();
  std::string title = circuit.value().title;

  SimulationOptions so;
  so.save = save;
  so.maxTimePoints = maxPoints;
  so.interpolate = interpolate;
  so.phaseTimes = stats;  // the clock is read ~6 times per Newton iteration only when --stats prints the phases
  std::unique_ptr<app::ThreadPool> pool;
  if (o.threads > 1) {
    pool = std::make_unique<app::ThreadPool>(std::size_t(o.threads));
    so.parallel = pool->parallelFor();
    so.parallelTasks = std::size_t(o.threads) * 4;  // slices claimed by whichever thread is free
    so.parallelThreads = std::size_t(o.threads);
  }
  auto sim = Simulation::create(std::move(circuit.value()), so);
  if (!sim) {
    std::fprintf(stderr, "%s\n", sim.error().format().c_str());
    return exitCodeFor(sim.error().code);
  }
  // (the simulation's own warnings, after the reader's: floating nodes tied to ground,
  // then those the analyses raise while they run, printed when the run ends)
  std::size_t warned = parseWarnings;
  auto printWarnings = [&] {
    for (; warned < sim.value()->circuit().warnings.size(); ++warned) {
      const auto& w = sim.value()->circuit().warnings[warned];
      if (!quiet) std::fprintf(stderr, "%s\n", warningText(w.message, w.loc).c_str());
    }
  };
  printWarnings();
  if (!makeDirs(outDir, err)) {
    std::fprintf(stderr, "simcore run: error: %s\n", err.c_str());
    return 2;
  }
  const std::string stem = input == "-" ? "stdin" : stemOf(input);
  std::unique_ptr<io::ResultSink> sinkOwner;
  if (openHdf5) {
    sinkOwner.reset(openHdf5(outDir, stem, title, text));
  } else if (openParquet) {
    io::RunInfo info;
    info.title = title;
    sinkOwner.reset(openParquet(outDir, stem, info, text));
  } else {
    auto opened = io::openResultSink(*fmt, outDir, stem, title);
    if (!opened) {
      std::fprintf(stderr, "simcore run: error: %s\n", opened.error().message.c_str());
      return 2;
    }
    sinkOwner = std::move(opened.value());
  }
  io::ResultSink& files = *sinkOwner;
  PzEcho sink(files);

  const bool tty = !quiet && ::isatty(2);
  bool barShown = false;
  auto lastDraw = Clock::now();
  // --max-output: checked on the bytes on disk after each advance(), so a run
  // stops up to one advance()'s rows (and the writer's buffer) past the limit
  const std::uint64_t maxOutput = parseByteSize(o.maxOutput).value_or(0);
  OutputMeter meter;
  // A failed or stopped run: its error line, then what it leaves behind (the
  // partial files, the script's output, --stats), as a finished run would.
  auto stopRun = [&](const std::string& message, const char* why) {
    if (barShown) std::fprintf(stderr, "\r\033[K");
    printWarnings();
    std::fprintf(stderr, "%s\n", message.c_str());
    files.finishPartial();
    for (const auto& f : files.files())
      if (f.partial && f.rows > 0)
        std::fprintf(stderr, "note: the %zu rows computed before the %s are in %s\n", f.rows, why, f.path.c_str());
    emitScriptOutput(sim.value()->stats().script, o.scriptDir, quiet);
    if (stats) printStats(sim.value()->stats(), std::chrono::duration<double>(Clock::now() - t0).count());
  };
  while (true) {
    auto r = sim.value()->advance(sink, 2000);
    if (!r) {
      stopRun(r.error().format(), "failure");
      return exitCodeFor(r.error().code);
    }
    if (!files.error().empty()) {
      std::fprintf(stderr, "simcore run: error: %s\n", files.error().c_str());
      return 1;
    }
    if (r.value() == StepState::Done) break;
    if (maxOutput > 0) {
      const std::uint64_t written = meter.total(files.files());
      if (written > maxOutput) {
        const std::size_t n = files.files().size();
        std::string message = "simcore run: error: the result files reached the output limit of " + limitText(maxOutput) +
                              " (" + sizeText(written) + " in " + std::to_string(n) + (n == 1 ? " file)" : " files)");
        if (std::isfinite(sink.lastTime)) {
          char at[64];
          std::snprintf(at, sizeof at, " at t = %.6g s", sink.lastTime);
          message += at;
        }
        message += "; raise it with --max-output SIZE (0: no limit)";
        stopRun(message, "stop");
        return 1;
      }
    }
    auto now = Clock::now();
    if (tty && now - t0 > std::chrono::seconds(1) && now - lastDraw > std::chrono::milliseconds(100)) {
      int pct = int(sim.value()->progress() * 100.0);
      int filled = pct * 30 / 100;
      std::fprintf(stderr, "\r[%.*s%*s] %3d%%", filled, "##############################", 30 - filled, "", pct);
      barShown = true;
      lastDraw = now;
    }
  }
  if (barShown) std::fprintf(stderr, "\r\033[K");
  printWarnings();
  const bool scriptFilesOk = emitScriptOutput(sim.value()->stats().script, o.scriptDir, quiet);
  // .meas results as ngspice prints them (measureLine); a failed one is a warning
  for (const MeasureResult& m : sim.value()->stats().measures) {
    if (m.ok) std::printf("%s\n", measureLine(m).c_str());
    else if (!quiet)
      std::fprintf(stderr, "%s\n", warningText(".meas '" + m.name + "' failed: " + m.error, m.loc).c_str());
  }
  double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const RunStats& st = sim.value()->stats();
  if (!quiet) {
    std::printf("%s: %s\n", input.c_str(), title.c_str());
    std::printf("  %d unknowns, %zu devices, %.3f s\n", st.unknowns, sim.value()->circuit().devices.size(), wall);
    for (const auto& f : files.files())
      std::printf("  %-5s %8zu rows -> %s%s\n", f.analysis.c_str(), f.rows, f.path.c_str(),
                  f.variant.empty() ? "" : ("  (" + f.variant + ")").c_str());
    if (!st.losses.empty() && !stats) printLossTable(st);
    // .pz: the poles and zeros as ngspice's `print all` of its pz plot (real, imaginary in rad/s)
    for (const auto& line : sink.lines) std::printf("  %s\n", line.c_str());
  }
  if (stats) printStats(st, wall);
  return scriptFilesOk ? 0 : 1;
}

}  // namespace simcore::cli
