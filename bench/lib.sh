# shellcheck shell=bash
# Sourced by the bench scripts: the project paths, the machine-wide benchmark lock, starting and
# stopping the nginx nodes and fnlb, and reading a process's memory and CPU from /proc.
# Everything listens on and talks to 127.0.0.1 only.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RUN=${BENCH_RUN:-/tmp/fnlb-bench}
LOCK=/tmp/fnlb-bench.lock
NODE_PORTS=(18090 18091)
FNLB_PORT=18081

# Re-runs the calling script under `flock $LOCK`, so that only one benchmark runs on the machine at
# a time (CPU and memory numbers from two at once mean nothing). A script started by another bench
# script that already holds the lock runs at once: a second flock on the same file would wait for
# its own parent forever. Call as: bench_lock "$0" "$@".
bench_lock() {
  local self=$1; shift
  [ -n "${FNLB_BENCH_LOCKED:-}" ] && return 0
  export FNLB_BENCH_LOCKED=1
  flock -n "$LOCK" true 2>/dev/null || echo "waiting for $LOCK (another benchmark is running)" >&2
  exec flock "$LOCK" "$self" "$@"
}

# Prints the calling script's leading comment block (its usage).
usage() { awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; }

# Descendants of $1, children before parents (so a kill reaches the JVM before the launcher).
descendants() { local c; for c in $(pgrep -P "$1" || true); do descendants "$c"; echo "$c"; done; }

# Stops one process we started, and whatever it started: TERM, up to 10 s, then KILL the whole
# tree (bin/fnlb stays in front of its JVM, so killing only the launcher would orphan the JVM).
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    # shellcheck disable=SC2046
    kill -KILL $(descendants "$pid") "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# Processes to stop on exit, in reverse order of start; scripts append with `STARTED+=($!)`.
STARTED=()
stop_started() {
  local i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do stop_pid "${STARTED[i]}"; done
  STARTED=()
}
trap_cleanup() {
  trap 'stop_started' EXIT
  trap 'exit 130' INT TERM
}

