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
TICKS=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
# One measured run: prints "<µs per request> <req/s> <p99>".
measure() {
  local before after
  before=$(cpu)
  wrk -t1 -c"$CONN" -d"${DUR}s" --latency "$@" > "$TMP/run"
  after=$(cpu)
  grep -q "Non-2xx" "$TMP/run" && { cat "$TMP/run"; exit 1; }
  python3 - "$TMP/run" "$before" "$after" "$TICKS" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
n = int(re.search(r"(\d+) requests in", t).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", t)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
cpu_s = (int(sys.argv[3]) - int(sys.argv[2])) / int(sys.argv[4])
print(f"{cpu_s / n * 1e6:.1f} {rps:.0f} {p99:.2f}")
PY
}
: > "$TMP/results"
for round in $(seq 1 "$ROUNDS"); do
  h=$(measure "$URL/health")
  d=$(measure -s Benchmarks/web/post-json.lua "$URL/v1/decisions")
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
