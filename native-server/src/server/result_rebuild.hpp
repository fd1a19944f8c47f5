// The HDF5 files of a job, beyond what the worker's Hdf5Sink writes as the
// job runs: the options recorded in them, and rebuilding them when the worker
// could not close them (killed by a limit or SIGKILL, crashed, or the server
// stopped). A file left open by a dead process is marked "open for write" by
// HDF5 1.10 and refused by readers, but every row the worker computed is
// also in its waveform log (DIR/stream.frames), so the files are written
// again from that log, marked partial.
#pragma once

#include <cstdint>
#include <string>

#include "simcore/v1/simulator.pb.h"

namespace simcore::server {

// The job's options as JSON, with `params` the effective ones (the session's
// merged with the job's).
std::string hdf5OptionsJson(const ::simcore::v1::SimulationOptions& options,
                            const google::protobuf::Map<std::string, double>& params);

struct Hdf5Rebuild {
  int files = 0;       // .h5 files written
  std::int64_t rows = 0;
  std::string error;   // empty: fine (also when the server has no HDF5 support)
};

// Replaces DIR/<stem>.*.h5 by files written from DIR/stream.frames (the
// analyses that ended in the log are complete, the last one is partial).
Hdf5Rebuild rebuildHdf5FromStream(const std::string& dir, const std::string& stem, const std::string& netlist,
                                  const std::string& optionsJson, const std::string& jobId);

}  // namespace simcore::server
