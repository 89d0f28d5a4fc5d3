#!/usr/bin/env bash
# The comparison in one command: fnlb vs HAProxy vs nginx (and wrk straight at a node, "direct")
# on loopback, as bench/README.md describes. Installs what is missing (apt-get, when root), builds
# target/fnlb.jar from the current sources, runs bench/matrix.sh interleaved for both body sizes at
# 64 connections and again at 1,024 connections, then prints the summary table.
#
# Usage: bench/compare.sh [-r REPS] [-w WARM_S] [-d SECS] [-c CONNS] [-C HIGH_CONNS]
#                         [-b BODIES] [-B HIGH_BODIES] [-s SYSTEMS] [-n]
#   -r REPS         interleaved repeats of every run (env REPS, default 3)
#   -w WARM_S       warm-up seconds before every measured run (env WARM, default 10)
#   -d SECS         measured seconds per run (env DUR, default 10)
#   -c CONNS        wrk connections of the first pass (default 64)
#   -C HIGH_CONNS   wrk connections of the second pass (default 1024; 0 skips it)
#   -b BODIES       body sizes of the first pass (default "small 64k")
#   -B HIGH_BODIES  body sizes of the second pass (default "small 64k")
#   -s SYSTEMS      any of "direct haproxy nginx fnlb haproxy-forwarded fnlb-unlimited-heap
#                   fnlb-jvm-defaults" (default the first four, in that order; haproxy-forwarded is
#                   HAProxy also setting the X-Forwarded-* headers fnlb must set; fnlb-unlimited-heap is
#                   bin/fnlb's settings with the heap cap raised to RAM/4; fnlb-jvm-defaults is fnlb on
#                   the JVM's own settings: G1, heap up to RAM/4)
#   -n              do not rebuild target/fnlb.jar (it is still built when missing)
# FNLB_JVM_OPTS, when set, replaces bin/fnlb's JVM options. BENCH_RUN: scratch dir (/tmp/fnlb-bench).
# The measurements run under flock /tmp/fnlb-bench.lock; installing and building happen before.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
REPS=${REPS:-3} WARM=${WARM:-10} DUR=${DUR:-10}
CONNS=64 HIGH_CONNS=1024 BODIES="small 64k" HIGH_BODIES="small 64k" SYSTEMS="direct haproxy nginx fnlb" BUILD=1
while getopts "r:w:d:c:C:b:B:s:nh" o; do
  case $o in
    r) REPS=$OPTARG;; w) WARM=$OPTARG;; d) DUR=$OPTARG;; c) CONNS=$OPTARG;; C) HIGH_CONNS=$OPTARG;;
    b) BODIES=$OPTARG;; B) HIGH_BODIES=$OPTARG;; s) SYSTEMS=$OPTARG;; n) BUILD=0;;
    *) usage; exit 2;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { usage; exit 2; }

specs=()
for s in $SYSTEMS; do
  case $s in
    direct) specs+=(direct);;
    haproxy) specs+=("haproxy=lb-haproxy.sh");;
    haproxy-forwarded) specs+=("haproxy-forwarded=lb-haproxy-forwarded.sh");;
    nginx) specs+=("nginx=lb-nginx.sh");;
    fnlb) specs+=("fnlb=bin/fnlb -listen 127.0.0.1:$FNLB_PORT -nodes 127.0.0.1:${NODE_PORTS[0]},127.0.0.1:${NODE_PORTS[1]}");;
    fnlb-unlimited-heap) specs+=("fnlb-unlimited-heap=lb-fnlb-unlimited-heap.sh");;
    fnlb-jvm-defaults) specs+=("fnlb-jvm-defaults=lb-fnlb-jvm-defaults.sh");;
    *) echo "unknown system \"$s\" (direct, haproxy, nginx, fnlb, haproxy-forwarded, fnlb-unlimited-heap, fnlb-jvm-defaults)" >&2; exit 2;;
  esac
done

# --- prerequisites (outside the lock: installing and compiling are not measurements) -------------
if [ -z "${FNLB_COMPARE_PREPARED:-}" ]; then
  declare -A package=([wrk]=wrk [haproxy]=haproxy [nginx]=nginx [curl]=curl [ss]=iproute2
                      [python3]=python3 [flock]=util-linux [timeout]=coreutils)
  missing=()
  for t in wrk haproxy nginx curl ss python3 flock timeout; do
    command -v "$t" > /dev/null || missing+=("${package[$t]}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
      echo "# installing ${missing[*]} with apt-get" >&2
      # Debian's nginx and haproxy packages start system services (nginx on port 80); the
      # benchmark runs its own instances on 127.0.0.1:18081 and 18090-18091 and does not use them.
      DEBIAN_FRONTEND=noninteractive apt-get update -q
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
      for t in wrk haproxy nginx curl ss python3 flock timeout; do
        command -v "$t" > /dev/null || { echo "$t is still missing after installing ${package[$t]}" >&2; exit 1; }
      done
    else
      echo "missing: ${missing[*]}; install them first, e.g. sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  cd "$ROOT"
  if [ "$BUILD" = 1 ]; then
    echo "# building target/fnlb.jar from the current sources" >&2
    FNLB_REBUILD=1 bin/fnlb -help > /dev/null || { echo "building fnlb failed" >&2; exit 1; }
  else
    ensure_jar
  fi
  export FNLB_COMPARE_PREPARED=1
fi

bench_lock "$BENCH_DIR/compare.sh" -r "$REPS" -w "$WARM" -d "$DUR" -c "$CONNS" -C "$HIGH_CONNS" \
  -b "$BODIES" -B "$HIGH_BODIES" -s "$SYSTEMS"
# bench.sh looks relative commands (bin/fnlb) up in the current directory first.
cd "$ROOT"
# 1,024 wrk connections and the LB's two descriptors per connection need more than the usual 1,024.
raise_nofile 8192

passes=("$CONNS|$BODIES")
[ "$HIGH_CONNS" = 0 ] || passes+=("$HIGH_CONNS|$HIGH_BODIES")
runs=0
for p in "${passes[@]}"; do n=$(wc -w <<< "${p#*|}"); runs=$((runs + n * REPS * ${#specs[@]})); done
OUT=$RUN/compare-$(date +%Y%m%d-%H%M%S).tsv
mkdir -p "$RUN"
{
  echo "# fnlb comparison: $runs runs of ${WARM}s warm-up + ${DUR}s measured, about $(( runs * (WARM + DUR + 5) / 60 + 1 )) min"
  echo "# $(nginx -v 2>&1); $(haproxy -v 2>/dev/null | head -1 | cut -d' ' -f1-3); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "# fnlb $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '(no git)'), JVM options: ${FNLB_JVM_OPTS-(bin/fnlb defaults)}"
  echo "# $(getconf _NPROCESSORS_ONLN) cores, results in $OUT"
} >&2
for p in "${passes[@]}"; do
  "$BENCH_DIR/matrix.sh" -s -r "$REPS" -w "$WARM" -d "$DUR" -c "${p%%|*}" -b "${p#*|}" -o "$OUT" "${specs[@]}"
done
echo
python3 "$BENCH_DIR/summarize.py" "$OUT"
