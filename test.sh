#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need when it is missing, then `dotnet test`.
# TRX results land in ./TestResults (read by .ci/run).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (dotnet not found on PATH)." >&2
  exit 1
fi

# ICU (libicu) must be present: the search analyzers need real globalization data.
if ! ldconfig -p 2>/dev/null | grep -q libicuuc; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu72 >/dev/null || \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq 'libicu[0-9]*' >/dev/null
  fi
fi

rm -rf TestResults
dotnet test Catalog.sln -c Release \
  --logger "trx;LogFileName=results.trx" \
  --logger "console;verbosity=minimal" \
  --results-directory TestResults "$@"
