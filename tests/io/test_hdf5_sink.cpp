// Hdf5Sink: files written in chunks, reopened with the HDF5 C API.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "simcore/io/hdf5_sink.hpp"
#include "../common/temp_dir.hpp"
#include "sink_test_util.hpp"

using namespace simcore;
using namespace simcore::io;
using simcore::io::test::feed;
using simcore::io::test::header;
using simcore::io::test::valueOf;
using simcore::testutil::TempDir;

namespace {

Hdf5RunInfo info() { return {"test circuit", sha256Hex("* net\n.end\n"), R"({"tstop":1e-3})", "j-1"}; }

struct File {
  hid_t id;
  explicit File(const std::string& p) : id(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
  ~File() {
    if (id >= 0) H5Fclose(id);
  }
};

std::string strAttr(hid_t obj, const char* name) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return "<missing>";
  hid_t t = H5Aget_type(a);
  EXPECT_TRUE(H5Tis_variable_str(t) > 0) << name;
  char* p = nullptr;
  H5Aread(a, t, &p);
  std::string s = p ? p : "";
  H5free_memory(p);
  H5Tclose(t);
  H5Aclose(a);
  return s;
}

std::vector<std::string> strsAttr(hid_t obj, const char* name) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  hid_t sp = H5Aget_space(a);
  hssize_t n = H5Sget_simple_extent_npoints(sp);
  hid_t t = H5Aget_type(a);
  std::vector<char*> p(std::size_t(n), nullptr);
  H5Aread(a, t, p.data());
  std::vector<std::string> out;
  for (char* c : p) {
    out.push_back(c);
    H5free_memory(c);
  }
  H5Tclose(t);
  H5Sclose(sp);
  H5Aclose(a);
  return out;
}

std::int64_t intAttr(hid_t obj, const char* name) {
  std::int64_t v = -1;
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_INT64, &v);
  H5Aclose(a);
  return v;
}

// The {FALSE, TRUE} enum; also checks that it is an enum (what h5py reads as bool).
bool boolAttr(hid_t obj, const char* name) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  hid_t t = H5Aget_type(a);
  EXPECT_EQ(H5Tget_class(t), H5T_ENUM) << name;
  hid_t mt = H5Tenum_create(H5T_NATIVE_INT8);
  std::int8_t f = 0, tr = 1, v = -1;
  H5Tenum_insert(mt, "FALSE", &f);
  H5Tenum_insert(mt, "TRUE", &tr);
  H5Aread(a, mt, &v);
  H5Tclose(mt);
  H5Tclose(t);
  H5Aclose(a);
  return v == 1;
}

std::vector<double> readReal(hid_t file, const std::string& name) {
  hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  if (ds < 0) return {};
  hid_t sp = H5Dget_space(ds);
  std::vector<double> v(std::size_t(H5Sget_simple_extent_npoints(sp)));
  H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Sclose(sp);
  H5Dclose(ds);
  return v;
}

struct Cx {
  double r, i;
};

std::vector<Cx> readComplex(hid_t file, const std::string& name) {
  hid_t ds = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  if (ds < 0) return {};
  hid_t ft = H5Dget_type(ds);
  EXPECT_EQ(H5Tget_class(ft), H5T_COMPOUND);
  EXPECT_EQ(H5Tget_nmembers(ft), 2);
  char* m0 = H5Tget_member_name(ft, 0);
  char* m1 = H5Tget_member_name(ft, 1);
  EXPECT_STREQ(m0, "r");
  EXPECT_STREQ(m1, "i");
  H5free_memory(m0);
  H5free_memory(m1);
  hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(Cx));
  H5Tinsert(mt, "r", HOFFSET(Cx, r), H5T_NATIVE_DOUBLE);
  H5Tinsert(mt, "i", HOFFSET(Cx, i), H5T_NATIVE_DOUBLE);
  hid_t sp = H5Dget_space(ds);
  std::vector<Cx> v(std::size_t(H5Sget_simple_extent_npoints(sp)));
  H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Sclose(sp);
  H5Tclose(mt);
  H5Tclose(ft);
  H5Dclose(ds);
  return v;
}

