#!/usr/bin/env bash
# Where the CPU of a request goes, per thread kind, for LBs run in turn (interleaved): for each run
# one line with req/s and the CPU time per request of the LB's threads by kind (the event loops,
# the JIT compilers, the rest of the JVM; HAProxy's and nginx's threads count as event loops), of
# the nginx nodes and of wrk itself, and the LB's share relative to wrk and nodes. wrk and the
# nodes do the same work under every LB, so "lb/peers" is moved less by the box's speed than the
# LB's CPU per request alone. "idle %" and "cs/req" are of the whole machine (/proc/stat): the share
# of CPU time it was idle and its context switches per request, which show how the work was spread
# in time (a closed loop on a shared box loses requests to idle gaps, not only to CPU spent). The
# last three are per request from the threads' scheduler counters: how often the LB's threads
# blocked ("lb slp", each a wake-up someone pays for later), how often the nodes' workers were
# preempted ("node pr") and how long they waited, runnable, for a CPU ("node wt", µs). When the
# node is the bottleneck, its run time plus that wait sets the throughput.
# Threads that start and end inside the measured window are not counted.
#
# Usage: bench/cpu-split.sh [-r REPS] [-w WARM] [-d SECS] [-c CONNS] [-b BODY] NAME=LB_CMD...
#   e.g. bench/cpu-split.sh -r 4 haproxy=lb-haproxy.sh "fnlb=bin/fnlb -listen 127.0.0.1:18081 -nodes 127.0.0.1:18090,127.0.0.1:18091"
#   -r  repetitions of the whole sequence (default 3)     -w  warm-up seconds before measuring (10)
#   -d  measured seconds (10)   -c  wrk connections (64)   -b  node response body: small or 64k (small)
# The LB must listen on 127.0.0.1:18081 in the foreground; nodes: one nginx on 18090 and 18091.
# Runs under flock /tmp/fnlb-bench.lock.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
REPS=3 WARM=10 DUR=10 CONNS=64 BODY=small
while getopts "r:w:d:c:b:h" o; do
  case $o in
    r) REPS=$OPTARG;; w) WARM=$OPTARG;; d) DUR=$OPTARG;; c) CONNS=$OPTARG;; b) BODY=$OPTARG;;
    *) usage; exit 2;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { usage; exit 2; }
require_tools nginx wrk curl ss python3
ensure_jar
bench_lock "$BENCH_DIR/cpu-split.sh" -r "$REPS" -w "$WARM" -d "$DUR" -c "$CONNS" -b "$BODY" "$@"
raise_nofile $((2 * CONNS + 1024))
trap_cleanup
require_free "${NODE_PORTS[@]}" "$FNLB_PORT"
start_backend "$BODY" ''
nodes_pid=${STARTED[0]}

# "loop jit other" CPU ticks of the threads of processes $@, by thread name (Netty names its event
# loops multiThreadIoEventLoopGroup-N-M, of which Linux keeps the first 15 bytes).
thread_ticks() {
  local p t
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(cpu_ticks "${t#/proc/}" 2>/dev/null || echo 0)"
    done
  done | awk -F'\t' '
    $1 ~ /Compiler/ {j += $2; next}
    $1 ~ /^multiThreadIoEv|^haproxy|^nginx/ {l += $2; next}
    {o += $2}
    END {printf "%d %d %d\n", l, j, o}'
}
# "idle total switches" of the whole machine: idle+iowait and all CPU ticks, and context switches.
box_ticks() { awk '$1 == "cpu" {t = 0; for (i = 2; i <= NF; i++) t += $i; i0 = $5 + $6} $1 == "ctxt" {c = $2} END {print i0, t, c}' /proc/stat; }
# "runqueue_wait_ns voluntary nonvoluntary" summed over the threads of processes $@: the time they
# were runnable but waited for a CPU (/proc/PID/task/TID/schedstat; 0 on a kernel without it),
# how often they blocked, and how often they were preempted. A thread gone meanwhile is skipped.
sched_counts() {
  local p t
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      # shellcheck disable=SC2046
      awk 'FILENAME ~ /schedstat$/ {w = $2; next}
           /^voluntary_ctxt_switches/ {v = $2} /^nonvoluntary_ctxt_switches/ {n = $2}
           END {printf "%.0f %.0f %.0f\n", w, v, n}' "$t/status" $([ -r "$t/schedstat" ] && echo "$t/schedstat") 2>/dev/null || true
    done
  done | awk '{w += $1; v += $2; n += $3} END {printf "%.0f %.0f %.0f\n", w, v, n}'
}
tree_ticks() { local p s=0; for p in "$1" $(descendants "$1"); do s=$((s + $(cpu_ticks "$p" 2>/dev/null || echo 0))); done; echo "$s"; }
url=http://127.0.0.1:$FNLB_PORT
# wrk as bench.sh runs it; -d SECS goes in front.
wrk_args=(-t 2 -c "$CONNS" --timeout 5s -s "$BENCH_DIR/paths.lua" "$url" -- 8)

