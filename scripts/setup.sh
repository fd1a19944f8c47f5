#!/usr/bin/env bash
# Install what simcore needs to build and test on Debian 12 (bookworm), nothing else.
# Idempotent: when every package is already installed it only checks, in well under a second.
# Only Debian packages are installed; nothing else is downloaded.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PACKAGES=(cmake ninja-build g++ libsuitesparse-dev libgtest-dev ccache ngspice python3 make
  libgrpc++-dev protobuf-compiler-grpc protobuf-compiler libprotobuf-dev libsqlite3-dev libjwt-dev libspdlog-dev
  python3-venv)  # second line: simcore serve (docs/server.md)
PACKAGES+=(libcpp-httplib-dev libhdf5-dev)  # simcore serve: the HTTP port (gRPC-Web, Connect, web app) and HDF5 results
PACKAGES+=(libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libfmt-dev)  # command line, JSON, TOML (app/, io/);
                                   # {fmt} for the number-format test and benchmark (tests/io)
PACKAGES+=(python3-venv python3-dev)  # py/: the venv and the headers of the native module (py/test.sh)
PACKAGES+=(libpugixml-dev)          # engine: PLECS semiconductor loss files (docs/loss_files.md)
PACKAGES+=(zlib1g-dev)              # simcore fmu: the FMU archive's deflate (docs/fmu.md)
PACKAGES+=(chromium)                  # e2e/: Playwright drives Debian's chromium (no downloaded browsers)
PACKAGES+=(poppler-utils)             # py/tests/test_plot.py renders simcore.plot's PDFs with pdftoppm
# node and npm: the machine images come with Node 20; on a bare Debian 12 take Debian's.
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)
# (emscripten is installed by wasm/build.sh, which also fetches the suitesparse sources)

missing=()
for p in "${PACKAGES[@]}"; do
  # "install ok installed" is the only state that counts as present.
  if ! dpkg -s "$p" 2>/dev/null | grep -q "^Status: install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  say "setup: all packages present (${PACKAGES[*]})"
  exit 0
fi

command -v apt-get >/dev/null || die "setup: apt-get not found; install by hand: ${missing[*]}"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "setup: not root and no sudo; install by hand: ${missing[*]}"
  SUDO=(sudo)
fi

say "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}"
say "setup: done"
