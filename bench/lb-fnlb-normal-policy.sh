#!/usr/bin/env bash
# fnlb with bin/fnlb's own settings but the normal scheduling policy (FNLB_SCHED_BATCH=0), on the
# port and nodes bench.sh uses (foreground, exec).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export FNLB_SCHED_BATCH=0
exec "$ROOT/bin/fnlb" -listen 127.0.0.1:18081 -nodes 127.0.0.1:18090,127.0.0.1:18091
