#!/usr/bin/env bash
# Memory per idle client connection: opens N keep-alive connections to fnlb (idle_clients.py:
# each sends one GET, reads the 200, then stays open and idle), holds them HOLD seconds, reports
# the JVM's VmRSS and VmHWM before, while held and after closing them, and how many fnlb kept open.
#
# Usage: bench/idle-connections.sh [-n CONNS] [-H HOLD_SECS]   (env N, default 10000; HOLD, 10)
# FNLB_JVM_OPTS, when set, replaces bin/fnlb's JVM options. Runs under flock /tmp/fnlb-bench.lock.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${N:-10000} HOLD=${HOLD:-10}
while getopts "n:H:h" o; do case $o in n) N=$OPTARG;; H) HOLD=$OPTARG;; *) usage; exit 2;; esac; done
require_tools nginx curl ss python3
ensure_jar
bench_lock "$BENCH_DIR/idle-connections.sh" -n "$N" -H "$HOLD"
# The client holds N sockets and fnlb N more (+ its own files); both inherit this limit (the JVM
# raises its soft limit to the hard one by itself).
raise_nofile $((N + 1024))
trap_cleanup
require_free "${NODE_PORTS[@]}" "$FNLB_PORT"
start_backend small ''
start_fnlb -listen "127.0.0.1:$FNLB_PORT" -nodes "127.0.0.1:${NODE_PORTS[0]},127.0.0.1:${NODE_PORTS[1]}"
await_fnlb /r/app/idle
jvm=$(jvm_pid)

# Bounded: opening is capped by per-connection timeouts of 10 s, 200 at a time.
limit=$((N * 20 / 200 + HOLD + 120))
timeout "$limit" python3 "$BENCH_DIR/idle_clients.py" --port "$FNLB_PORT" --n "$N" --hold "$HOLD" --pid "$jvm" \
  > "$RUN/idle.txt" 2>&1 || { echo "idle_clients.py failed or took over ${limit}s:" >&2; cat "$RUN/idle.txt" >&2; exit 1; }
grep '^#' "$RUN/idle.txt" >&2 || true
line=$(grep '^IDLE ' "$RUN/idle.txt") || { cat "$RUN/idle.txt" >&2; exit 1; }
serving=no
[ "$(code "$FNLB_PORT" /r/app/idle)" = 200 ] && serving=yes
echo "idle-connections: ${line#IDLE }; still serving: $serving"
