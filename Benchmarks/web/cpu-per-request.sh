#!/usr/bin/env bash
# Server CPU time per request: the server's own user+system time (/proc/<pid>/stat) over a wrk run,
# divided by the requests wrk completed. Unlike req/s this hardly depends on what else runs on the
# machine, so two builds can be compared even while other jobs share the cores.
#
#   swift build -c release --product consentgate
#   Benchmarks/web/cpu-per-request.sh [seconds-per-run] [connections] [rounds]
#   CONSENTGATE_BIN=/path/to/other/consentgate Benchmarks/web/cpu-per-request.sh 4 16 3
#   CONSENTGATE_BENCH_DIR=/dev/shm Benchmarks/web/cpu-per-request.sh   # database on tmpfs: no disk wait
#
# Prints, per round, µs of server CPU per decision and per /health request, then the medians.
# Loopback only; the server is started here and stopped at the end (by its own pid).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CONSENTGATE_BIN:-.build/release/consentgate}
DUR=${1:-4}
CONN=${2:-16}
ROUNDS=${3:-3}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)"; exit 2; }
[ -x "$BIN" ] || { echo "build first: swift build -c release --product consentgate"; exit 2; }
TMP=$(mktemp -d -p "${CONSENTGATE_BENCH_DIR:-${TMPDIR:-/tmp}}")
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$TMP"' EXIT
. Benchmarks/web/start-server.sh
wrk -t1 -c"$CONN" -d2s "$URL/health" > /dev/null
wrk -t1 -c"$CONN" -d2s -s Benchmarks/web/post-json.lua "$URL/v1/decisions" > /dev/null
. Benchmarks/web/measure.sh
: > "$TMP/results"
for round in $(seq 1 "$ROUNDS"); do
  h=$(measure "$SERVER" "$URL/health")
  d=$(measure "$SERVER" -s Benchmarks/web/post-json.lua "$URL/v1/decisions")
  echo "round $round: decision ${d%% *} µs CPU ($(echo "$d" | cut -d' ' -f2) req/s, p99 $(echo "$d" | cut -d' ' -f3) ms)," \
       "/health ${h%% *} µs CPU ($(echo "$h" | cut -d' ' -f2) req/s)"
  echo "$d $h" >> "$TMP/results"
done
python3 - "$TMP/results" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
med = lambda j: statistics.median(r[j] for r in rows)
print(f"median: decision {med(0):.1f} µs CPU/request, {med(1):.0f} req/s, p99 {med(2):.2f} ms; "
      f"/health {med(3):.1f} µs CPU/request, {med(4):.0f} req/s; ratio {med(1) / med(4) * 100:.1f} %")
PY
echo "audit log entries: $(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit_entry' 2>/dev/null || echo '?'),"\
     "checkpoints: $(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit_checkpoint' 2>/dev/null || echo '?'),"\
     "page size: $(sqlite3 "$DB" 'PRAGMA page_size' 2>/dev/null || echo '?')"
