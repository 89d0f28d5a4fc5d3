#!/usr/bin/env bash
# Start-up time: milliseconds from starting the launcher (bin/fnlb) to the first 200 proxied
# through fnlb to one nginx node. It polls with a raw HTTP request from bash itself (/dev/tcp, no
# process per poll, so each poll costs well under a millisecond) every POLL_SECS. Median of RUNS
# starts; each fnlb is stopped before the next starts. Prints one result line.
#
# Usage: bench/ready.sh [-r RUNS] [-p POLL_SECS]   (env RUNS, default 5; POLL_SECS, default 0.005)
#   -p  pause between polls: the resolution of the result; 0 polls in a tight loop, which on a
#       machine with few cores competes with the starting JVM for CPU
# FNLB_JVM_OPTS, when set, replaces bin/fnlb's JVM options. Runs under flock /tmp/fnlb-bench.lock.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS=${RUNS:-5} POLL=${POLL_SECS:-0.005}
while getopts "r:p:h" o; do case $o in r) RUNS=$OPTARG;; p) POLL=$OPTARG;; *) usage; exit 2;; esac; done
require_tools nginx curl ss  # curl: the node check in start_backend
ensure_jar
bench_lock "$BENCH_DIR/ready.sh" -r "$RUNS" -p "$POLL"
trap_cleanup
node=${NODE_PORTS[0]}
require_free "$node" "$FNLB_PORT"
start_backend small '' "$node"

# One GET /r/app/ready through fnlb on a fresh connection; true when the status is 200. A refused
# connection fails at once (bash's own message about it is dropped).
proxied_200() {
  local status=''
  { exec 3<>"/dev/tcp/127.0.0.1/$FNLB_PORT"; } 2>/dev/null || return 1
  printf 'GET /r/app/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 2>/dev/null || true
  IFS= read -r -t 2 status <&3 2>/dev/null || true
  exec 3<&- 3>&-
  [[ $status == "HTTP/1.1 200"* ]]
}
# Microseconds since the epoch from bash 5's EPOCHREALTIME: reading it starts no process.
[ -n "${EPOCHREALTIME:-}" ] || { echo "bench/ready.sh needs bash 5 or later (EPOCHREALTIME)" >&2; exit 1; }
# The pause between polls is a read with a timeout on a pipe that never gets data: `sleep` would
# start a process per poll, and on two cores that slowed the starting JVM by ~0.3 s.
exec {pause_fd}<> <(:)

times=()
for run in $(seq "$RUNS"); do
  require_free "$FNLB_PORT"
  t0=${EPOCHREALTIME//[!0-9]/}
  start_fnlb -listen "127.0.0.1:$FNLB_PORT" -nodes "127.0.0.1:$node"
  polls=0
  until proxied_200; do
    if [ $((${EPOCHREALTIME//[!0-9]/} - t0)) -ge 60000000 ]; then
      echo "fnlb did not proxy a 200 within 60 s" >&2; tail -20 "$RUN/fnlb.log" >&2; exit 1
    fi
    kill -0 "$FNLB_PID" 2>/dev/null || { echo "fnlb exited:" >&2; tail -20 "$RUN/fnlb.log" >&2; exit 1; }
    polls=$((polls + 1))
    [ "$POLL" = 0 ] || read -r -t "$POLL" -u "$pause_fd" _ || true
  done
  t1=${EPOCHREALTIME//[!0-9]/}
  times+=($(((t1 - t0) / 1000)))
  echo "# run $run/$RUNS: ${times[-1]} ms ($polls polls before the 200, one every $((times[-1] / (polls + 1))) ms)" >&2
  stop_fnlb
done

median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR]=$1} END{print (NR % 2) ? v[(NR+1)/2] : int((v[NR/2] + v[NR/2+1]) / 2)}')
echo "ready: median ${median} ms from starting bin/fnlb to the first proxied 200 (runs: ${times[*]} ms; poll pause ${POLL} s; JVM options: ${FNLB_JVM_OPTS-bin/fnlb defaults})"
