// `simcore serve` and `simcore token` (see docs/server.md).
#pragma once

#include <string>
#include <vector>

namespace simcore::server {

int serveCommand(const std::vector<std::string>& args);
int tokenCommand(const std::vector<std::string>& args);

}  // namespace simcore::server
