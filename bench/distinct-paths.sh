#!/usr/bin/env bash
# Memory under a flood of distinct paths: drives N requests, each to a path never seen before
# (/r/appK/fn, K = 1..N, wrk with distinct-paths.lua), through fnlb to the two nginx nodes, which
# answer every call with "XXX-FXLB-WAIT: 10ms" so fnlb records a wait average per path (SPEC
# §3.5-3.6: that per-key state must stay bounded). Reports the JVM's VmRSS and VmHWM before the
# load, after N/2 paths and after N, and whether fnlb still answers 200 afterwards.
#
# Usage: bench/distinct-paths.sh [-n PATHS] [-c CONNS] [-t THREADS] [-m MAX_SECS]
#   -n PATHS     distinct paths in all (env N, default 1000000)
#   -c CONNS     wrk connections (default 64)      -t THREADS  wrk threads (default 2)
#   -m MAX_SECS  bound on each half of the run (default 600); a half cut short is reported
# FNLB_JVM_OPTS, when set, replaces bin/fnlb's JVM options. Runs under flock /tmp/fnlb-bench.lock.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${N:-1000000} CONNS=64 THREADS=2 MAX=600
while getopts "n:c:t:m:h" o; do
  case $o in n) N=$OPTARG;; c) CONNS=$OPTARG;; t) THREADS=$OPTARG;; m) MAX=$OPTARG;; *) usage; exit 2;; esac
done
[ "$N" -ge $((2 * THREADS)) ] || { echo "-n must be at least twice the threads" >&2; exit 2; }
require_tools nginx wrk curl ss
ensure_jar
bench_lock "$BENCH_DIR/distinct-paths.sh" -n "$N" -c "$CONNS" -t "$THREADS" -m "$MAX"
raise_nofile $((2 * CONNS + 1024))
trap_cleanup
require_free "${NODE_PORTS[@]}" "$FNLB_PORT"
start_backend small 'add_header XXX-FXLB-WAIT 10ms always;'
curl -s -D - -o /dev/null "http://127.0.0.1:${NODE_PORTS[0]}/r/app0/fn" | grep -qi '^XXX-FXLB-WAIT: 10ms' \
  || { echo "the nodes do not send XXX-FXLB-WAIT" >&2; exit 1; }
start_fnlb -listen "127.0.0.1:$FNLB_PORT" -nodes "127.0.0.1:${NODE_PORTS[0]},127.0.0.1:${NODE_PORTS[1]}"
await_fnlb /r/app0/fn
jvm=$(jvm_pid)

# Sends COUNT requests to paths FIRST.. and prints wrk's WRK line; ends wrk by SIGINT once every
# thread has its share of responses (wrk otherwise runs for its whole -d).
TOTAL_REQ=0 TOTAL_NON200=0 TOTAL_SOCKERR=0 CUT_SHORT=0
run_part() {
  local first=$1 count=$2 out=$RUN/distinct-wrk-$1.txt done_file=$RUN/distinct-done t0=$SECONDS line
  rm -f "$done_file"
  wrk -t "$THREADS" -c "$CONNS" -d "${MAX}s" --timeout 5s -s "$BENCH_DIR/distinct-paths.lua" \
      "http://127.0.0.1:$FNLB_PORT" -- "$first" "$count" "$THREADS" "$done_file" > "$out" 2>&1 &
  local wrk_pid=$!
  STARTED+=("$wrk_pid")
  while kill -0 "$wrk_pid" 2>/dev/null; do
    if [ -f "$done_file" ] && [ "$(wc -l < "$done_file")" -ge "$THREADS" ]; then kill -INT "$wrk_pid"; break; fi
    [ $((SECONDS - t0)) -lt $((MAX + 30)) ] || { kill -KILL "$wrk_pid"; break; }
    sleep 0.2
  done
  wait "$wrk_pid" || true
  line=$(grep '^WRK ' "$out") || { echo "wrk printed no result:" >&2; cat "$out" >&2; exit 1; }
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " $line"; }
  TOTAL_REQ=$((TOTAL_REQ + $(get requests)))
  TOTAL_NON200=$((TOTAL_NON200 + $(get err_status)))
  TOTAL_SOCKERR=$((TOTAL_SOCKERR + $(get err_connect) + $(get err_read) + $(get err_write) + $(get err_timeout)))
  [ "$({ wc -l < "$done_file"; } 2>/dev/null || echo 0)" -ge "$THREADS" ] || CUT_SHORT=1
  echo "# paths $first..$((first + count - 1)): $(get requests) responses in $((SECONDS - t0)) s ($(get rps) req/s), fnlb $(rss_of "$jvm")" >&2
}

t_start=$SECONDS
before=$(rss_of "$jvm")
half=$((N / 2))
run_part 1 "$half"
mid=$(rss_of "$jvm")
run_part $((half + 1)) $((N - half))
end=$(rss_of "$jvm")
elapsed=$((SECONDS - t_start))
serving=no
[ "$(code "$FNLB_PORT" /r/app-after/fn)" = 200 ] && serving=yes
kill -0 "$FNLB_PID" 2>/dev/null || serving="no (fnlb exited)"
short=''; [ "$CUT_SHORT" = 0 ] || short=" (CUT SHORT: wrk ended before all the paths were answered)"
echo "distinct-paths: $N paths, $TOTAL_REQ responses in ${elapsed} s$short, non-2xx=$TOTAL_NON200 sock_errors=$TOTAL_SOCKERR;" \
     "fnlb before: $before; after $half: $mid; after $N: $end; still serving: $serving"
