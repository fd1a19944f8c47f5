// libsimcore_hdf5.so: the HDF5 writer of `simcore run --format hdf5`. A module
// beside the executable, loaded only for that format (cli/module.hpp), so that
// a run in any other format never loads libhdf5 and the ~30 libraries behind it.
// Same build, same compiler as the executable: the sink crosses as a C++ object
// and is deleted by the executable through ResultSink's virtual destructor.
#include <string>
#include <string_view>

#include "simcore/io/hdf5_sink.hpp"

extern "C" __attribute__((visibility("default"))) simcore::io::ResultSink* simcore_hdf5_open_sink(
    const std::string& dir, const std::string& stem, const std::string& title, std::string_view netlist) {
  namespace io = simcore::io;
  return new io::Hdf5Sink(dir, stem, io::Hdf5RunInfo{title, io::sha256Hex(netlist), "{}", ""});
}