printf '%-12s %9s %8s %8s %8s %8s %8s %8s %9s %6s %6s %7s %7s %7s\n' system 'req/s' 'loop us' 'jit us' 'other us' 'LB us' 'nodes us' 'wrk us' 'lb/peers' 'idle %' 'cs/req' 'lb slp' 'node pr' 'node wt'
for rep in $(seq "$REPS"); do
  for spec in "$@"; do
    name=${spec%%=*} cmd=${spec#*=}
    read -r -a argv <<<"$cmd"
    argv[0]=$(resolve_command "${argv[0]}")
    echo "# rep $rep/$REPS $name" >&2
    "${argv[@]}" > "$RUN/lb.log" 2>&1 &
    lb=$!
    STARTED+=("$lb")
    t0=$SECONDS
    until [ "$(code "$FNLB_PORT" /r/app/f1)" = 200 ]; do
      kill -0 "$lb" 2>/dev/null || { echo "$name exited:" >&2; tail -20 "$RUN/lb.log" >&2; exit 1; }
      [ $((SECONDS - t0)) -lt 60 ] || { echo "$name not ready in 60 s" >&2; exit 1; }
      sleep 0.1
    done
    sleep 1
    [ "$WARM" -gt 0 ] && timeout $((WARM + 30)) wrk -d "${WARM}s" "${wrk_args[@]}" > /dev/null
    # shellcheck disable=SC2046
    read -r l0 j0 o0 <<<"$(thread_ticks "$lb" $(descendants "$lb"))"
    n0=$(tree_ticks "$nodes_pid")
    # shellcheck disable=SC2046
    read -r nw0 _ np0 <<<"$(sched_counts $(descendants "$nodes_pid"))"
    # shellcheck disable=SC2046
    read -r _ lv0 _ <<<"$(sched_counts "$lb" $(descendants "$lb"))"
    read -r bi0 bt0 bc0 <<<"$(box_ticks)"
    # wrk's own CPU: the rusage of its process, which python3 waits for.
    out=$(python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r.stdout)
print("WRKCPU %.6f" % (u.ru_utime + u.ru_stime))' timeout $((DUR + 30)) wrk -d "${DUR}s" "${wrk_args[@]}")
    # shellcheck disable=SC2046
    read -r l1 j1 o1 <<<"$(thread_ticks "$lb" $(descendants "$lb"))"
    n1=$(tree_ticks "$nodes_pid")
    # shellcheck disable=SC2046
    read -r nw1 _ np1 <<<"$(sched_counts $(descendants "$nodes_pid"))"
    # shellcheck disable=SC2046
    read -r _ lv1 _ <<<"$(sched_counts "$lb" $(descendants "$lb"))"
    read -r bi1 bt1 bc1 <<<"$(box_ticks)"
    stop_pid "$lb"
    STARTED=("$nodes_pid")
    python3 - "$name" "$(getconf CLK_TCK)" "$l0 $j0 $o0 $n0" "$l1 $j1 $o1 $n1" "$out" "$((bi1 - bi0)) $((bt1 - bt0)) $((bc1 - bc0))" \
      "$((lv1 - lv0)) $((np1 - np0)) $((nw1 - nw0))" <<'PY'
import re, sys
name, hz = sys.argv[1], int(sys.argv[2])
a = [int(x) for x in sys.argv[3].split()]
b = [int(x) for x in sys.argv[4].split()]
out = sys.argv[5]
reqs = int(re.search(r"WRK requests=(\d+)", out).group(1))
rps = float(re.search(r" rps=([0-9.]+)", out).group(1))
wrk = float(re.search(r"WRKCPU ([0-9.]+)", out).group(1)) * 1e6 / reqs
loop, jit, other, nodes = [(y - x) * 1e6 / hz / reqs for x, y in zip(a, b)]
lb = loop + jit + other
idle, total, switches = [int(x) for x in sys.argv[6].split()]
print(f"{name:<12} {rps:9.0f} {loop:8.1f} {jit:8.1f} {other:8.1f} {lb:8.1f} {nodes:8.1f} {wrk:8.1f} {lb / (nodes + wrk):9.3f}"
      f" {100 * idle / total:6.1f} {switches / reqs:6.2f}", end="")
lb_sleeps, node_preempted, node_wait_ns = [int(x) for x in sys.argv[7].split()]
print(f" {lb_sleeps / reqs:7.3f} {node_preempted / reqs:7.3f} {node_wait_ns / 1e3 / reqs:7.2f}")
PY
  done
done
