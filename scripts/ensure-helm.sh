#!/usr/bin/env bash
# Fetch Helm for the chart tests when it is not there yet, and print the path of the
# library.  No helm binary is packaged for Debian, PyPI or npm; the helm-sdkpy wheel on
# PyPI (Apache-2.0) carries Helm v4 compiled as a shared library (linux-amd64).  Its
# metadata asks for Python >= 3.12 because of its Python wrapper, which the tests do not
# use: they load the library itself with ctypes (tests/deploy/helm_harness.py).  The wheel
# is checked against a pinned SHA-256 and unpacked under .venv/opt/.
set -euo pipefail
VERSION=0.1.32
SHA256=bcf5bf73cacc373bebedfb9c988969aa12a9eda86a140deba658fbf28eb789c5
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=${HELM_LIB_DIR:-$ROOT/.venv/opt/helm-sdkpy-$VERSION}
LIB=$DEST/helm_sdkpy/_lib/linux-amd64/libhelm_sdkpy.so
if [ ! -f "$LIB" ]; then
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "helm-sdkpy ships a linux-amd64 library only" >&2
    exit 3
  fi
  PY=${PYTHON:-$ROOT/.venv/bin/python}
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --python-version 3.12 "helm-sdkpy==$VERSION" -d "$tmp" >&2
  wheel=$(ls "$tmp"/helm_sdkpy-"$VERSION"-*.whl)
  echo "$SHA256  $wheel" | sha256sum -c --quiet - >&2
  mkdir -p "$DEST"
  "$PY" -m zipfile -e "$wheel" "$DEST"
fi
echo "$LIB"
