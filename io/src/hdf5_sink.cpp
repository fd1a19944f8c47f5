#include "simcore/io/hdf5_sink.hpp"

// simcore_io_hdf5 only: built when libhdf5 (and libcrypto) are found (io/CMakeLists.txt).

#include <hdf5.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <ctime>
#include <type_traits>

namespace simcore::io {

static_assert(std::is_same_v<hid_t, std::int64_t>, "Hdf5Sink stores hid_t as int64 (HDF5 >= 1.10)");

namespace {

// Chunk size: one chunk of every dataset together at most this many bytes.
// The sink holds the chunk being filled of every dataset, so this bounds the
// memory; the last chunk of a dataset is stored whole, so it also bounds the
// unused space in a file. Larger chunks mean fewer HDF5 calls.
constexpr std::size_t kChunkBudgetBytes = 2u << 20;
constexpr std::size_t kMinChunkRows = 128, kMaxChunkRows = 16384;

// The first message of HDF5's error stack (automatic printing is off).
std::string hdf5Message() {
  std::string msg;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned n, const H5E_error2_t* e, void* data) -> herr_t {
        auto* m = static_cast<std::string*>(data);
        if (n == 0 && e && e->desc) *m = e->desc;
        return 0;
      },
      &msg);
  H5Eclear2(H5E_DEFAULT);
  return msg;
}

// Owns one hid_t and closes it with the matching H5?close.
class Handle {
 public:
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), closer_(closer) {}
  ~Handle() {
    if (id_ >= 0) closer_(id_);
  }
  Handle(Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = -1; }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*closer_)(hid_t);
};

Handle stringType() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

Handle boolType() {
  Handle t(H5Tenum_create(H5T_NATIVE_INT8), H5Tclose);
  std::int8_t f = 0, tr = 1;
  H5Tenum_insert(t.get(), "FALSE", &f);
  H5Tenum_insert(t.get(), "TRUE", &tr);
  return t;
}

