// `simcore run`: read a netlist (the only place files are opened), run every
// analysis with the engine's stepper, write one result file per analysis.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "simcore/simulate.hpp"
#include "simcore/io/writers.hpp"

namespace simcore::cli {

namespace {

using Clock = std::chrono::steady_clock;

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

std::string dirOf(const std::string& path) {
  auto p = path.rfind('/');
  return p == std::string::npos ? "." : (p == 0 ? "/" : path.substr(0, p));
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
  if (!s.opStrategies.empty()) {
    std::fprintf(stderr, "  operating points:");
    for (const auto& o : s.opStrategies) std::fprintf(stderr, " %s;", o.c_str());
    std::fprintf(stderr, "\n");
  }
}

}  // namespace

void printUsage(std::FILE* out) {
  std::fprintf(out,
               "simcore %s - SPICE-class circuit simulator\n"
               "\n"
               "usage:\n"
               "  simcore run CIRCUIT.cir [options]   run every analysis of the netlist ('-' reads stdin)\n"
               "  simcore serve [--data-dir DIR] [--bind ADDR] [--grpc-port N] [--http-port N] [--web-dir DIR]\n"
               "                [--limits-file F] [--insecure-no-auth] ...\n"
               "                                      server: gRPC, and on the HTTP port the web app, gRPC-Web,\n"
               "                                      Connect, /healthz, /metrics (see docs/server.md)\n"
               "  simcore token --data-dir DIR --user NAME [--role admin]\n"
               "                                      print a token for that server\n"
               "  simcore --version\n"
               "\n"
               "run options:\n"
               "  --out DIR            write results into DIR (created if needed; default: .)\n"
               "                       one file per analysis: DIR/<stem>.<op|dc|ac|tran>.<ext>\n"
               "  --format FMT         csv (default), json, raw (ngspice binary raw) or hdf5\n"
               "  --save SIG,...       only these signals, e.g. v(out),i(vin) (default: .save cards,\n"
               "                       else every node voltage and voltage-source current)\n"
               "  --interpolate        transient rows on the .tran tstep grid instead of every accepted step\n"
               "  --max-points N       stop a transient after N time points (exit status 1; rows so far are kept)\n"
               "  --stats              print run statistics to stderr\n"
               "  --quiet              print nothing but errors\n"
               "\n"
               "exit status: 0 ok, 1 simulation failure, 2 bad input or usage\n",
               SIMCORE_VERSION);
}

int runCommand(const std::vector<std::string>& args) {
  std::string input, outDir = ".", formatName = "csv";
  std::vector<std::string> save;
  bool quiet = false, stats = false, interpolate = false;
  long long maxPoints = 0;
  auto usage = [](const std::string& msg) {
    std::fprintf(stderr, "simcore run: error: %s\n", msg.c_str());
    std::fprintf(stderr, "try 'simcore --help'\n");
    return 2;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& dst) {
      if (i + 1 >= args.size()) return false;
      dst = args[++i];
      return true;
    };
    if (a == "--out" || a == "-o") {
      if (!value(outDir)) return usage("--out needs a directory");
    } else if (a.rfind("--out=", 0) == 0) {
      outDir = a.substr(6);
    } else if (a == "--format") {
      if (!value(formatName)) return usage("--format needs csv, json, raw or hdf5");
    } else if (a.rfind("--format=", 0) == 0) {
      formatName = a.substr(9);
    } else if (a == "--save" || a.rfind("--save=", 0) == 0) {
      std::string list;
      if (a == "--save") {
        if (!value(list)) return usage("--save needs a list of signals");
      } else {
        list = a.substr(7);
      }
      std::size_t p = 0;
      // split on commas that are not inside parentheses
      int depth = 0;
      std::string cur;
      for (; p < list.size(); ++p) {
        char c = list[p];
        if (c == '(') depth++;
        if (c == ')') depth--;
        if (c == ',' && depth == 0) {
          if (!cur.empty()) save.push_back(cur);
          cur.clear();
        } else {
          cur += c;
        }
      }
      if (!cur.empty()) save.push_back(cur);
    } else if (a == "--max-points") {
      std::string v;
      if (!value(v)) return usage("--max-points needs a number");
      char* end = nullptr;
      maxPoints = std::strtoll(v.c_str(), &end, 10);
      if (!end || *end || maxPoints < 1) return usage("--max-points needs a positive integer, got '" + v + "'");
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "--stats") {
      stats = true;
    } else if (a == "--interpolate") {
      interpolate = true;
    } else if (a == "--help" || a == "-h") {
      printUsage(stdout);
      return 0;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return usage("unknown option '" + a + "'");
    } else if (input.empty()) {
      input = a;
    } else {
      return usage("only one netlist file may be given (got '" + input + "' and '" + a + "')");
    }
  }
  if (input.empty()) return usage("no netlist file given");
  const std::optional<io::Format> fmt = io::parseFormat(formatName);
  if (!fmt) return usage("unknown format '" + formatName + "' (expected csv, json, raw or hdf5)");
  if (*fmt == io::Format::Hdf5 && !io::hdf5Available())
    return usage("this simcore was built without HDF5 (install libhdf5-dev and rebuild)");

