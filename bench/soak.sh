#!/usr/bin/env bash
# Soak test, run on demand (not in CI): fnlb in front of three nginx nodes (one nginx process
# each, on 127.0.0.1:18090-18092) under steady wrk load for DURATION, while every EVERY seconds
# one node, in turn, is stopped (SIGTERM: nginx's fast shutdown, open connections cut), left down
# for DOWN seconds and started again. At the end it reports the requests served (2xx/3xx), the
# errors (responses >= 400 and socket errors, as wrk counts them), the restarts done, and fnlb's
# heap (live after a full GC, and in use before it; jcmd GC.run and GC.heap_info) and memory
# (VmRSS, VmHWM) at the start (before the load) and at the end (after it): a leak shows as growth.
#
# Usage: bench/soak.sh [-d DURATION] [-e EVERY_SECS] [-o DOWN_SECS] [-c CONNS] [-t THREADS] [-- FNLB_FLAGS...]
#   defaults: -d 10m -e 5 -o 1 -c 32 -t 2; DURATION as wrk reads it (20s, 10m, 1h);
#   FNLB_FLAGS are added to fnlb's command line (e.g. -- -hc-interval 1).
# FNLB_JVM_OPTS, when set, replaces bin/fnlb's JVM options. Runs under flock /tmp/fnlb-bench.lock.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION=10m EVERY=5 DOWN=1 CONNS=32 THREADS=2
while getopts "d:e:o:c:t:h" o; do
  case $o in d) DURATION=$OPTARG;; e) EVERY=$OPTARG;; o) DOWN=$OPTARG;; c) CONNS=$OPTARG;; t) THREADS=$OPTARG;;
    *) usage; exit 2;; esac
done
shift $((OPTIND - 1))
EXTRA=("$@")
secs=$(awk -v d="$DURATION" 'BEGIN{n=d+0; u=substr(d, length(n "") + 1); f=(u=="m")?60:(u=="h")?3600:1; print int(n*f)}')
[ "$secs" -gt 0 ] || { echo "bad duration '$DURATION' (e.g. 20s, 10m, 1h)" >&2; exit 2; }
awk -v e="$EVERY" -v o="$DOWN" 'BEGIN{exit !(e > 0 && o >= 0 && o < e)}' \
  || { echo "need EVERY > 0 and 0 <= DOWN < EVERY (got -e $EVERY -o $DOWN)" >&2; exit 2; }
require_tools nginx wrk curl ss
# shellcheck source=/dev/null
. "$ROOT/bin/find-jdk.sh" || exit 1
JCMD=$JAVA_HOME/bin/jcmd
[ -x "$JCMD" ] || { echo "no jcmd in $JAVA_HOME (a JRE?); the heap readings need a full JDK" >&2; exit 1; }
ensure_jar
bench_lock "$BENCH_DIR/soak.sh" -d "$DURATION" -e "$EVERY" -o "$DOWN" -c "$CONNS" -t "$THREADS" -- "${EXTRA[@]}"
raise_nofile $((4 * CONNS + 1024))

PORTS=(18090 18091 18092)
NODE_PIDS=()
require_free "${PORTS[@]}" "$FNLB_PORT"
stop_nodes() { local p; for p in "${NODE_PIDS[@]}"; do [ -z "$p" ] || stop_pid "$p"; done; NODE_PIDS=(); }
trap 'stop_nodes; stop_started' EXIT
trap 'exit 130' INT TERM

