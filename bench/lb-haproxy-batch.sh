#!/usr/bin/env bash
# HAProxy as lb-haproxy.sh, under the SCHED_BATCH scheduling policy that bin/fnlb gives fnlb: what
# the same policy does for HAProxy (foreground, exec).
HERE=$(cd "$(dirname "$0")" && pwd)
exec chrt --batch 0 "$HERE/lb-haproxy.sh"
