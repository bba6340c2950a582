#!/usr/bin/env bash
# perf profile of the server under wrk (decisions only): starts a server on a fresh database, warms up,
# records `perf record -F 1999 -g` of the server process during one wrk run, and writes the report
# (self time by symbol, and by thread) next to perf.data in the output folder.
#
#   swift build -c release --product consentgate
#   Benchmarks/web/profile.sh [seconds] [connections] [out-dir]
#   CONSENTGATE_BIN=/path/to/other/consentgate Benchmarks/web/profile.sh 6 16 /tmp/prof-main
#
# Loopback only; the server is started here and stopped at the end (by its own pid).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CONSENTGATE_BIN:-.build/release/consentgate}
DUR=${1:-6}
CONN=${2:-16}
OUT=${3:-$(mktemp -d)}
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "perf not installed"; exit 2; }
TMP=$(mktemp -d -p "${CONSENTGATE_BENCH_DIR:-${TMPDIR:-/tmp}}")
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$TMP"' EXIT
. Benchmarks/web/start-server.sh
wrk -t1 -c"$CONN" -d2s -s Benchmarks/web/post-json.lua "$URL/v1/decisions" > /dev/null
perf record -F 1999 -g -p "$SERVER" -o "$OUT/perf.data" -- sleep "$DUR" 2> "$OUT/record.err" &
PERF=$!
wrk -t1 -c"$CONN" -d"${DUR}s" --latency -s Benchmarks/web/post-json.lua "$URL/v1/decisions" > "$OUT/wrk.txt"
wait "$PERF"
perf report -i "$OUT/perf.data" --no-children --sort symbol --stdio 2>/dev/null | swift demangle --simplified > "$OUT/self.txt"
perf report -i "$OUT/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | swift demangle --simplified > "$OUT/children.txt"
perf report -i "$OUT/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null > "$OUT/threads.txt"
echo "profile in $OUT ($(grep -o 'Requests/sec: *[0-9.]*' "$OUT/wrk.txt"))"
