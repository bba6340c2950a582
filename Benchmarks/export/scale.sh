#!/usr/bin/env bash
# How `consentgate export` scales with the list: the real command, end to end (process start, policy,
# migrations, key decryption, both passes, audit logging, signed folders, ledger commit), each run in a
# fresh process with a fresh database and drive, so peak memory (max RSS) is per run, not per process
# history. Then a second run on the same database (nothing new).
#
#   swift build -c release --product consentgate
#   Benchmarks/export/scale.sh [rounds] LIST.csv [LIST.csv ...]
#   e.g. (lists from ../shared/tools/gen_registrations.py --rows N --seed 1):
#   Benchmarks/export/scale.sh 3 /tmp/r10k.csv /tmp/r100k.csv /tmp/export-r1m.csv
#
# Prints per list: rows, median wall and CPU (user+system) of the first run, CPU µs per row, that per-row
# figure relative to the first list (1.00 = linear), median max RSS, the -wal file left, and the second
# run's median wall, and the median CPU time the hypervisor gave to others while a first run ran ("steal",
# from /proc/stat, both cores): on a virtual machine whose host is busy, wall and CPU figures rise with it.
# Medians over `rounds`; the machine is shared, so compare ratios of one invocation.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CONSENTGATE_BIN:-.build/release/consentgate}
ROUNDS=${1:?rounds}; shift
[ -x "$BIN" ] || { echo "build first: swift build -c release --product consentgate"; exit 2; }
TMP=$(mktemp -d -p "${CONSENTGATE_BENCH_DIR:-${TMPDIR:-/tmp}}")
trap 'rm -rf "$TMP"' EXIT
. Benchmarks/export/common.sh

printf "| list | rows | first run wall (s) | CPU (s) | CPU µs/row | per row vs first | max RSS (MiB) | -wal left (MiB) | second run wall (s) | steal (s) |\n"
printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
first_per_row=""
for LIST in "$@"; do
  ROWS=$(($(wc -l < "$LIST") - 1))
  : > "$TMP/wall"; : > "$TMP/cpu"; : > "$TMP/rss"; : > "$TMP/wal"; : > "$TMP/again"; : > "$TMP/steal"
  for _ in $(seq "$ROUNDS"); do
    D="$TMP/run"
    first_run "$BIN" "$LIST" "$D"
    echo "$STEAL_S" >> "$TMP/steal"; echo "$WALL" >> "$TMP/wall"; echo "$CPU" >> "$TMP/cpu"; echo "$RSS_MIB" >> "$TMP/rss"
    echo $(( $(stat -c %s "$D/db.sqlite-wal" 2>/dev/null || echo 0) / 1048576 )) >> "$TMP/wal"
    /usr/bin/time -f "%e" -o "$TMP/t2" "$BIN" export --demo --input "$LIST" --drive "$D/drive" --db "$D/db.sqlite" > /dev/null
    cat "$TMP/t2" >> "$TMP/again"
  done
  W=$(median < "$TMP/wall"); C=$(median < "$TMP/cpu"); R=$(median < "$TMP/rss"); L=$(median < "$TMP/wal"); A=$(median < "$TMP/again")
  ST=$(median < "$TMP/steal")
  PER=$(awk -v c="$C" -v n="$ROWS" 'BEGIN {print c * 1000000 / n}')
  [ -z "$first_per_row" ] && first_per_row=$PER
  printf "| %s | %d | %.2f | %.2f | %.1f | %.2f | %s | %s | %.2f | %.2f |\n" "$(basename "$LIST")" "$ROWS" "$W" "$C" "$PER" \
    "$(awk -v p="$PER" -v f="$first_per_row" 'BEGIN {print p / f}')" "$R" "$L" "$A" "$ST"
done