// Link names of the root group in creation order.
std::vector<std::string> linksInOrder(hid_t file) {
  std::vector<std::string> out;
  H5Literate(
      file, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* d) -> herr_t {
        static_cast<std::vector<std::string>*>(d)->push_back(name);
        return 0;
      },
      &out);
  return out;
}

bool isIsoUtc(const std::string& s) {  // 2025-01-02T03:04:05.678Z
  return s.size() == 24 && s[4] == '-' && s[10] == 'T' && s[19] == '.' && s.back() == 'Z';
}

}  // namespace

TEST(Hdf5Sink, Sha256TestVectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Hdf5Sink, EscapesSlashPercentAndDot) {
  EXPECT_EQ(hdf5EscapeName("v(x1.n2)"), "v(x1.n2)");
  EXPECT_EQ(hdf5EscapeName("v(a/b)"), "v(a%2Fb)");
  EXPECT_EQ(hdf5EscapeName("v(50%)"), "v(50%25)");
  EXPECT_EQ(hdf5EscapeName("."), "%2E");
  EXPECT_EQ(hdf5EscapeName(".."), "..");
}

TEST(Hdf5Sink, TransientInChunksHasNamesValuesAndAttributes) {
  const TempDir tmp("simcore-hdf5-test-");
  const std::string dir = tmp.str();
  const std::size_t nsig = 3;
  std::size_t total = 0;
  std::size_t chunkRows = 0;
  {
    Hdf5Sink s(dir, "rc", info());
    s.begin(header(AnalysisType::Tran, "time", false,
                   {{"v(out)", SignalKind::Voltage}, {"v(x1.n2)", SignalKind::Voltage}, {"i(v/in)", SignalKind::Current}}));
    chunkRows = s.chunkRows();
    // several chunks of odd sizes, crossing HDF5 chunk boundaries
    for (std::size_t n : {1u, 5u, 1000u, 7u}) {
      feed(s, nsig, total, n, false);
      total += n;
    }
    while (total < 2 * chunkRows + 3) {
      std::size_t n = std::min<std::size_t>(3000, 2 * chunkRows + 3 - total);
      feed(s, nsig, total, n, false);
      total += n;
    }
    s.end({AnalysisType::Tran, total});
    ASSERT_EQ(s.error(), "");
    ASSERT_EQ(s.files().size(), 1u);
    EXPECT_EQ(s.files()[0].path, dir + "/rc.tran.h5");
    EXPECT_EQ(s.files()[0].rows, total);
    EXPECT_FALSE(s.files()[0].partial);
  }
  File f(dir + "/rc.tran.h5");
  ASSERT_GE(f.id, 0);
  EXPECT_EQ(linksInOrder(f.id), (std::vector<std::string>{"time", "v(out)", "v(x1.n2)", "i(v%2Fin)"}));
  EXPECT_EQ(strAttr(f.id, "analysis"), "tran");
  EXPECT_EQ(strAttr(f.id, "x"), "time");
  EXPECT_FALSE(boolAttr(f.id, "complex"));
  EXPECT_EQ(strsAttr(f.id, "columns"), (std::vector<std::string>{"v(out)", "v(x1.n2)", "i(v/in)"}));
  EXPECT_EQ(strAttr(f.id, "title"), "test circuit");
  EXPECT_EQ(strAttr(f.id, "netlist_sha256"), sha256Hex("* net\n.end\n"));
  EXPECT_EQ(strAttr(f.id, "netlist_sha256").size(), 64u);
  EXPECT_EQ(strAttr(f.id, "options"), R"({"tstop":1e-3})");
  EXPECT_EQ(strAttr(f.id, "job_id"), "j-1");
  EXPECT_EQ(strAttr(f.id, "simcore_version"), SIMCORE_VERSION);
  EXPECT_TRUE(isIsoUtc(strAttr(f.id, "start_time"))) << strAttr(f.id, "start_time");
  EXPECT_TRUE(isIsoUtc(strAttr(f.id, "end_time"))) << strAttr(f.id, "end_time");
  EXPECT_LE(strAttr(f.id, "start_time"), strAttr(f.id, "end_time"));
  EXPECT_EQ(intAttr(f.id, "rows"), std::int64_t(total));
  EXPECT_FALSE(boolAttr(f.id, "partial"));

  auto t = readReal(f.id, "time");
  ASSERT_EQ(t.size(), total);
  for (std::size_t r = 0; r < total; ++r) ASSERT_EQ(t[r], double(r) * 1e-6) << r;
  const char* names[] = {"v(out)", "v(x1.n2)", "i(v%2Fin)"};
  for (std::size_t k = 0; k < nsig; ++k) {
    auto v = readReal(f.id, names[k]);
    ASSERT_EQ(v.size(), total) << names[k];
    for (std::size_t r = 0; r < total; ++r) ASSERT_EQ(v[r], valueOf(k, r)) << names[k] << " row " << r;
  }
  hid_t ds = H5Dopen2(f.id, "i(v%2Fin)", H5P_DEFAULT);
  EXPECT_EQ(strAttr(ds, "name"), "i(v/in)");
  EXPECT_EQ(strAttr(ds, "kind"), "current");
  EXPECT_EQ(strAttr(ds, "unit"), "A");
  // chunked and extendible
  hid_t pl = H5Dget_create_plist(ds);
  EXPECT_EQ(H5Pget_layout(pl), H5D_CHUNKED);
  hsize_t cdim = 0;
  H5Pget_chunk(pl, 1, &cdim);
  EXPECT_EQ(cdim, chunkRows);
  H5Pclose(pl);
  hid_t sp = H5Dget_space(ds);
  hsize_t cur = 0, mx = 0;
  H5Sget_simple_extent_dims(sp, &cur, &mx);
  EXPECT_EQ(mx, H5S_UNLIMITED);
  H5Sclose(sp);
  H5Dclose(ds);
  ds = H5Dopen2(f.id, "v(out)", H5P_DEFAULT);
  EXPECT_EQ(strAttr(ds, "kind"), "voltage");
  EXPECT_EQ(strAttr(ds, "unit"), "V");
  EXPECT_EQ(H5Aexists(ds, "name"), 0);  // only escaped names have it
  H5Dclose(ds);
  ds = H5Dopen2(f.id, "time", H5P_DEFAULT);
  EXPECT_EQ(strAttr(ds, "kind"), "time");
  EXPECT_EQ(strAttr(ds, "unit"), "s");
  H5Dclose(ds);
}

