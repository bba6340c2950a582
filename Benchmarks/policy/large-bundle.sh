#!/usr/bin/env bash
# How `policy check` grows with the number of fields: the shipped bundle plus N generated fields (category case-admin,
# which the shipped rules cover), checked R times with each binary; prints the median user CPU seconds per binary and
# their ratio. A second binary (the baseline, e.g. an earlier commit's build) runs in the same script, alternating.
#
#   Benchmarks/policy/large-bundle.sh [N fields] [R runs]
#   CONSENTGATE_BIN=.build/release/consentgate BASELINE_BIN=/tmp/cg-before Benchmarks/policy/large-bundle.sh 2000 3
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CONSENTGATE_BIN:-.build/release/consentgate}
BASE=${BASELINE_BIN:-}
N=${1:-2000}
R=${2:-3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp -r policies/kim-rhein-sieg "$TMP/bundle"
{ echo "fields:"; for i in $(seq 0 $((N - 1))); do
    echo "  x.f$i: {category: case-admin, type: string, label: {de: \"Feld $i\", en: \"Field $i\"}}"; done; } > "$TMP/bundle/zz-fields.yaml"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { /usr/bin/time -f "%U" "$1" policy check "$TMP/bundle" 2>&1 >/dev/null | tail -1; }
: > "$TMP/new"; : > "$TMP/base"
for _ in $(seq 1 "$R"); do
  run "$BIN" >> "$TMP/new"
  if [ -n "$BASE" ]; then run "$BASE" >> "$TMP/base"; fi
done
new=$(median < "$TMP/new")
echo "fields: $N extra (shipped bundle + generated), runs: $R"
echo "binary:   $BIN  median user CPU ${new} s"
if [ -n "$BASE" ]; then
  base=$(median < "$TMP/base")
  echo "baseline: $BASE  median user CPU ${base} s"
  awk -v a="$new" -v b="$base" 'BEGIN { if (a > 0) printf "baseline / binary: %.2f\n", b / a }'
fi
