#include "jobs/result_rebuild.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <google/protobuf/util/json_util.h>

#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "jobs/framing.hpp"
#include "jobs/parquet_files.hpp"
#include "simcore/io/writers.hpp"
#if SIMCORE_HAVE_HDF5
#include "simcore/io/hdf5_sink.hpp"
#endif
#include "simcore/simulate.hpp"

namespace simcore::server {

namespace pb = ::simcore::v1;

std::string hdf5OptionsJson(const pb::SimulationOptions& options,
                            const google::protobuf::Map<std::string, double>& params) {
  pb::SimulationOptions o = options;
  o.mutable_params()->clear();
  o.mutable_params()->insert(params.begin(), params.end());
  google::protobuf::util::JsonPrintOptions jo;
  jo.preserve_proto_field_names = true;
  jo.always_print_primitive_fields = true;  // also the defaults: the file says what ran
  std::string s;
  if (!google::protobuf::util::MessageToJsonString(o, &s, jo).ok()) return "{}";
  return s;
}

namespace {

AnalysisType analysisTypeOf(pb::AnalysisType t) {
  switch (t) {
    case pb::ANALYSIS_TYPE_DC: return AnalysisType::Dc;
    case pb::ANALYSIS_TYPE_AC: return AnalysisType::Ac;
    case pb::ANALYSIS_TYPE_TRAN: return AnalysisType::Tran;
    case pb::ANALYSIS_TYPE_PSS: return AnalysisType::Pss;
    case pb::ANALYSIS_TYPE_FRA: return AnalysisType::Fra;
    case pb::ANALYSIS_TYPE_LOSSES: return AnalysisType::Losses;
    case pb::ANALYSIS_TYPE_NOISE: return AnalysisType::Noise;
    case pb::ANALYSIS_TYPE_NOISE_TOTAL: return AnalysisType::NoiseTotal;
    case pb::ANALYSIS_TYPE_PSS_SPECTRUM: return AnalysisType::PssSpectrum;
    case pb::ANALYSIS_TYPE_SENS: return AnalysisType::Sens;
    case pb::ANALYSIS_TYPE_SP: return AnalysisType::Sp;
    case pb::ANALYSIS_TYPE_TF: return AnalysisType::Tf;
    case pb::ANALYSIS_TYPE_PZ: return AnalysisType::Pz;
    default: return AnalysisType::Op;
  }
}

// The netlist's title: its first line, as the parser takes it.
std::string titleOf(const std::string& netlist) {
  std::string t = netlist.substr(0, netlist.find('\n'));
  while (!t.empty() && (t.back() == '\r' || t.back() == ' ' || t.back() == '\t')) t.pop_back();
  return t;
}

bool endsWith(const std::string& s, const char* suffix) {
  std::size_t n = std::char_traits<char>::length(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

void removeOldFiles(const std::string& dir, const std::string& stem) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> victims;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n.rfind(stem + ".", 0) != 0) continue;
    if (endsWith(n, ".csv") || endsWith(n, ".raw") || endsWith(n, ".json") || endsWith(n, ".h5") ||
        endsWith(n, ".parquet"))
      victims.push_back(dir + "/" + n);
  }
  ::closedir(d);
  for (const auto& v : victims) ::unlink(v.c_str());
}

// Forwards to several result sinks.
class Fan final : public SampleSink {
 public:
  explicit Fan(std::vector<io::ResultSink*> s) : s_(std::move(s)) {}
  void begin(const AnalysisHeader& h) override {
    for (auto* x : s_) x->begin(h);
  }
  void chunk(const Chunk& c) override {
    for (auto* x : s_) x->chunk(c);
  }
  void end(const AnalysisSummary& a) override {
    for (auto* x : s_) x->end(a);
  }
  void finishPartial() {
    for (auto* x : s_) x->finishPartial();
  }
  std::string error() const {
    for (auto* x : s_)
      if (!x->error().empty()) return x->error();
    return {};
  }
  int files() const {
    int n = 0;
    for (auto* x : s_) n += static_cast<int>(x->files().size());
    return n;
  }
  void rowsByFile(std::map<std::string, std::int64_t>& out) const {
    for (auto* x : s_)
      for (const auto& f : x->files()) {
        auto slash = f.path.rfind('/');
        out[slash == std::string::npos ? f.path : f.path.substr(slash + 1)] = static_cast<std::int64_t>(f.rows);
      }
  }

