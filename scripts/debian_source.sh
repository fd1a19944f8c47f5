#!/usr/bin/env bash
# Prints the directory of a Debian source package, fetching it with `apt-get
# source` when it is not there yet (adding deb-src entries when apt has none).
#
#   scripts/debian_source.sh PACKAGE CHECK_FILE
#
# The source is unpacked under $SIMCORE_SOURCE_CACHE (default
# ~/.cache/simcore-PACKAGE); CHECK_FILE (relative to the unpacked tree) must exist
# afterwards. Used for suitesparse (KLU; scripts/suitesparse_source.sh) and
# pugixml (the PLECS loss-file reader) by the wasm build (wasm/build.sh) and the
# Python sdist (py/build_sdist.sh). Nothing is downloaded except Debian packages.
# Progress goes to stderr.
set -euo pipefail
PKG=${1:?usage: debian_source.sh PACKAGE CHECK_FILE}
CHECK=${2:?usage: debian_source.sh PACKAGE CHECK_FILE}
CACHE=${SIMCORE_SOURCE_CACHE:-$HOME/.cache/simcore-$PKG}
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"

src_dir() { find "$CACHE" -maxdepth 1 -mindepth 1 -type d -name "$PKG-*" 2>/dev/null | sort | tail -1; }
if [ -z "$(src_dir)" ]; then
  echo "== fetching Debian's $PKG source into $CACHE" >&2
  if ! apt-get source --print-uris "$PKG" >/dev/null 2>&1; then
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
  mkdir -p "$CACHE"
  (cd "$CACHE" && apt-get source "$PKG") >&2
fi
DIR=$(src_dir)
[ -n "$DIR" ] && [ -f "$DIR/$CHECK" ] || { echo "error: no $CHECK under ${DIR:-$CACHE}" >&2; exit 1; }
echo "$DIR"
