// `simcore worker`: the process that runs one job (internal; started by
// `simcore serve`, never by hand).
//
// stdin : one FrameType::Request frame (simcore.v1.WorkerRequest)
// stdout: FrameType::Chunk frames (simcore.v1.WaveformChunk) as the run
//         streams, then exactly one FrameType::Outcome frame, then exit 0
// stderr: free text, kept in the job directory as worker.log
// SIGTERM: stop at the next step (the outcome then says "cancelled")
// SIGUSR1: the same, and rows not yet in the result files are dropped (the
//          job reached its disk limit)
//
// Result files (CSV, RAW, JSON) are written into request.out_dir as the run
// streams, with the writers of `simcore run`.
#pragma once

#include <string>
#include <vector>

namespace simcore::server {

int workerCommand(const std::vector<std::string>& args);

// Signal values per frame: chunks are split so that one frame holds at most
// this many doubles (2 MiB), well under gRPC's default 4 MiB message limit.
inline constexpr std::size_t kMaxValuesPerChunk = 256 * 1024;

}  // namespace simcore::server