TEST(Hdf5Sink, AcIsComplexCompoundWithRealFrequency) {
  const TempDir tmp("simcore-hdf5-test-");
  const std::string dir = tmp.str();
  {
    Hdf5Sink s(dir, "filt", info());
    s.begin(header(AnalysisType::Ac, "frequency", true, {{"v(out)", SignalKind::Voltage}, {"i(vin)", SignalKind::Current}}));
    feed(s, 2, 0, 10, true);
    feed(s, 2, 10, 21, true);
    s.end({AnalysisType::Ac, 31});
    ASSERT_EQ(s.error(), "");
  }
  File f(dir + "/filt.ac.h5");
  ASSERT_GE(f.id, 0);
  EXPECT_TRUE(boolAttr(f.id, "complex"));
  EXPECT_EQ(intAttr(f.id, "rows"), 31);
  auto fr = readReal(f.id, "frequency");
  ASSERT_EQ(fr.size(), 31u);
  EXPECT_EQ(fr[30], 30.0 * 1e-6);
  for (std::size_t k = 0; k < 2; ++k) {
    auto v = readComplex(f.id, k == 0 ? "v(out)" : "i(vin)");
    ASSERT_EQ(v.size(), 31u);
    for (std::size_t r = 0; r < 31; ++r) {
      EXPECT_EQ(v[r].r, valueOf(k, r));
      EXPECT_EQ(v[r].i, -valueOf(k, r));
    }
  }
  hid_t ds = H5Dopen2(f.id, "frequency", H5P_DEFAULT);
  EXPECT_EQ(strAttr(ds, "unit"), "Hz");
  H5Dclose(ds);
}

