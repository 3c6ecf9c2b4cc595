#!/usr/bin/env bash
# Install redis-server and redis-tools (redis-cli, for `redis-cli --cluster create`) from
# Debian when either is missing (the tests start their own instances on free loopback
# ports; nothing is started here).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then exit 0; fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null
