#!/usr/bin/env bash
# How long a short read waits while long work runs in the same server (docs/web-threads.md, "Long reads off the request
# threads"). Two clients keep long work going for about 10 s, and meanwhile a DPO's `GET /v1/audit/checkpoint` (a
# short read on `BlockingWork`) is timed every 100 ms, with `/health` as the control. The long work:
#   dry-run  two export dry runs of the list at once (each reads and decides the whole list);
#   stats    one export run of the list first (its disclosures fill the audit log), then `GET /v1/audit/stats`
#            (a pass over the whole log on one thread) over and over from both clients;
#   verify   the same export run first, then `GET /v1/audit/verify` (the whole-log check) over and over from both.
#
#   swift build -c release --product consentgate
#   python3 ../shared/tools/gen_registrations.py --rows 1000000 --seed 1 > /tmp/r1m.csv
#   Benchmarks/web/short-reads-during-long-work.sh /tmp/r1m.csv [dry-run|stats|verify]
#   CONSENTGATE_BIN=/path/to/other/consentgate Benchmarks/web/short-reads-during-long-work.sh /tmp/r1m.csv stats
#
# Prints what the long work did and the short reads' latency (median, p90, max) meanwhile.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CONSENTGATE_BIN:-.build/release/consentgate}
LIST=${1:?usage: short-reads-during-long-work.sh <registration list> [dry-run|stats|verify]}
MODE=${2:-dry-run}
[ -x "$BIN" ] || { echo "build first: swift build -c release --product consentgate"; exit 2; }
TMP=$(mktemp -d -p "${TMPDIR:-/tmp}")
SERVER=
trap '[ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }; rm -rf "$TMP"' EXIT
DB="$TMP/bench.sqlite"
mkdir -p "$TMP/input" "$TMP/drives/drive"
# A hard link where it can (the service reads no list through a symbolic link), else a copy.
ln "$LIST" "$TMP/input/list.csv" 2>/dev/null || cp "$LIST" "$TMP/input/list.csv"
token() { "$BIN" users add --demo --db "$DB" --name "$1" --role "$2" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
EXPORTER=$(token bench-exporter exporter)
DPO=$(token bench-dpo dpo)
"$BIN" serve --db "$DB" --demo --port 0 --export-input-dir "$TMP/input" --export-drive-dir "$TMP/drives" > "$TMP/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do grep -q "http://" "$TMP/serve.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/serve.out" | head -1)
curl -sf -H "Authorization: Bearer $DPO" "$URL/v1/audit/checkpoint" > /dev/null
python3 - "$URL" "$EXPORTER" "$DPO" "$MODE" <<'PY'
import json, statistics, sys, threading, time, urllib.request
url, exporter, dpo, mode = sys.argv[1:5]
def call(path, token, body=None):
    req = urllib.request.Request(url + path, data=body, headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        r.read()
        return r.status
body = json.dumps({"input": "list.csv", "drive": "drive"}).encode()
if mode in ("stats", "verify"):
    t = time.monotonic()
    run = json.loads(urllib.request.urlopen(urllib.request.Request(url + "/v1/exports", data=body,
        headers={"Authorization": "Bearer " + exporter, "Content-Type": "application/json"}), timeout=600).read())
    while True:
        state = json.loads(urllib.request.urlopen(urllib.request.Request(url + "/v1/exports/" + run["id"],
            headers={"Authorization": "Bearer " + exporter}), timeout=60).read())
        if state["state"] not in ("queued", "running"): break
        time.sleep(0.5)
    print(f"export run: {state['state']} in {time.monotonic() - t:.1f} s")
done = []
def long_work():
    t, n, status = time.monotonic(), 0, None
    try:
        if mode == "dry-run":
            status, n = call("/v1/exports/dry-run", exporter, body), 1
        else:
            while time.monotonic() - t < 10:
                status = call("/v1/audit/" + mode, dpo)
                n += 1
    except Exception as e:
        status = repr(e)
    done.append((status, n, time.monotonic() - t))
runs = [threading.Thread(target=long_work) for _ in range(2)]
start = time.monotonic()
for r in runs: r.start()
samples = {"checkpoint": [], "health": []}
while len(done) < 2:
    for name, path, token in (("checkpoint", "/v1/audit/checkpoint", dpo), ("health", "/health", dpo)):
        t = time.monotonic()
        call(path, token)
        samples[name].append((time.monotonic() - t) * 1000)
    time.sleep(0.1)
for r in runs: r.join()
print(f"{mode}, two clients: {', '.join(f'{n} × {s} in {d:.1f} s' for s, n, d in done)} (wall {time.monotonic() - start:.1f} s)")
for name, xs in samples.items():
    xs.sort()
    p90 = xs[int(0.9 * (len(xs) - 1))]
    print(f"{name:>10}: {len(xs)} requests, median {statistics.median(xs):.1f} ms, p90 {p90:.1f} ms, max {xs[-1]:.1f} ms")
PY
