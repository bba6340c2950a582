# Helpers sourced by scale.sh and compare.sh (not run on its own).
#
#   median < FILE             the median of the numbers in FILE, one per line
#   steal                     the hypervisor's steal time so far, in USER_HZ ticks (1/100 s), all cores
#   first_run BIN LIST DIR    `BIN export --demo` of LIST into a fresh DIR; sets WALL, CPU (user+system),
#                             RSS_MIB and STEAL_S for that run
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
steal() { awk '/^cpu / {print $9}' /proc/stat; }
first_run() {
  local bin=$1 list=$2 dir=$3 s0 usr sys rss
  rm -rf "$dir"; mkdir -p "$dir/drive"
  s0=$(steal)
  /usr/bin/time -f "%e %U %S %M" -o "$dir.time" "$bin" export --demo --input "$list" --drive "$dir/drive" --db "$dir/db.sqlite" > /dev/null
  STEAL_S=$(awk -v a="$s0" -v b="$(steal)" 'BEGIN {print (b - a) / 100}')
  read -r WALL usr sys rss < "$dir.time"
  CPU=$(awk -v u="$usr" -v s="$sys" 'BEGIN {print u + s}')
  RSS_MIB=$((rss / 1024))
}