  auto t0 = Clock::now();
  std::string text, err;
  if (!readFile(input, text, err)) {
    std::fprintf(stderr, "%s: error: cannot read the netlist: %s\n", input.c_str(), err.c_str());
    return 2;
  }
  ir::ParseOptions po;
  po.fileName = input == "-" ? "<stdin>" : input;
  po.resolver = [](std::string_view path, std::string_view from) -> Result<ir::ResolvedFile> {
    std::string p(path);
    if (p.empty() || p[0] != '/') {
      std::string f(from);
      std::string base = (f == "<stdin>") ? "." : dirOf(f);
      p = base + "/" + p;
    }
    std::string body, e;
    if (!readFile(p, body, e)) return makeError(ErrorCode::Semantic, p + ": " + e);
    return ir::ResolvedFile{p, std::move(body)};
  };
  auto circuit = ir::parseNetlist(text, po);
  if (!circuit) {
    std::fprintf(stderr, "%s\n", circuit.error().format().c_str());
    return exitCodeFor(circuit.error().code);
  }
  if (!quiet)
    for (const auto& w : circuit.value().warnings)
      std::fprintf(stderr, "%s\n", Error{ErrorCode::Parse, "warning: " + w.message, w.loc}.format().c_str());
  std::string title = circuit.value().title;

  SimulationOptions so;
  so.save = save;
  so.maxTimePoints = maxPoints;
  auto sim = Simulation::create(std::move(circuit.value()), so);
  if (!sim) {
    std::fprintf(stderr, "%s\n", sim.error().format().c_str());
    return exitCodeFor(sim.error().code);
  }
  if (!makeDirs(outDir, err)) {
    std::fprintf(stderr, "simcore run: error: %s\n", err.c_str());
    return 2;
  }
  auto opened = io::openResultSink(*fmt, outDir, input == "-" ? "stdin" : stemOf(input), title,
                                   io::Hdf5RunInfo{title, io::sha256Hex(text), "{}", ""});
  if (!opened) {
    std::fprintf(stderr, "simcore run: error: %s\n", opened.error().message.c_str());
    return 2;
  }
  io::ResultSink& files = *opened.value();
  io::InterpolatingSink interp(files, sim.value()->circuit());
  SampleSink& sink = interpolate ? static_cast<SampleSink&>(interp) : static_cast<SampleSink&>(files);

  const bool tty = !quiet && ::isatty(2);
  bool barShown = false;
  auto lastDraw = Clock::now();
  while (true) {
    auto r = sim.value()->advance(sink, 2000);
    if (!r) {
      if (barShown) std::fprintf(stderr, "\r\033[K");
      std::fprintf(stderr, "%s\n", r.error().format().c_str());
      files.finishPartial();
      for (const auto& f : files.files())
        if (f.partial && f.rows > 0)
          std::fprintf(stderr, "note: the %zu rows computed before the failure are in %s\n", f.rows, f.path.c_str());
      if (stats) printStats(sim.value()->stats(), std::chrono::duration<double>(Clock::now() - t0).count());
      return exitCodeFor(r.error().code);
    }
    if (!files.error().empty()) {
      std::fprintf(stderr, "simcore run: error: %s\n", files.error().c_str());
      return 1;
    }
    if (r.value() == StepState::Done) break;
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
  double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const RunStats& st = sim.value()->stats();
  if (!quiet) {
    std::printf("%s: %s\n", input.c_str(), title.c_str());
    std::printf("  %d unknowns, %zu devices, %.3f s\n", st.unknowns, sim.value()->circuit().devices.size(), wall);
    for (const auto& f : files.files())
      std::printf("  %-5s %8zu rows -> %s\n", f.analysis.c_str(), f.rows, f.path.c_str());
  }
  if (stats) printStats(st, wall);
  return 0;
}

}  // namespace simcore::cli
