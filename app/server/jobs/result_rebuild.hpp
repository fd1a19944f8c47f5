// Result files of a job whose worker could not close them (killed by a limit
// or SIGKILL, crashed, or gone with the server). Such files are cut anywhere
// (the worker writes them on a thread of its own, behind the stream), and an
// HDF5 file left open by a dead process is marked "open for write" and
// refused by readers. Every row the worker computed is in its waveform log
// (DIR/stream.frames), so all the files are written again from that log.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "simcore/v1/simulator.pb.h"

namespace simcore::server {

// The job's options as JSON, with `params` the effective ones (the session's
// merged with the job's).
std::string hdf5OptionsJson(const ::simcore::v1::SimulationOptions& options,
                            const google::protobuf::Map<std::string, double>& params);

struct RebuildOutcome {
  int files = 0;       // files written
  std::int64_t rows = 0;
  std::map<std::string, std::int64_t> rowsByFile;  // file name -> rows it holds
  std::string error;   // empty: fine (also when the server has no HDF5 support)
};

// Sets the rows of the job's results from `rowsByFile` (files absent there keep theirs).
void applyRows(const RebuildOutcome& rebuilt, ::simcore::v1::Job& job);

// Replaces DIR/<stem>.*.{csv,raw,json,h5} by files written from
// DIR/stream.frames (an analysis that ended in the log is complete, the last
// one partial). No log: nothing is touched.
RebuildOutcome rebuildResultsFromStream(const std::string& dir, const std::string& stem, const std::string& netlist,
                                        const std::string& optionsJson, const std::string& jobId);

}  // namespace simcore::server