# One nginx per node, so that each can be stopped alone; same configuration as the other scripts.
mkdir -p "$RUN"; chmod go+rx "$RUN" 2>/dev/null || true
prepare_node() {
  local port=$1 d=$RUN/soak-node-$1 conf
  rm -rf "$d"; mkdir -p "$d/www"
  head -c 99 /dev/zero | tr '\0' 'x' > "$d/www/body"; echo >> "$d/www/body"  # 100 B
  shopt -u patsub_replacement 2>/dev/null || true
  conf=$(grep -v '^#' "$BENCH_DIR/backend-nginx.conf.in")
  conf=${conf//@ROOT@/$d/www}
  conf=${conf//@LISTEN@/        listen 127.0.0.1:$port backlog=4096;}
  conf=${conf//@SERVER_EXTRA@/}
  printf '%s\n' "$conf" > "$d/nginx.conf"
}
start_node() {  # $1 = index into PORTS
  local port=${PORTS[$1]} d=$RUN/soak-node-${PORTS[$1]} i
  nginx -p "$d/" -e stderr -c "$d/nginx.conf" -g 'daemon off;' >> "$d/log" 2>&1 &
  NODE_PIDS[$1]=$!
  for i in $(seq 100); do
    [ "$(code "$port" /version)" = 200 ] && return 0
    kill -0 "${NODE_PIDS[$1]}" 2>/dev/null || break
    sleep 0.05
  done
  echo "node :$port did not start:" >&2; tail -5 "$d/log" >&2; exit 1
}
stop_node() { stop_pid "${NODE_PIDS[$1]}"; NODE_PIDS[$1]=''; }

# Heap in use of JVM $1 in MB: the sum of jcmd GC.heap_info's "total ..., used NK" lines (one per
# generation with Serial and Parallel, one for the whole heap with G1; jstat's eden figure lags).
heap_used() {
  "$JCMD" "$1" GC.heap_info | awk '/total .*used [0-9]+K/ {
      for (i = 1; i < NF; i++) if ($i == "used") { u += $(i + 1) + 0; n++ } }
    END { if (n) printf "%.1fMB", u / 1024; else printf "?" }'
}
# "live=X.XMB used=Y.YMB" of JVM $1: the heap after a full GC (what is still referenced, where a
# leak shows) and in use just before it.
heap_of() {
  local used live
  used=$(heap_used "$1")
  "$JCMD" "$1" GC.run > /dev/null
  live=$(heap_used "$1")
  echo "live=$live used=$used"
}

nodes=''
for i in "${!PORTS[@]}"; do prepare_node "${PORTS[i]}"; start_node "$i"; nodes+="127.0.0.1:${PORTS[i]},"; done
start_fnlb -listen "127.0.0.1:$FNLB_PORT" -nodes "${nodes%,}" "${EXTRA[@]}"
await_fnlb /r/app/f1
jvm=$(jvm_pid)
heap0=$(heap_of "$jvm") rss0=$(rss_of "$jvm")
echo "# fnlb pid $jvm ready: heap $heap0, $rss0; load for $DURATION, one node restarted every ${EVERY}s (down ${DOWN}s)" >&2

wrk_out=$RUN/soak-wrk.txt
timeout $((secs + 60)) wrk -t "$THREADS" -c "$CONNS" -d "$DURATION" --timeout 5s -s "$BENCH_DIR/paths.lua" \
  "http://127.0.0.1:$FNLB_PORT" -- 64 > "$wrk_out" 2>&1 &
wrk_pid=$!
STARTED+=("$wrk_pid")
restarts=0 next=0 t0=$SECONDS
while kill -0 "$wrk_pid" 2>/dev/null; do
  sleep "$(awk -v e="$EVERY" -v o="$DOWN" 'BEGIN{print e - o}')"
  kill -0 "$wrk_pid" 2>/dev/null || break
  stop_node "$next"
  sleep "$DOWN"
  start_node "$next"
  restarts=$((restarts + 1)) next=$(( (next + 1) % ${#PORTS[@]} ))
  if [ $((restarts % 12)) -eq 0 ]; then
    echo "# $((SECONDS - t0))s: $restarts restarts; fnlb $(rss_of "$jvm")" >&2
  fi
  kill -0 "$FNLB_PID" 2>/dev/null || { echo "fnlb exited:" >&2; tail -20 "$RUN/fnlb.log" >&2; exit 1; }
done
wait "$wrk_pid" || { echo "wrk failed:" >&2; cat "$wrk_out" >&2; exit 1; }
kill -0 "$FNLB_PID" 2>/dev/null || { echo "fnlb exited:" >&2; tail -20 "$RUN/fnlb.log" >&2; exit 1; }
heap1=$(heap_of "$jvm") rss1=$(rss_of "$jvm")

line=$(grep '^WRK ' "$wrk_out") || { cat "$wrk_out" >&2; exit 1; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<< "$line"; }
requests=$(field requests) status=$(field err_status)
connect=$(field err_connect) read=$(field err_read) write=$(field err_write) tmo=$(field err_timeout)
sock=$((connect + read + write + tmo))
echo "# fnlb log: $RUN/fnlb.log; wrk output: $wrk_out" >&2
echo "soak: $DURATION, 3 nodes, $restarts restarts (every ${EVERY}s, down ${DOWN}s), $CONNS connections:" \
     "$((requests - status)) requests served, $((status + sock)) errors ($status responses >= 400," \
     "$sock socket: connect $connect read $read write $write timeout $tmo);" \
     "fnlb heap $heap0 -> $heap1; ${rss0} -> ${rss1}"
