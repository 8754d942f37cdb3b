#!/usr/bin/env bash
# Search under varied load (issue 21): installs wrk and groonga from Debian when missing, then runs the load mode.
# Usage: bench/load.sh [--datasets N] [--mix M] [--seconds S] [--runs R] [--no-groonga] [--data DIR] [--writes W] [--alloc-profile]
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  if command -v apt-get >/dev/null 2>&1; then
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
  fi
}
# wrk: the external load generator; groonga 13: the peer engine measured beside the catalog.
command -v wrk >/dev/null 2>&1 || apt_install wrk
command -v groonga >/dev/null 2>&1 || apt_install groonga
command -v wrk >/dev/null 2>&1 || { echo "wrk is required (Debian package wrk)" >&2; exit 1; }

dotnet build bench/Catalog.Bench -c Release -v quiet -nologo >/dev/null
exec dotnet bench/Catalog.Bench/bin/Release/net10.0/Catalog.Bench.dll load "$@"
