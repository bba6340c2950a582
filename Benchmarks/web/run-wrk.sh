#!/usr/bin/env bash
# Benchmark of the web service with wrk (Debian package): audited decisions (POST /v1/decisions, bearer
# token, every decision durably in the audit log with a signed checkpoint) next to the same server's
# trivial GET /health as the framework's ceiling, alternating, 3 rounds each; medians are reported.
#
#   swift build -c release --product consentgate
#   Benchmarks/web/run-wrk.sh [seconds-per-run] [connections]
#
# Loopback only; the server is started here and stopped at the end (by its own pid).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CONSENTGATE_BIN:-.build/release/consentgate}   # another build to compare: CONSENTGATE_BIN=path
DUR=${1:-10}
CONN=${2:-16}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)"; exit 2; }
[ -x "$BIN" ] || { echo "build first: swift build -c release --product consentgate"; exit 2; }
TMP=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$TMP"' EXIT
. Benchmarks/web/start-server.sh
# Warm-up.
wrk -t1 -c"$CONN" -d2s "$URL/health" > /dev/null
wrk -t1 -c"$CONN" -d2s -s Benchmarks/web/post-json.lua "$URL/v1/decisions" > /dev/null
for round in 1 2 3; do
  wrk -t1 -c"$CONN" -d"${DUR}s" --latency "$URL/health" > "$TMP/health.$round"
  wrk -t1 -c"$CONN" -d"${DUR}s" --latency -s Benchmarks/web/post-json.lua "$URL/v1/decisions" > "$TMP/decisions.$round"
done
python3 - "$TMP" <<'PY'
import re, statistics, sys, os
tmp = sys.argv[1]
def parse(path):
    t = open(path).read()
    if "Non-2xx" in t: raise SystemExit(f"non-2xx responses in {path}:\n{t}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    def lat(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", t)
        v, u = float(m.group(1)), m.group(2)
        return v / 1000 if u == "us" else v * 1000 if u == "s" else v
    return rps, lat(50), lat(99)
res = {k: [parse(os.path.join(tmp, f"{k}.{i}")) for i in (1, 2, 3)] for k in ("health", "decisions")}
med = {k: tuple(statistics.median(x[j] for x in v) for j in range(3)) for k, v in res.items()}
for k, v in res.items():
    print(f"{k:10s} runs: " + ", ".join(f"{r:.0f} req/s (p50 {a:.2f} ms, p99 {b:.2f} ms)" for r, a, b in v))
h, d = med["health"], med["decisions"]
print(f"median /health        {h[0]:.0f} req/s  p50 {h[1]:.2f} ms  p99 {h[2]:.2f} ms")
print(f"median /v1/decisions  {d[0]:.0f} req/s  p50 {d[1]:.2f} ms  p99 {d[2]:.2f} ms")
print(f"ratio decisions/health: {d[0] / h[0] * 100:.1f} %")
PY
echo "audit log entries after the run: $(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit_entry' 2>/dev/null || echo '?')"
echo "audit commits (signed checkpoints): $(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit_checkpoint' 2>/dev/null || echo '?')"
# The disk's own floor: a decision waits for at least one fsync of the WAL (synchronous = FULL), so
# its p99 cannot be below the p99 of fdatasync on this file system at this moment.
python3 - "$TMP" <<'PY'
import os, sys, time
path = os.path.join(sys.argv[1], "fsync-probe")
fd = os.open(path, os.O_RDWR | os.O_CREAT)
os.write(fd, b"\0" * 8192 * 64); os.fsync(fd)
ts = []
for i in range(200):
    os.pwrite(fd, b"x" * 8192, (i % 64) * 8192)
    t = time.perf_counter(); os.fdatasync(fd); ts.append((time.perf_counter() - t) * 1000)
os.close(fd); os.unlink(path)
ts.sort()
print(f"fdatasync of 8 KiB on the database's file system: p50 {ts[100]:.2f} ms  p99 {ts[197]:.2f} ms  max {ts[-1]:.2f} ms")
PY
