#!/usr/bin/env bash
# Records target/fnlb.aot for bin/fnlb: train-aot.sh JAVA JAR AOT [JVM options...]
# Runs fnlb once on a free loopback port with an in-memory store, sends it a few requests so the
# request path's classes are loaded and linked, stops it with SIGTERM, and lets the JVM write the
# AOT cache on exit. Everything fnlb prints goes to a log beside the cache; this script prints one
# line on failure and exits non-zero, and bin/fnlb then runs without a cache.
set -euo pipefail
java=$1 jar=$2 aot=$3
shift 3
log=$aot.log
tmp=$aot.tmp
rm -f "$tmp"
echo "fnlb: recording a start-up cache ($aot), once per build..." >&2
"$java" "$@" -XX:AOTCacheOutput="$tmp" -jar "$jar" -listen 127.0.0.1:0 -nodes 127.0.0.1:9 -hc-interval 1 -hc-timeout 1 \
    >"$log" 2>&1 &
pid=$!
port=
for _ in $(seq 300); do
    port=$(sed -n 's/.*listening on \/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ -n "$port" ] && command -v curl >/dev/null 2>&1; then
    for path in /r/app/fn /1/lb/nodes /1/lb/stats; do
        curl -s -o /dev/null -m 2 "http://127.0.0.1:$port$path" || true
    done
fi
kill -TERM "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
if [ -z "$port" ] || [ "$status" -ne 0 ] || [ ! -s "$tmp" ]; then
    echo "fnlb: could not record the start-up cache (see $log); running without it" >&2
    rm -f "$tmp"
    exit 1
fi
mv "$tmp" "$aot"
