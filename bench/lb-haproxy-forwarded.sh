#!/usr/bin/env bash
# Foreground haproxy LB that also sets fnlb's X-Forwarded-* headers (exec, so the caller's PID is haproxy).
HERE=$(cd "$(dirname "$0")" && pwd)
exec haproxy -db -f "$HERE/lb-haproxy-forwarded.cfg"