TEST(Hdf5Sink, OpHasNoSweepDatasetAndSecondAnalysisIsNumbered) {
  const TempDir tmp("simcore-hdf5-test-");
  const std::string dir = tmp.str();
  {
    Hdf5Sink s(dir, "c", info());
    s.begin(header(AnalysisType::Op, "", false, {{"v(1)", SignalKind::Voltage}}));
    feed(s, 1, 0, 1, false, false);
    s.end({AnalysisType::Op, 1});
    s.begin(header(AnalysisType::Dc, "iin", false, {{"v(1)", SignalKind::Voltage}}));
    feed(s, 1, 0, 4, false);
    s.end({AnalysisType::Dc, 4});
    auto stepped = header(AnalysisType::Dc, "vin", false, {{"v(1)", SignalKind::Voltage}});
    stepped.variant = "r1=2000";
    s.begin(stepped);
    feed(s, 1, 0, 2, false);
    s.end({AnalysisType::Dc, 2});
    ASSERT_EQ(s.error(), "");
    ASSERT_EQ(s.files().size(), 3u);
    EXPECT_EQ(s.files()[2].path, dir + "/c.dc2.h5");
  }
  {
    File f(dir + "/c.op.h5");
    EXPECT_EQ(linksInOrder(f.id), std::vector<std::string>{"v(1)"});
    EXPECT_EQ(strAttr(f.id, "x"), "");
    EXPECT_EQ(readReal(f.id, "v(1)"), std::vector<double>{0.0});
  }
  {
    File f2(dir + "/c.dc2.h5");
    EXPECT_EQ(strAttr(f2.id, "variant"), "r1=2000");
  }
  File f(dir + "/c.dc.h5");
  EXPECT_FALSE(H5Aexists(f.id, "variant") > 0);
  hid_t ds = H5Dopen2(f.id, "iin", H5P_DEFAULT);
  EXPECT_EQ(strAttr(ds, "kind"), "current");
  EXPECT_EQ(strAttr(ds, "unit"), "A");
  H5Dclose(ds);
  EXPECT_EQ(readReal(f.id, "v(1)").size(), 4u);
}

TEST(Hdf5Sink, StoppedRunIsAValidPartialFile) {
  const TempDir tmp("simcore-hdf5-test-");
  const std::string dir = tmp.str();
  {
    Hdf5Sink s(dir, "stop", info());
    s.begin(header(AnalysisType::Tran, "time", false, {{"v(a)", SignalKind::Voltage}, {"v(b)", SignalKind::Voltage}}));
    feed(s, 2, 0, 100, false);
    feed(s, 2, 100, 23, false);
    s.finishPartial();  // what the worker does after a stop or an engine error
    ASSERT_EQ(s.error(), "");
    EXPECT_TRUE(s.files()[0].partial);
    EXPECT_EQ(s.files()[0].rows, 123u);
  }
  File f(dir + "/stop.tran.h5");
  ASSERT_GE(f.id, 0);
  EXPECT_TRUE(boolAttr(f.id, "partial"));
  EXPECT_EQ(intAttr(f.id, "rows"), 123);
  EXPECT_TRUE(isIsoUtc(strAttr(f.id, "end_time")));
  auto b = readReal(f.id, "v(b)");
  ASSERT_EQ(b.size(), 123u);
  EXPECT_EQ(b[122], valueOf(1, 122));
}

