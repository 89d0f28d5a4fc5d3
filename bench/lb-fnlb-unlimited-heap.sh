#!/usr/bin/env bash
# fnlb with bin/fnlb's own settings except the heap cap: -Xmx is raised to a quarter of RAM (the
# JVM's default cap), everything else stays (Serial GC, AOT cache, ...). The reference that the
# launcher's 64 MiB heap must not be slower than. Foreground (exec), on the port and nodes
# bench.sh uses.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ram_kib=$(awk '$1 == "MemTotal:" {print $2}' /proc/meminfo)
export FNLB_JVM_EXTRA_OPTS="-Xmx$((ram_kib / 4))k"
exec "$ROOT/bin/fnlb" -listen 127.0.0.1:18081 -nodes 127.0.0.1:18090,127.0.0.1:18091
