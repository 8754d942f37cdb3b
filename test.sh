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

# PostgreSQL: the store tests run on it too. A throwaway cluster in a temporary folder on a free port, run by an
# unprivileged user (PostgreSQL refuses root), stopped and removed on exit whatever happens.
PG_BIN="${PG_BIN:-}"
find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
[ -n "$PG_BIN" ] || PG_BIN="$(find_pg_bin)"
if [ -z "$PG_BIN" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  PG_BIN="$(find_pg_bin)"
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL not found (install it or set PG_BIN); its test variants will be ignored." >&2
else
  PG_DIR="$(mktemp -d /tmp/catalog-pg.XXXXXX)"
  as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u nobody -- "$@"); else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown nobody "$PG_DIR"
  stop_pg() {
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  }
  trap stop_pg EXIT
  PG_PORT=""
  for p in $(seq 55432 55632); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PG_PORT=$p; break; fi
  done
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U catalog -A trust -E UTF8 --no-locale --no-sync >/dev/null
  # Durability is not what the tests measure: fsync off keeps the many CREATE DATABASEs quick.
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o \
    "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start >/dev/null
  export CATALOG_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=catalog;Database=postgres"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PG_PORT for the tests"
fi

# Browser tests (citizen pages): Debian's Chromium and a Japanese font; Playwright's own browser download cannot work here.
if { ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "IPAGothic"; } \
    && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-ipafont-gothic >/dev/null
fi

# DCAT feeds: rdflib (Debian's python3-rdflib) reads every serialisation the catalog writes.
if ! /usr/bin/python3 -c "import rdflib" 2>/dev/null && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-rdflib >/dev/null
fi

# DCAT feeds: rdf-validate-shacl checks the catalog against the DCAT-AP 3 shapes.
if command -v npm >/dev/null 2>&1; then
  (cd tests/tools/shacl && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# Search readings: MeCab and its IPADIC dictionary (Debian's libmecab2, mecab-ipadic-utf8), called through P/Invoke.
if ! ldconfig -p 2>/dev/null | grep -q "libmecab.so.2" || [ ! -e /var/lib/mecab/dic/ipadic-utf8 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmecab2 mecab-ipadic-utf8 >/dev/null
  fi
fi

rm -rf TestResults
dotnet test Catalog.sln -c Release \
  --logger "trx;LogFileName=results.trx" \
  --logger "console;verbosity=minimal" \
  --results-directory TestResults "$@"
