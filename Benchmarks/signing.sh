#!/usr/bin/env bash
# Signing benchmark: our Signing module (consentgate-bench signing, release build) next to `openssl speed`
# on the same machine in the same script, as ratios (goal: ours / openssl >= 0.9).
# Rounds alternate ours and openssl so a change in machine load hits both alike; medians are reported.
# Usage: Benchmarks/signing.sh [ROUNDS] [SECONDS]   (defaults 5 and 2)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
SECS=${2:-2}
swift build -c release --product consentgate-bench >/dev/null
BIN=.build/release/consentgate-bench
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(openssl version)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  "$BIN" signing --seconds "$SECS" --repeat 1 2>/dev/null >>"$OUT/ours"
  openssl speed -seconds "$SECS" ed25519 ecdsap256 2>/dev/null | awk '
    /EdDSA \(Ed25519\)/ { print "ed25519-sign-per-s", $(NF-1); print "ed25519-verify-per-s", $NF }
    /ecdsa \(nistp256\)/ { print "p256-sign-per-s", $(NF-1); print "p256-verify-per-s", $NF }' >>"$OUT/openssl"
  openssl speed -seconds "$SECS" -bytes 16384 sha256 2>/dev/null | awk '
    /^sha256 / { v = $2; sub(/k$/, "", v); printf "sha256-16k-MB-per-s %.1f\n", v / 1000 }' >>"$OUT/openssl"
  echo "round $round/$ROUNDS done" >&2
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT/ours" "$OUT/openssl" "$ROUNDS" "$SECS" <<'PY'
import statistics, sys
def read(path):
    values = {}
    for line in open(path):
        name, value = line.split()
        values.setdefault(name, []).append(float(value))
    return values
ours, theirs, rounds, secs = read(sys.argv[1]), read(sys.argv[2]), sys.argv[3], sys.argv[4]
names = ["ed25519-sign-per-s", "ed25519-verify-per-s", "p256-sign-per-s", "p256-verify-per-s", "sha256-16k-MB-per-s"]
print(f"\nmedians of {rounds} alternating rounds, {secs} s per figure, one thread")
print(f"| figure | ConsentGate Signing | openssl speed | ratio |")
print(f"|---|---:|---:|---:|")
for n in names:
    o, t = statistics.median(ours[n]), statistics.median(theirs[n])
    print(f"| {n} | {o:,.1f} | {t:,.1f} | {o / t:.2f} |")
extra = "sha256-16k-streaming-MB-per-s"
if extra in ours:
    o, t = statistics.median(ours[extra]), statistics.median(theirs["sha256-16k-MB-per-s"])
    print(f"| {extra} (SHA256Hasher) | {o:,.1f} | {t:,.1f} | {o / t:.2f} |")
PY
