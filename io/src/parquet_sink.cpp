#include "simcore/io/parquet_sink.hpp"

// simcore_io_parquet only: built when the pyarrow wheel's Arrow/Parquet C++
// libraries were found (io/CMakeLists.txt).

#include <arrow/io/file.h>
#include <arrow/util/key_value_metadata.h>
#include <parquet/api/writer.h>

#include <algorithm>
#include <exception>

namespace simcore::io {

struct ParquetSink::Open {
  AnalysisHeader header;
  std::string startTime;
  std::shared_ptr<arrow::io::FileOutputStream> out;
  std::unique_ptr<parquet::ParquetFileWriter> writer;
  std::size_t columns = 0;      // file columns (x + signals, x2 for complex)
  std::size_t groupRows = 0;    // rows per row group
  std::size_t fill = 0;         // rows buffered
  std::size_t rows = 0;         // rows received
  std::vector<double> buf;      // [column][groupRows]
};

ParquetSink::ParquetSink(std::string dir, std::string stem, RunInfo info)
    : dir_(std::move(dir)), stem_(std::move(stem)), info_(std::move(info)) {}

ParquetSink::~ParquetSink() { finishPartial(); }

void ParquetSink::fail(const std::string& what) {
  if (error_.empty()) error_ = what;
}

void ParquetSink::begin(const AnalysisHeader& h) {
  if (open_) close(true);
  const char* name = analysisName(h.type);
  const int n = ++seen_[std::size_t(h.type)];
  const std::string path = dir_ + "/" + resultFileName(stem_, h.type, n, Format::Parquet);
  auto o = std::make_unique<Open>();
  o->header = h;
  o->startTime = isoTimeNow();
  try {
    parquet::schema::NodeVector fields;
    for (const auto& c : parquetColumns(h))
      fields.push_back(parquet::schema::PrimitiveNode::Make(c.name, parquet::Repetition::REQUIRED,
                                                            parquet::Type::DOUBLE));
    o->columns = fields.size();
    auto schema = std::static_pointer_cast<parquet::schema::GroupNode>(
        parquet::schema::GroupNode::Make("simcore", parquet::Repetition::REQUIRED, fields));
    auto props = parquet::WriterProperties::Builder()
                     .compression(parquet::Compression::ZSTD)
                     ->disable_dictionary()
                     ->encoding(parquet::Encoding::BYTE_STREAM_SPLIT)
                     ->created_by(std::string("simcore ") + SIMCORE_VERSION)
                     ->build();
    auto out = arrow::io::FileOutputStream::Open(path);
    if (!out.ok()) {
      fail("cannot create '" + path + "': " + out.status().message());
      return;
    }
    o->out = *out;
    o->writer = parquet::ParquetFileWriter::Open(o->out, schema, props);
  } catch (const std::exception& e) {
    fail("cannot create '" + path + "': " + e.what());
    return;
  }
  o->groupRows = std::max<std::size_t>(1024, kRowGroupBytes / (sizeof(double) * std::max<std::size_t>(1, o->columns)));
  o->buf.assign(o->groupRows * o->columns, 0.0);
  files_.push_back({path, name, 0, true, {}, h.variant});
  open_ = std::move(o);
}

void ParquetSink::chunk(const Chunk& c) {
  if (!open_) return;
  Open& o = *open_;
  const bool hasX = !o.header.xName.empty();
  const bool cx = o.header.complex;
  for (std::size_t r0 = 0; r0 < c.rows;) {
    const std::size_t n = std::min(c.rows - r0, o.groupRows - o.fill);
    std::size_t col = 0;
    auto put = [&](const double* src) {
      double* dst = &o.buf[col * o.groupRows + o.fill];
      if (src) std::copy_n(src, n, dst);
      else std::fill_n(dst, n, 0.0);
      ++col;
    };
    if (hasX) put(c.x.size() >= r0 + n ? c.x.data() + r0 : nullptr);
    for (std::size_t k = 0; k < o.header.signals.size(); ++k) {
      put(k < c.re.size() && c.re[k].size() >= r0 + n ? c.re[k].data() + r0 : nullptr);
      if (cx) put(k < c.im.size() && c.im[k].size() >= r0 + n ? c.im[k].data() + r0 : nullptr);
    }
    o.fill += n;
    o.rows += n;
    r0 += n;
    if (o.fill == o.groupRows && !flushGroup()) {
      close(true);
      return;
    }
  }
}

bool ParquetSink::flushGroup() {
  Open& o = *open_;
  if (o.fill == 0) return true;
  try {
    parquet::RowGroupWriter* rg = o.writer->AppendRowGroup();
    for (std::size_t col = 0; col < o.columns; ++col) {
      auto* w = static_cast<parquet::DoubleWriter*>(rg->NextColumn());
      w->WriteBatch(static_cast<std::int64_t>(o.fill), nullptr, nullptr, &o.buf[col * o.groupRows]);
    }
    rg->Close();
  } catch (const std::exception& e) {
    fail("cannot write rows to '" + files_.back().path + "': " + e.what());
    o.fill = 0;
    return false;
  }
  o.fill = 0;
  return true;
}

void ParquetSink::end(const AnalysisSummary&) {
  if (open_) close(false);
}

void ParquetSink::finishPartial() {
  if (open_) close(true);
}

void ParquetSink::close(bool partial) {
  Open& o = *open_;
  bool ok = flushGroup();
  if (!ok) partial = true;
  try {
    auto kv = std::make_shared<arrow::KeyValueMetadata>();
    for (auto& [k, v] : parquetMetadata(o.header, info_, o.startTime, isoTimeNow(), o.rows, partial)) kv->Append(k, v);
    o.writer->AddKeyValueMetadata(kv);
    o.writer->Close();
    auto st = o.out->Close();
    if (!st.ok()) {
      fail("cannot close '" + files_.back().path + "': " + st.message());
      ok = false;
    }
  } catch (const std::exception& e) {
    fail("cannot close '" + files_.back().path + "': " + e.what());
    ok = false;
  }
  files_.back().rows = o.rows;
  files_.back().partial = partial || !ok;
  open_.reset();
}

}  // namespace simcore::io
