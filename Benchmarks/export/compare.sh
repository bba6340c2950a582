#!/usr/bin/env bash
# Two builds of `consentgate export` against each other on the same lists, alternated run by run (baseline,
# candidate, baseline, candidate, …), so that both see the same machine: on these shared virtual machines
# the same binary's time can move by half within an hour, and only pairs run side by side compare.
#
#   swift build -c release --product consentgate                       # the candidate
#   Benchmarks/export/compare.sh BASELINE_BIN ROUNDS LIST.csv [LIST.csv ...]
#   e.g. (a baseline built from another commit in a second worktree, copied out):
#   Benchmarks/export/compare.sh /tmp/consentgate-0225f02 3 /tmp/r100k.csv /tmp/r1m.csv
#
# Each run is a first run (fresh database and drive, so max RSS is per run). Prints per list and binary the
# median wall, CPU (user+system) and max RSS, and candidate / baseline for each; plus the median steal time.
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=${1:?baseline binary}; ROUNDS=${2:?rounds}; shift 2
CAND=${CONSENTGATE_BIN:-.build/release/consentgate}
[ -x "$BASE" ] && [ -x "$CAND" ] || { echo "both binaries must exist: $BASE, $CAND"; exit 2; }
TMP=$(mktemp -d -p "${CONSENTGATE_BENCH_DIR:-${TMPDIR:-/tmp}}")
trap 'rm -rf "$TMP"' EXIT
. Benchmarks/export/common.sh

printf "| list | binary | wall (s) | CPU (s) | max RSS (MiB) | steal (s) |\n|---|---|---:|---:|---:|---:|\n"
for LIST in "$@"; do
  for b in base cand; do : > "$TMP/$b.wall"; : > "$TMP/$b.cpu"; : > "$TMP/$b.rss"; : > "$TMP/$b.steal"; done
  for _ in $(seq "$ROUNDS"); do
    for b in base cand; do
      if [ "$b" = base ]; then BIN=$BASE; else BIN=$CAND; fi
      first_run "$BIN" "$LIST" "$TMP/run"
      echo "$WALL" >> "$TMP/$b.wall"; echo "$CPU" >> "$TMP/$b.cpu"; echo "$RSS_MIB" >> "$TMP/$b.rss"; echo "$STEAL_S" >> "$TMP/$b.steal"
    done
  done
  for b in base cand; do
    printf "| %s | %s | %.2f | %.2f | %s | %.2f |\n" "$(basename "$LIST")" "$([ $b = base ] && echo "baseline" || echo "candidate")" \
      "$(median < "$TMP/$b.wall")" "$(median < "$TMP/$b.cpu")" "$(median < "$TMP/$b.rss")" "$(median < "$TMP/$b.steal")"
  done
  printf "| %s | candidate / baseline | %.3f | %.3f | %.3f | |\n" "$(basename "$LIST")" \
    "$(awk -v c="$(median < "$TMP/cand.wall")" -v b="$(median < "$TMP/base.wall")" 'BEGIN {print c / b}')" \
    "$(awk -v c="$(median < "$TMP/cand.cpu")" -v b="$(median < "$TMP/base.cpu")" 'BEGIN {print c / b}')" \
    "$(awk -v c="$(median < "$TMP/cand.rss")" -v b="$(median < "$TMP/base.rss")" 'BEGIN {print c / b}')"
done