 private:
  std::vector<io::ResultSink*> s_;
};

}  // namespace

void applyRows(const RebuildOutcome& rebuilt, pb::Job& job) {
  for (auto& r : *job.mutable_results()) {
    auto it = rebuilt.rowsByFile.find(r.name());
    if (it != rebuilt.rowsByFile.end()) r.set_rows(it->second);
  }
}

RebuildOutcome rebuildResultsFromStream(const std::string& dir, const std::string& stem, const std::string& netlist,
                                        const std::string& optionsJson, const std::string& jobId) {
  RebuildOutcome out;
  const std::string log = dir + "/stream.frames";
  int fd = ::open(log.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;  // the job never streamed: nothing to write
  removeOldFiles(dir, stem);
  {
    const std::string title = titleOf(netlist);
    io::FileSink csv(dir, stem, io::Format::Csv, title);
    io::FileSink raw(dir, stem, io::Format::Raw, title);
    io::FileSink json(dir, stem, io::Format::Json, title);
    std::vector<io::ResultSink*> sinks = {&csv, &raw, &json};
#if SIMCORE_HAVE_HDF5
    io::Hdf5Sink h5(dir, stem, io::Hdf5RunInfo{title, io::sha256Hex(netlist), optionsJson, jobId});
    sinks.push_back(&h5);
#endif
    io::RunInfo info;
    info.title = title;
    info.optionsJson = optionsJson;
    info.jobId = jobId;
    // the parameters are the options' "params" (hdf5OptionsJson)
    auto o = nlohmann::json::parse(optionsJson, nullptr, false);
    if (o.is_object() && o.contains("params") && o["params"].is_object()) info.parametersJson = o["params"].dump();
    std::unique_ptr<io::ResultSink> parquet = openParquetSink(dir, stem, info, netlist);
    if (parquet) sinks.push_back(parquet.get());
    Fan sink(sinks);
    FrameReader reader(fd);
    Frame f;
    bool open = false;
    AnalysisType type = AnalysisType::Op;
    std::size_t rows = 0;
    // A torn last frame (the worker died while writing it) ends the log.
    while (reader.read(f) == ReadStatus::Frame) {
      if (f.type != FrameType::Chunk) continue;
      pb::WaveformChunk c;
      if (!c.ParseFromString(f.payload)) break;
      if (c.has_header()) {
        if (open) sink.finishPartial();
        AnalysisHeader h;
        h.type = type = analysisTypeOf(c.header().type());
        h.index = c.analysis_index();
        h.xName = c.header().x_name();
        h.variant = c.header().variant();
        h.complex = c.header().complex();
        for (const auto& s : c.header().signals())
          h.signals.push_back({s.name(), s.kind() == pb::SIGNAL_KIND_CURRENT ? SignalKind::Current : SignalKind::Voltage});
        sink.begin(h);
        open = true;
        rows = 0;
      }
      if (!open) continue;
      if (c.rows() > 0) {
        Chunk ch;
        ch.rows = c.rows();
        ch.x = std::span<const double>(c.x().data(), static_cast<std::size_t>(c.x().size()));
        for (const auto& v : c.values()) {
          ch.re.emplace_back(v.re().data(), static_cast<std::size_t>(v.re().size()));
          if (v.im_size() > 0) ch.im.emplace_back(v.im().data(), static_cast<std::size_t>(v.im().size()));
        }
        sink.chunk(ch);
        rows += c.rows();
        out.rows += c.rows();
      }
      if (c.analysis_end()) {
        sink.end(AnalysisSummary{type, rows});
        open = false;
      }
      if (!sink.error().empty()) break;
    }
    if (open) sink.finishPartial();
    out.files = sink.files();
    sink.rowsByFile(out.rowsByFile);
    out.error = sink.error();
  }
  ::close(fd);
  return out;
}

}  // namespace simcore::server