// Writes (or replaces) attribute `name` of `obj`.
bool putAttr(hid_t obj, const char* name, hid_t type, hid_t space, const void* value) {
  if (H5Aexists(obj, name) > 0 && H5Adelete(obj, name) < 0) return false;
  Handle a(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  return a.ok() && H5Awrite(a.get(), type, value) >= 0;
}

bool putString(hid_t obj, const char* name, const std::string& v) {
  Handle t = stringType();
  Handle s(H5Screate(H5S_SCALAR), H5Sclose);
  const char* p = v.c_str();
  return putAttr(obj, name, t.get(), s.get(), &p);
}

bool putStrings(hid_t obj, const char* name, const std::vector<std::string>& v) {
  Handle t = stringType();
  hsize_t n = v.size();
  if (n == 0) {
    // an empty list (the columns of a circuit without devices): HDF5's null dataspace, nothing to write
    if (H5Aexists(obj, name) > 0 && H5Adelete(obj, name) < 0) return false;
    Handle nul(H5Screate(H5S_NULL), H5Sclose);
    Handle a(H5Acreate2(obj, name, t.get(), nul.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    return a.ok();
  }
  Handle s(H5Screate_simple(1, &n, nullptr), H5Sclose);
  std::vector<const char*> p;
  for (const auto& x : v) p.push_back(x.c_str());
  return putAttr(obj, name, t.get(), s.get(), p.data());
}

bool putBool(hid_t obj, const char* name, bool v) {
  Handle t = boolType();
  Handle s(H5Screate(H5S_SCALAR), H5Sclose);
  std::int8_t b = v ? 1 : 0;
  return putAttr(obj, name, t.get(), s.get(), &b);
}

bool putInt(hid_t obj, const char* name, std::int64_t v) {
  Handle s(H5Screate(H5S_SCALAR), H5Sclose);
  return putAttr(obj, name, H5T_STD_I64LE, s.get(), &v);
}

}  // namespace


std::string hdf5EscapeName(std::string_view name) {
  if (name == ".") return "%2E";
  std::string out;
  for (char c : name) {
    if (c == '%') out += "%25";
    else if (c == '/') out += "%2F";
    else out += c;
  }
  return out;
}

Hdf5Sink::Hdf5Sink(std::string dir, std::string stem, Hdf5RunInfo info)
    : dir_(std::move(dir)), stem_(std::move(stem)), info_(std::move(info)) {
  // Errors are reported through error(), not printed by the library.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Hdf5Sink::~Hdf5Sink() { finishPartial(); }

void Hdf5Sink::fail(const std::string& what) {
  if (error_.empty()) {
    std::string m = hdf5Message();
    error_ = what + (m.empty() ? "" : ": " + m);
  }
}

void Hdf5Sink::begin(const AnalysisHeader& h) {
  if (file_ >= 0) close(true);
  const char* name = analysisName(h.type);
  int n = ++seen_[std::size_t(h.type)];
  std::string path = dir_ + "/" + stem_ + "." + name + (n > 1 ? std::to_string(n) : "") + ".h5";
  complex_ = h.complex;
  hasX_ = !h.xName.empty();
  rows_ = 0;
  fill_ = 0;
  const std::size_t elem = complex_ ? 2 * sizeof(double) : sizeof(double);
  const std::size_t perRow = elem * (h.signals.size() + 1);
  chunkRows_ = std::clamp(std::bit_floor(std::max<std::size_t>(1, kChunkBudgetBytes / perRow)), kMinChunkRows,
                          kMaxChunkRows);
  block_.assign(chunkRows_ * h.signals.size() * (complex_ ? 2 : 1), 0.0);
  xBlock_.assign(hasX_ ? chunkRows_ : 0, 0.0);

  Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
  H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG);  // H5Fclose also closes what an error path left open
  // The 1.10 file format: dense attribute storage (`columns` of 10 000
  // signals is over 64 KiB) and the extensible-array chunk index, made for
  // appending along one unlimited dimension. Readers need HDF5 >= 1.10.
  H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V110, H5F_LIBVER_LATEST);
  file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get());
  if (file_ < 0) {
    fail("cannot create '" + path + "'");
    return;
  }
  files_.push_back({path, name, 0, true, {}, h.variant});

  // little-endian float64; h5py maps the {r, i} compound to complex128
  Handle fileType(complex_ ? H5Tcreate(H5T_COMPOUND, 16) : H5Tcopy(H5T_IEEE_F64LE), H5Tclose);
  if (complex_) {
    H5Tinsert(fileType.get(), "r", 0, H5T_IEEE_F64LE);
    H5Tinsert(fileType.get(), "i", 8, H5T_IEEE_F64LE);
  }

  hid_t root = file_;
  std::vector<std::string> columns;
  for (const auto& s : h.signals) columns.push_back(s.name);
  bool ok = putString(root, "analysis", name) && putString(root, "x", h.xName) && putBool(root, "complex", complex_) &&
            putStrings(root, "columns", columns) && putString(root, "title", info_.title) &&
            putString(root, "netlist_sha256", info_.netlistSha256) && putString(root, "options", info_.optionsJson) &&
            putString(root, "job_id", info_.jobId) && putString(root, "simcore_version", SIMCORE_VERSION) &&
            putString(root, "start_time", isoTimeNow()) && putString(root, "end_time", "") && putInt(root, "rows", 0) &&
            putBool(root, "partial", true);
  // a run on a circuit variant (.step point, .temp value): its label
  if (ok && !h.variant.empty()) ok = putString(root, "variant", h.variant);
  if (!ok) {
    fail("cannot write the attributes of '" + path + "'");
    close(true);
    return;
  }

  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  hsize_t cdim = chunkRows_;
  H5Pset_chunk(dcpl.get(), 1, &cdim);
  H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER);  // every element is written
  Handle dapl(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose);
  H5Pset_chunk_cache(dapl.get(), 0, 0, 1.0);  // whole chunks are written directly
  hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  Handle space(H5Screate_simple(1, &zero, &unlimited), H5Sclose);

  auto create = [&](const std::string& signal, hid_t type, const char* kind, const char* unit) -> bool {
    const std::string escaped = hdf5EscapeName(signal);
    hid_t ds = H5Dcreate2(file_, escaped.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), dapl.get());
    if (ds < 0) return false;
    sets_.push_back(ds);
    return putString(ds, "kind", kind) && putString(ds, "unit", unit) &&
           (escaped == signal || putString(ds, "name", signal));
  };
  if (hasX_) {
    Quantity q = sweepQuantity(h.type, h.xName);
    // the sweep variable is real also in an AC file
    if (!create(h.xName, H5T_IEEE_F64LE, q.kind, q.unit)) {
      fail("cannot create the dataset '" + h.xName + "' in '" + path + "'");
      close(true);
      return;
    }
  }
  for (const auto& s : h.signals) {
    Quantity q = signalQuantity(s.kind);
    if (!create(s.name, fileType.get(), q.kind, q.unit)) {
      fail("cannot create the dataset '" + s.name + "' in '" + path + "'");
      close(true);
      return;
    }
  }
}

