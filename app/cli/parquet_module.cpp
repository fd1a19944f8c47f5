// libsimcore_parquet.so: the Parquet writer of `simcore run --format parquet`
// and of the server's jobs. A module beside the executable, loaded only when
// Parquet is written (cli/module.hpp), so that nothing else loads Arrow's
// libraries. Same build, same compiler as the executable: the sink crosses as
// a C++ object and is deleted through ResultSink's virtual destructor.
#include <string>
#include <string_view>

#include "simcore/io/parquet_sink.hpp"
#include "simcore/io/sha256.hpp"

// `info.netlistSha256` is computed here from `netlist` when empty.
extern "C" __attribute__((visibility("default"))) simcore::io::ResultSink* simcore_parquet_open_sink(
    const std::string& dir, const std::string& stem, const simcore::io::RunInfo& info, std::string_view netlist) {
  simcore::io::RunInfo i = info;
  if (i.netlistSha256.empty()) i.netlistSha256 = simcore::io::sha256Hex(netlist);
  return new simcore::io::ParquetSink(dir, stem, std::move(i));
}
