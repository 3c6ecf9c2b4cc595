#!/usr/bin/env bash
# Install wrk (the HTTP load generator, with LuaJIT scripting) from Debian when missing.
# bench/load.py and bench/soak.py drive the server with it; nothing is started here.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then exit 0; fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
