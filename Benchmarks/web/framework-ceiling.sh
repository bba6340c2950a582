#!/usr/bin/env bash
# The framework's ceiling for the issue's ratio: a bare Hummingbird server (Benchmarks/web-ceiling) answering
# /health and a decision-shaped POST /v1/decisions (same request body and bearer header, the same response bytes a
# real decision gave, nothing parsed, evaluated, signed or stored), next to ConsentGate's own server, alternating.
# Prints, per server, µs of server CPU per request and req/s for both routes, and each server's decision/health ratio.
#
#   swift build -c release --product consentgate --product web-ceiling
#   Benchmarks/web/framework-ceiling.sh [seconds-per-run] [connections] [rounds]
#
# Loopback only; both servers are started here and stopped at the end (by their own pids).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CONSENTGATE_BIN:-.build/release/consentgate}
CEILING=${CEILING_BIN:-.build/release/web-ceiling}
DUR=${1:-4}
CONN=${2:-16}
ROUNDS=${3:-3}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)"; exit 2; }
for b in "$BIN" "$CEILING"; do
  [ -x "$b" ] || { echo "build first: swift build -c release --product consentgate --product web-ceiling"; exit 2; }
done
TMP=$(mktemp -d)
trap 'kill "$SERVER" "${BARE:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$TMP"' EXIT
. Benchmarks/web/start-server.sh
# The bare server answers with the bytes a real decision answered.
curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data @"$TMP/decision.json" \
     "$URL/v1/decisions" > "$TMP/response.json"
"$CEILING" 0 "$TMP/response.json" > "$TMP/bare.out" 2>&1 &
BARE=$!
for _ in $(seq 1 100); do grep -q "http://" "$TMP/bare.out" 2>/dev/null && break; sleep 0.1; done
BARE_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/bare.out" | head -1)
curl -sf -H "Authorization: Bearer $TOKEN" --data @"$TMP/decision.json" "$BARE_URL/v1/decisions" | cmp -s - "$TMP/response.json" \
  || { echo "the bare server does not answer with the decision's bytes"; exit 1; }
echo "response: $(wc -c < "$TMP/response.json") bytes; request body: $(wc -c < "$TMP/decision.json") bytes; $CONN connections, ${DUR}s runs"
for u in "$URL" "$BARE_URL"; do
  wrk -t1 -c"$CONN" -d2s "$u/health" > /dev/null
  wrk -t1 -c"$CONN" -d2s -s Benchmarks/web/post-json.lua "$u/v1/decisions" > /dev/null
done
. Benchmarks/web/measure.sh
: > "$TMP/results"
for round in $(seq 1 "$ROUNDS"); do
  bh=$(measure "$BARE" "$BARE_URL/health")
  bd=$(measure "$BARE" -s Benchmarks/web/post-json.lua "$BARE_URL/v1/decisions")
  ch=$(measure "$SERVER" "$URL/health")
  cd=$(measure "$SERVER" -s Benchmarks/web/post-json.lua "$URL/v1/decisions")
  echo "round $round: bare /health $bh | bare decision $bd | consentgate /health $ch | consentgate decision $cd  (µs CPU, req/s, p99 ms)"
  echo "$bh $bd $ch $cd" >> "$TMP/results"
done
python3 - "$TMP/results" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
med = lambda j: statistics.median(r[j] for r in rows)
for name, h, d in (("bare Hummingbird", 0, 3), ("consentgate", 6, 9)):
    print(f"median, {name}: /health {med(h):.1f} µs CPU/request, {med(h + 1):.0f} req/s; "
          f"decision {med(d):.1f} µs CPU/request, {med(d + 1):.0f} req/s, p99 {med(d + 2):.2f} ms; "
          f"ratio {med(d + 1) / med(h + 1) * 100:.1f} %")
print(f"consentgate's decisions against the bare server's /health: {med(10) / med(1) * 100:.1f} %; "
      f"CPU per decision, consentgate over bare: {med(9) / med(3):.2f}x")
PY
