// Lower-case hex SHA-256 of a netlist, for the run metadata of HDF5 and
// Parquet files. simcore_io_sha256 (libcrypto); built with either module.
#pragma once

#include <string>
#include <string_view>

namespace simcore::io {

std::string sha256Hex(std::string_view data);

}  // namespace simcore::io
