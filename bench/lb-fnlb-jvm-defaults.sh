#!/usr/bin/env bash
# fnlb with the JVM's own defaults instead of bin/fnlb's tuned ones: G1, a heap of up to a quarter
# of RAM and as much direct memory, and Netty's default allocator: what a user gets without the
# launcher's choices. (The heap cap alone is compared by lb-fnlb-unlimited-heap.sh.) Foreground
# (exec), on the port and nodes bench.sh uses.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export FNLB_JVM_OPTS="--enable-native-access=ALL-UNNAMED -Dio.netty.leakDetection.level=disabled"
exec "$ROOT/bin/fnlb" -listen 127.0.0.1:18081 -nodes 127.0.0.1:18090,127.0.0.1:18091
