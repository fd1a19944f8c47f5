// Parsing, elaborating and checking a netlist in a process of its own
// (`simcore worker --parse`), under the caller's memory, CPU and wall-time
// limits, so that no netlist can grow the server: a small text that expands
// to millions of devices through nested subcircuits ends its own process, not
// the server's memory.
//
//   server                              simcore worker --parse
//   Request frame (ParseRequest)   -->
//                                  <--  IncludeQuery frame (name)      } per included
//   IncludeReply (ParseInclude)    -->                                 } file
//                                  <--  Outcome frame (ParseOutcome), exit 0
//
// At most `maxProcesses` parse processes run at a time; further callers wait
// for a slot until their call's deadline (at most kSlotWait), then BUSY.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "rpc/circuit_spec.hpp"
#include "simcore/v1/simulator.pb.h"

namespace simcore::server {

struct ParseLimits {
  std::int64_t memoryMb = 2048;  // RLIMIT_AS of the process
  std::int64_t cpuSeconds = 600; // RLIMIT_CPU
  double wallSeconds = 600;      // then SIGKILL (at least kMinParseWallSeconds)
};
inline constexpr double kMinParseWallSeconds = 5;

struct ParseAnswer {
  // outcome.ok: the description (title, analyses, warnings, devices). Else
  // outcome.error says why: the netlist's own error (parse, semantic, ...), a
  // limit (LIMIT: memory, CPU or wall time of the process), BUSY (no slot in
  // time) or INTERNAL (the process could not be started or crashed).
  ::simcore::v1::ParseOutcome outcome;
  std::map<std::string, std::string> includes;  // every included file the netlist reached, by name
};

class ParseRunner {
 public:
  ParseRunner(std::string selfExe, int maxProcesses) : exe_(std::move(selfExe)), max_(maxProcesses) {}

  // `request.options` may be unset (CreateSession: the netlist's own analyses).
  // `until`: the caller's deadline for getting a slot.
  ParseAnswer run(const ::simcore::v1::ParseRequest& request, const IncludeLookup& lookup, const ParseLimits& limits,
                  std::chrono::system_clock::time_point until = std::chrono::system_clock::time_point::max());

  int running();  // parse processes now

  static constexpr std::chrono::seconds kSlotWait{600};

 private:
  std::string exe_;
  int max_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0;
};

// `simcore worker --parse`: the process side (stdin/stdout as above).
int parseWorkerCommand();

}  // namespace simcore::server
