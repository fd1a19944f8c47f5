#!/usr/bin/env bash
# Prints the directory of Debian's suitesparse source package (KLU, AMD, COLAMD,
# BTF, SuiteSparse_config), fetching it with `apt-get source` into
# $SIMCORE_SUITESPARSE_CACHE (default ~/.cache/simcore-suitesparse) when it is
# not there yet (adding deb-src entries when apt has none). Used by the wasm
# build (wasm/build.sh) and the Python sdist (py/build_sdist.sh); nothing is
# downloaded except Debian packages. Progress goes to stderr.
set -euo pipefail
SS_CACHE=${SIMCORE_SUITESPARSE_CACHE:-$HOME/.cache/simcore-suitesparse}
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"

ss_dir() { find "$SS_CACHE" -maxdepth 1 -mindepth 1 -type d -name 'suitesparse-*' 2>/dev/null | sort | tail -1; }
if [ -z "$(ss_dir)" ]; then
  echo "== fetching Debian's suitesparse source into $SS_CACHE" >&2
  if ! apt-get source --print-uris suitesparse >/dev/null 2>&1; then
    # No deb-src entries: add them for the suites the binary entries use.
    src=/etc/apt/sources.list.d/simcore-debian-src.sources
    echo "   adding $src" >&2
    $SUDO tee "$src" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    $APT update >&2
  fi
  command -v dpkg-source >/dev/null 2>&1 || $APT install -y --no-install-recommends dpkg-dev >&2
  mkdir -p "$SS_CACHE"
  (cd "$SS_CACHE" && apt-get source suitesparse) >&2
fi
SS_SRC=$(ss_dir)
[ -f "$SS_SRC/KLU/Source/klu.c" ] || { echo "error: no KLU sources under $SS_SRC" >&2; exit 1; }
echo "$SS_SRC"