TEST(Hdf5Sink, DestructorClosesAnOpenAnalysisAsPartial) {
  const TempDir tmp("simcore-hdf5-test-");
  const std::string dir = tmp.str();
  {
    Hdf5Sink s(dir, "gone", info());
    s.begin(header(AnalysisType::Tran, "time", false, {{"v(a)", SignalKind::Voltage}}));
    feed(s, 1, 0, 50, false);
    // an exception unwinds past the sink: no end(), no finishPartial()
  }
  File f(dir + "/gone.tran.h5");
  ASSERT_GE(f.id, 0);
  EXPECT_TRUE(boolAttr(f.id, "partial"));
  EXPECT_EQ(intAttr(f.id, "rows"), 50);
  EXPECT_EQ(readReal(f.id, "v(a)").size(), 50u);
}

TEST(Hdf5Sink, FileClosedAfterAnHdf5ErrorIsReadable) {
  const TempDir tmp("simcore-hdf5-test-");
  const std::string dir = tmp.str();
  Hdf5Sink s(dir, "dup", info());
  // the same name twice: creating the second dataset fails
  s.begin(header(AnalysisType::Tran, "time", false, {{"v(a)", SignalKind::Voltage}, {"v(a)", SignalKind::Voltage}}));
  EXPECT_NE(s.error().find("cannot create the dataset 'v(a)'"), std::string::npos) << s.error();
  feed(s, 2, 0, 10, false);  // ignored once the file is closed
  s.end({AnalysisType::Tran, 10});
  ASSERT_EQ(s.files().size(), 1u);
  EXPECT_TRUE(s.files()[0].partial);
  EXPECT_EQ(s.files()[0].rows, 0u);
  File f(dir + "/dup.tran.h5");
  ASSERT_GE(f.id, 0);
  EXPECT_TRUE(boolAttr(f.id, "partial"));
  EXPECT_EQ(intAttr(f.id, "rows"), 0);
  EXPECT_EQ(readReal(f.id, "v(a)").size(), 0u);
}

TEST(Hdf5Sink, UnwritableDirectoryIsAnErrorNotACrash) {
  Hdf5Sink s("/nonexistent-simcore-dir", "x", info());
  s.begin(header(AnalysisType::Tran, "time", false, {{"v(a)", SignalKind::Voltage}}));
  feed(s, 1, 0, 3, false);
  s.end({AnalysisType::Tran, 3});
  EXPECT_NE(s.error().find("cannot create '/nonexistent-simcore-dir/x.tran.h5'"), std::string::npos) << s.error();
  EXPECT_TRUE(s.files().empty());
}

TEST(Hdf5Sink, TenThousandSignalsFitTheColumnsAttribute) {
  const TempDir tmp("simcore-hdf5-test-");
  const std::string dir = tmp.str();
  const std::size_t nsig = 10001;  // rc_ladder_10k: `columns` is far over the 64 KiB of a compact attribute
  std::vector<SignalInfo> sigs;
  for (std::size_t k = 0; k < nsig; ++k) sigs.push_back({"v(x" + std::to_string(k) + ".n)", SignalKind::Voltage});
  {
    Hdf5Sink s(dir, "big", info());
    s.begin(header(AnalysisType::Tran, "time", false, sigs));
    ASSERT_EQ(s.error(), "");
    feed(s, nsig, 0, 3, false);
    feed(s, nsig, 3, 2, false);
    s.end({AnalysisType::Tran, 5});
    ASSERT_EQ(s.error(), "");
  }
  File f(dir + "/big.tran.h5");
  auto cols = strsAttr(f.id, "columns");
  ASSERT_EQ(cols.size(), nsig);
  EXPECT_EQ(cols[nsig - 1], sigs[nsig - 1].name);
  auto v = readReal(f.id, sigs[nsig - 1].name);
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v[4], valueOf(nsig - 1, 4));
}