# An LB command's path as bench.sh documents it: as given when absolute or executable from the
# current directory, else from bench/, else from the project root, else as given.
resolve_command() {
  if [[ $1 != /* ]] && [ ! -x "$1" ]; then
    if [ -f "$BENCH_DIR/$1" ] && [ -x "$BENCH_DIR/$1" ]; then echo "$BENCH_DIR/$1"; return; fi
    if [ -f "$ROOT/$1" ] && [ -x "$ROOT/$1" ]; then echo "$ROOT/$1"; return; fi
  fi
  echo "$1"
}
port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }
require_free() { local p; for p in "$@"; do port_free "$p" || { echo "port $p on this machine is already in use" >&2; exit 1; }; done; }
# HTTP status of GET 127.0.0.1:$1$2, or 000 when nothing answers within 2 s.
code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1$2" || true; }

# Soft open-files limit up to $1 (bounded by the hard limit), for many connections.
raise_nofile() {
  local want=$1 hard
  hard=$(ulimit -Hn)
  [ "$hard" = unlimited ] || [ "$hard" -ge "$want" ] || want=$hard
  [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt "$want" ] && ulimit -Sn "$want"
  [ "$(ulimit -Sn)" = unlimited ] || [ "$(ulimit -Sn)" -ge "$1" ] \
    || echo "note: open files limited to $(ulimit -Sn) (hard limit); $1 wanted" >&2
  return 0
}

require_tools() {
  local t missing=()
  for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "missing: ${missing[*]} (Debian/Ubuntu: run bench/compare.sh as root once, or apt-get install nginx haproxy wrk curl iproute2 python3)" >&2
  exit 1
}

# Builds target/fnlb.jar when missing (bin/fnlb does it on first use; run it here, not inside a
# timed measurement). FNLB_REBUILD=1 rebuilds it from the current sources.
ensure_jar() {
  if [ ! -f "$ROOT/target/fnlb.jar" ] || [ "${FNLB_REBUILD:-0}" = 1 ]; then
    echo "building $ROOT/target/fnlb.jar ..." >&2
    "$ROOT/bin/fnlb" -help > /dev/null || { echo "building fnlb failed" >&2; exit 1; }
  fi
}

# Starts one nginx process serving the fake function nodes from backend-nginx.conf.in.
# $1 = response body (small: 100 B, 64k: 65536 B), $2 = extra directives for the server block,
# $3.. = ports (default: both node ports). Waits until GET /version answers 200 on the first and
# the last port (one nginx binds all of them or none).
start_backend() {
  local body=$1 extra=$2 b=$RUN/backend p i conf listens=''
  shift 2
  local ports=("$@"); [ ${#ports[@]} -gt 0 ] || ports=("${NODE_PORTS[@]}")
  mkdir -p "$RUN"; chmod go+rx "$RUN" 2>/dev/null || true  # nginx workers run as an unprivileged user
  rm -rf "$b"; mkdir -p "$b/www"
  case $body in
    small) head -c 99 /dev/zero | tr '\0' 'x' > "$b/www/body"; echo >> "$b/www/body";;  # 100 B
    64k)   head -c 65536 /dev/urandom > "$b/www/body";;
    *) echo "unknown body $body (small|64k)" >&2; exit 2;;
  esac
  for p in "${ports[@]}"; do listens+="        listen 127.0.0.1:$p backlog=4096;"$'\n'; done
  shopt -u patsub_replacement 2>/dev/null || true  # bash 5.2: no "&" expansion in ${x//a/b}
  conf=$(grep -v '^#' "$BENCH_DIR/backend-nginx.conf.in")
  conf=${conf//@ROOT@/$b/www}
  conf=${conf//@LISTEN@/${listens%$'\n'}}
  conf=${conf//@SERVER_EXTRA@/        $extra}
  printf '%s\n' "$conf" > "$b/nginx.conf"
  nginx -p "$b/" -e stderr -c "$b/nginx.conf" -g 'daemon off;' > "$b/log" 2>&1 &
  STARTED+=($!)
  for i in $(seq 100); do
    [ "$(code "${ports[0]}" /version)$(code "${ports[-1]}" /version)" = 200200 ] && return 0
    kill -0 "${STARTED[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "the nginx nodes did not start:" >&2; cat "$b/log" >&2; exit 1
}

# Starts bin/fnlb with the given flags (FNLB_JVM_OPTS, if set, passes through to the launcher);
# sets FNLB_PID (the launcher) and appends it to STARTED. Output goes to $RUN/fnlb.log.
start_fnlb() {
  "$ROOT/bin/fnlb" "$@" > "$RUN/fnlb.log" 2>&1 &
  FNLB_PID=$!
  STARTED+=("$FNLB_PID")
}

# Stops the fnlb started last and forgets it.
stop_fnlb() {
  local keep=() p
  stop_pid "$FNLB_PID"
  for p in "${STARTED[@]}"; do [ "$p" = "$FNLB_PID" ] || keep+=("$p"); done
  STARTED=("${keep[@]}")
}

# Waits up to $2 s (default 60) until GET $1 through fnlb answers 200; exits on failure.
await_fnlb() {
  local path=$1 limit=${2:-60} t0=$SECONDS
  until [ "$(code "$FNLB_PORT" "$path")" = 200 ]; do
    kill -0 "$FNLB_PID" 2>/dev/null || { echo "fnlb exited:" >&2; tail -20 "$RUN/fnlb.log" >&2; exit 1; }
    [ $((SECONDS - t0)) -lt "$limit" ] || { echo "fnlb did not answer $path with 200 in ${limit}s" >&2; tail -20 "$RUN/fnlb.log" >&2; exit 1; }
    sleep 0.1
  done
}

# The JVM's PID: the java child of the bin/fnlb launcher (memory and CPU are read from it).
jvm_pid() {
  local i c
  for i in $(seq 100); do
    for c in $(pgrep -P "$FNLB_PID" || true); do
      [ "$(cat "/proc/$c/comm" 2>/dev/null)" = java ] && { echo "$c"; return 0; }
    done
    sleep 0.1
  done
  echo "no java process under the fnlb launcher $FNLB_PID" >&2; exit 1
}

# "VmRSS=12.3MB VmHWM=45.6MB" of process $1 (VmHWM: the peak resident set so far).
rss_of() {
  awk '$1=="VmRSS:"{r=$2} $1=="VmHWM:"{h=$2} END{printf "VmRSS=%.1fMB VmHWM=%.1fMB", r/1024, h/1024}' "/proc/$1/status"
}

# CPU time (user + system, all threads) of process $1 in clock ticks.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