void Hdf5Sink::chunk(const Chunk& c) {
  if (file_ < 0) return;
  const std::size_t k0 = hasX_ ? 1 : 0;
  const std::size_t w = complex_ ? 2 : 1;
  for (std::size_t r0 = 0; r0 < c.rows;) {
    const std::size_t n = std::min(c.rows - r0, chunkRows_ - fill_);
    if (hasX_) {
      if (c.x.size() < r0 + n) break;
      std::copy_n(c.x.data() + r0, n, &xBlock_[fill_]);
    }
    for (std::size_t k = 0; k < c.re.size() && k0 + k < sets_.size(); ++k) {
      double* dst = &block_[(k * chunkRows_ + fill_) * w];
      const double* re = c.re[k].data() + r0;
      if (complex_) {
        const double* im = k < c.im.size() && !c.im[k].empty() ? c.im[k].data() + r0 : nullptr;
        for (std::size_t r = 0; r < n; ++r) {
          dst[2 * r] = re[r];
          dst[2 * r + 1] = im ? im[r] : 0.0;
        }
      } else {
        std::copy_n(re, n, dst);
      }
    }
    fill_ += n;
    rows_ += n;
    r0 += n;
    if (fill_ == chunkRows_ && !flushBlock()) {
      fail("cannot append rows to '" + files_.back().path + "'");
      close(true);
      return;
    }
  }
}

bool Hdf5Sink::flushBlock() {
  if (fill_ == 0) return true;
  // Whole chunks go straight to the file (H5Dwrite_chunk: no selection, no
  // conversion, no chunk cache); the unused tail of a last chunk is zeros.
  // The memory layout is the file's: little-endian float64, {r, i} pairs.
  static_assert(std::endian::native == std::endian::little, "Hdf5Sink writes native doubles as IEEE F64LE");
  const std::size_t w = complex_ ? 2 : 1;
  if (fill_ < chunkRows_) {
    if (hasX_) std::fill(xBlock_.begin() + std::ptrdiff_t(fill_), xBlock_.end(), 0.0);
    for (std::size_t k = 0; k + (hasX_ ? 1 : 0) < sets_.size(); ++k)
      std::fill_n(&block_[(k * chunkRows_ + fill_) * w], (chunkRows_ - fill_) * w, 0.0);
  }
  const hsize_t start = rows_ - fill_, grown = start + chunkRows_;
  bool ok = true;
  for (std::size_t j = 0; ok && j < sets_.size(); ++j) {
    const bool isX = hasX_ && j == 0;
    const std::size_t k = j - (hasX_ ? 1 : 0);
    const void* data = isX ? static_cast<const void*>(xBlock_.data()) : &block_[k * chunkRows_ * w];
    const std::size_t bytes = chunkRows_ * sizeof(double) * (isX ? 1 : w);
    ok = H5Dset_extent(sets_[j], &grown) >= 0 && H5Dwrite_chunk(sets_[j], H5P_DEFAULT, 0, &start, bytes, data) >= 0;
  }
  fill_ = 0;
  return ok;
}

void Hdf5Sink::end(const AnalysisSummary&) {
  if (file_ >= 0) close(false);
}

void Hdf5Sink::finishPartial() {
  if (file_ >= 0) close(true);
}

void Hdf5Sink::close(bool partial) {
  bool ok = flushBlock();
  ok = putString(file_, "end_time", isoTimeNow()) && putInt(file_, "rows", std::int64_t(rows_)) &&
            putBool(file_, "partial", partial) && ok;
  // the extent grows by whole chunks; cut it to the rows written
  hsize_t rows = rows_;
  for (hid_t ds : sets_) ok = H5Dset_extent(ds, &rows) >= 0 && H5Dclose(ds) >= 0 && ok;
  sets_.clear();
  ok = H5Fclose(file_) >= 0 && ok;
  file_ = -1;
  chunkRows_ = 0;
  if (!files_.empty()) {
    files_.back().rows = rows_;
    files_.back().partial = partial;
  }
  if (!ok) fail("cannot close '" + (files_.empty() ? std::string("the HDF5 file") : files_.back().path) + "'");
}

}  // namespace simcore::io

