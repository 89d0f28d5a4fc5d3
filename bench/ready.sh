#!/usr/bin/env bash
# Start-up time: milliseconds from starting the launcher (bin/fnlb) to the first 200 proxied
# through fnlb to one nginx node, polling with curl in a tight loop (resolution: one curl, a few
# ms). Median of RUNS starts; each fnlb is stopped before the next starts. Prints one result line.
#
# Usage: bench/ready.sh [-r RUNS] [-p POLL_SECS]   (env RUNS, default 5; POLL_SECS, default 0)
#   -p  pause between polls: on a machine with few cores the tight loop of curls competes with
#       the starting JVM for CPU; a pause of 0.01 trades 10 ms of resolution for less of that
# FNLB_JVM_OPTS, when set, replaces bin/fnlb's JVM options. Runs under flock /tmp/fnlb-bench.lock.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS=${RUNS:-5} POLL=${POLL_SECS:-0}
while getopts "r:p:h" o; do case $o in r) RUNS=$OPTARG;; p) POLL=$OPTARG;; *) usage; exit 2;; esac; done
require_tools nginx curl ss
ensure_jar
bench_lock "$BENCH_DIR/ready.sh" -r "$RUNS" -p "$POLL"
trap_cleanup
node=${NODE_PORTS[0]}
require_free "$node" "$FNLB_PORT"
start_backend small '' "$node"
url=http://127.0.0.1:$FNLB_PORT/r/app/ready

times=()
for run in $(seq "$RUNS"); do
  require_free "$FNLB_PORT"
  t0=$(date +%s%N)
  start_fnlb -listen "127.0.0.1:$FNLB_PORT" -nodes "127.0.0.1:$node"
  # A refused connection returns at once, so without a pause the loop's resolution is one curl.
  polls=0
  until [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$url" || true)" = 200 ]; do
    if [ $((($(date +%s%N) - t0) / 1000000000)) -ge 60 ]; then
      echo "fnlb did not proxy a 200 within 60 s" >&2; tail -20 "$RUN/fnlb.log" >&2; exit 1
    fi
    kill -0 "$FNLB_PID" 2>/dev/null || { echo "fnlb exited:" >&2; tail -20 "$RUN/fnlb.log" >&2; exit 1; }
    polls=$((polls + 1))
    [ "$POLL" = 0 ] || sleep "$POLL"
  done
  t1=$(date +%s%N)
  times+=($(((t1 - t0) / 1000000)))
  echo "# run $run/$RUNS: ${times[-1]} ms ($polls polls before the 200, one every $((times[-1] / (polls + 1))) ms)" >&2
  stop_fnlb
done

median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR]=$1} END{print (NR % 2) ? v[(NR+1)/2] : int((v[NR/2] + v[NR/2+1]) / 2)}')
echo "ready: median ${median} ms from starting bin/fnlb to the first proxied 200 (runs: ${times[*]} ms; poll pause ${POLL} s; JVM options: ${FNLB_JVM_OPTS-bin/fnlb defaults})"
