#!/usr/bin/env bash
# CPU cost of health checking many nodes: one nginx listening on NODES ports (127.0.0.1:BASE..)
# answers GET /version with 200 {"version":"0.3.0"}; fnlb gets all of them with -nodes and
# -hc-interval 1 and no traffic. After SETTLE seconds, fnlb's CPU time (user + system, all
# threads, from /proc/PID/stat) over SECS seconds is reported as a percentage of one core,
# with the number of nodes fnlb lists as online at the end.
#
# Usage: bench/health-cpu.sh [-n NODES] [-s SETTLE_SECS] [-d SECS] [-p BASE_PORT] [-i INTERVAL]
#   defaults: -n 1000 -s 10 -d 30 -p 20000 -i 1 (env NODES, SETTLE, SECS override the defaults)
# FNLB_JVM_OPTS, when set, replaces bin/fnlb's JVM options. Runs under flock /tmp/fnlb-bench.lock.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NODES=${NODES:-1000} SETTLE=${SETTLE:-10} SECS=${SECS:-30} BASE=20000 INTERVAL=1
while getopts "n:s:d:p:i:h" o; do
  case $o in n) NODES=$OPTARG;; s) SETTLE=$OPTARG;; d) SECS=$OPTARG;; p) BASE=$OPTARG;; i) INTERVAL=$OPTARG;;
    *) usage; exit 2;; esac
done
require_tools nginx curl ss python3
ensure_jar
bench_lock "$BENCH_DIR/health-cpu.sh" -n "$NODES" -s "$SETTLE" -d "$SECS" -p "$BASE" -i "$INTERVAL"
raise_nofile $((4 * NODES + 1024))
trap_cleanup
mapfile -t ports < <(seq "$BASE" $((BASE + NODES - 1)))
busy=$(ss -Hltn | awk '{n=split($4, a, ":"); print a[n]}' | sort -u | awk -v lo="$BASE" -v hi=$((BASE + NODES - 1)) '$1 >= lo && $1 <= hi' | head -3)
[ -z "$busy" ] || { echo "ports $BASE-$((BASE + NODES - 1)) are not all free (in use: $busy ...); pick another -p" >&2; exit 1; }
require_free "$FNLB_PORT"
start_backend small '' "${ports[@]}"
nodes=$(printf '127.0.0.1:%s,' "${ports[@]}"); nodes=${nodes%,}
start_fnlb -listen "127.0.0.1:$FNLB_PORT" -nodes "$nodes" -hc-interval "$INTERVAL"
await_fnlb /r/app/hc 120
jvm=$(jvm_pid)
backend_pid=${STARTED[0]}

online() {
  curl -s -m 10 "http://127.0.0.1:$FNLB_PORT/1/lb/nodes" \
    | python3 -c 'import json,sys; print(sum(v == "online" for v in json.load(sys.stdin)["nodes"].values()))' 2>/dev/null || echo '?'
}
sleep "$SETTLE"
hz=$(getconf CLK_TCK)
# The nginx worker answers the checks; its CPU shows what the test server itself costs.
node_ticks() { local p s=0; for p in $(descendants "$backend_pid"); do s=$((s + $(cpu_ticks "$p"))); done; echo "$s"; }
c0=$(cpu_ticks "$jvm") n0=$(node_ticks) t0=$(date +%s%N)
sleep "$SECS"
c1=$(cpu_ticks "$jvm") n1=$(node_ticks) t1=$(date +%s%N)
pct() { awk -v t="$1" -v hz="$hz" -v ns=$((t1 - t0)) 'BEGIN{printf "%.1f", t / hz / (ns / 1e9) * 100}'; }
up=$(online)
kill -0 "$FNLB_PID" 2>/dev/null || { echo "fnlb exited:" >&2; tail -20 "$RUN/fnlb.log" >&2; exit 1; }
echo "health-cpu: fnlb used $(pct $((c1 - c0)))% of one core over ${SECS} s checking $NODES nodes every ${INTERVAL} s" \
     "(online at the end: $up/$NODES; fnlb $(rss_of "$jvm"); the nginx answering used $(pct $((n1 - n0)))%)"
