# Sourced by the web benchmark scripts (not run on its own). Defines
#   measure PID WRK-ARGS...   one wrk run (-t1, $CONN connections, $DUR seconds) against the server PID; prints
#                             "<µs of the server's CPU per request> <req/s> <p99 ms>"
# with TMP, CONN and DUR set by the caller. The server's CPU is its own user+system time (/proc/PID/stat) over the
# run, divided by the requests wrk completed: unlike req/s it hardly depends on what else runs on the machine.
# A run with any non-2xx answer stops the script.
TICKS=$(getconf CLK_TCK)
server_cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
measure() {
  local pid=$1 before after
  shift
  before=$(server_cpu "$pid")
  wrk -t1 -c"$CONN" -d"${DUR}s" --latency "$@" > "$TMP/run"
  after=$(server_cpu "$pid")
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
