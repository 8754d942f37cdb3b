#!/usr/bin/env bash
# Server against workstation GC under the varied search load (issue 21): the load mode in alternating processes over
# one 10,000-dataset folder (written by the first), so both modes see the same data and, pair by pair, the same machine.
# Usage: bench/load-gc.sh [PAIRS] [DATASETS] [SECONDS]    (defaults 3, 10000, 10; each process: index rebuild, two wrk
# runs of package_search and status_show, the in-process mix; no Groonga). Needs wrk (bench/load.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}; datasets=${2:-10000}; seconds=${3:-10}
command -v wrk >/dev/null 2>&1 || { echo "wrk is required: run bench/load.sh once, or apt-get install wrk" >&2; exit 1; }
[ "${LOAD_GC_NO_BUILD:-}" = 1 ] || dotnet build bench/Catalog.Bench -c Release -v quiet -nologo >/dev/null
# LOAD_GC_DLL: another copy of the build (under bench/Catalog.Bench/bin, where the host finds its content root), so
# that rebuilding meanwhile does not disturb the runs.
dll=${LOAD_GC_DLL:-bench/Catalog.Bench/bin/Release/net10.0/Catalog.Bench.dll}
data=$(mktemp -d /tmp/catalog-load-gc.XXXXXX)
logs=$(mktemp -d /tmp/catalog-load-gc-logs.XXXXXX)
trap 'rm -rf "$data"' EXIT

# The bold median of a summary row: "| target | min / **median** / max | … | p99 min / **median** / max |".
median() { grep -m1 "^| $2 |" "$1" | grep -o '\*\*[0-9.,]*\*\*' | sed -n "${3}p" | tr -d '*,'; }

echo "| pair | GC | load before | package_search req/s (median of 2) | p99 ms | status_show req/s | in-process median ms |"
echo "|---:|---|---|---:|---:|---:|---:|"
for pair in $(seq 1 "$pairs"); do
  # Alternate which mode goes first, so that a trend in the machine's load does not favour one.
  if [ $((pair % 2)) = 1 ]; then modes="server workstation"; else modes="workstation server"; fi
  for mode in $modes; do
    log="$logs/$pair-$mode.md"
    load=$(cut -d' ' -f1 /proc/loadavg)
    if [ "$mode" = workstation ]; then gc=0; else gc=1; fi
    DOTNET_gcServer=$gc dotnet "$dll" load --datasets "$datasets" \
      --runs 2 --seconds "$seconds" --no-groonga --data "$data" >"$log" 2>"$logs/$pair-$mode.err"
    inproc=$(grep -m1 "In-process, the same requests (" "$log" | grep -o 'median \*\*[0-9.]*' | tr -dc '0-9.')
    echo "| $pair | $mode | $load | $(median "$log" package_search 1) | $(median "$log" package_search 2) | $(median "$log" status_show 1) | $inproc |"
  done
done
echo
echo "Full reports: $logs"
