#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace simcore::cli {

void printUsage(std::FILE* out);
// `simcore run`; returns the process exit code (0 ok, 1 simulation failure, 2 bad input/usage).
int runCommand(const std::vector<std::string>& args);

}  // namespace simcore::cli
