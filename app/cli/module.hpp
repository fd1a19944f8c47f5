// Shared modules beside the simcore executable, loaded on demand so that a
// command pays only for what it uses: libsimcore_server.so (serve, token,
// worker: gRPC) and libsimcore_hdf5.so (`run --format hdf5`: libhdf5).
#pragma once

#include <string>

namespace simcore::cli {

// dlsym(symbol) of the module `file` in the executable's directory, loaded
// once and kept for the life of the process. nullptr on failure, with the
// module's path and the loader's reason in `err`.
void* moduleSymbol(const char* file, const char* symbol, std::string& err);

}  // namespace simcore::cli
