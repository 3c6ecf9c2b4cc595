#!/usr/bin/env bash
# Install Debian's nginx with the Lua module and lua-cjson (the edge-proxy test needs them)
# when any is missing.  Nothing is started: apt's service start is suppressed with a
# temporary policy-rc.d (as in Docker builds), and the tests run their own nginx in the
# foreground on loopback ports.
set -euo pipefail
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if command -v nginx >/dev/null 2>&1 && have libnginx-mod-http-lua && have lua-cjson; then exit 0; fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
POLICY=/usr/sbin/policy-rc.d
CREATED=""
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  CREATED=1
fi
cleanup() { if [ -n "$CREATED" ]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends nginx libnginx-mod-http-lua lua-cjson >/dev/null
