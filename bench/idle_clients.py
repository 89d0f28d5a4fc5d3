#!/usr/bin/env python3
"""Idle keep-alive clients for idle-connections.sh.

Opens N HTTP/1.1 connections to 127.0.0.1:PORT (at most CONCURRENCY opening at once), sends one
GET on each and reads the whole response, then leaves every connection open and idle. After the
last one is open it waits HOLD seconds, reads the memory of process PID from /proc, closes all the
connections, waits 2 s and reads it again. Prints "# ..." progress lines and one "IDLE k=v ..."
result line.

Source addresses rotate over 127.0.0.1, 127.0.0.2, ... (25,000 connections each), so N is not
bounded by the ephemeral ports of one address pair.

Usage: idle_clients.py --port PORT --n N --hold SECS --pid PID [--concurrency C] [--path PATH]
"""
import argparse
import asyncio
import resource
import sys
import time
from collections import Counter

PER_SOURCE = 25000


def memory(pid):
    """VmRSS and VmHWM of pid, in KiB."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values


def show(m):
    return f"VmRSS={m['VmRSS'] / 1024:.1f}MB VmHWM={m['VmHWM'] / 1024:.1f}MB"


async def read_response(reader):
    """Reads one response with a Content-Length body; returns its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def open_one(i, args, gate, conns, failures):
    source = f"127.0.0.{1 + i // PER_SOURCE}"
    async with gate:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", args.port, local_addr=(source, 0)), 10)
        except (OSError, asyncio.TimeoutError) as e:
            failures[f"connect: {e}"] += 1
            return
        try:
            writer.write(f"GET {args.path} HTTP/1.1\r\nHost: 127.0.0.1:{args.port}\r\n\r\n".encode())
            status = await asyncio.wait_for(read_response(reader), 10)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as e:
            failures[f"request: {type(e).__name__}"] += 1
            writer.close()
            return
        if status != 200:
            failures[f"status {status}"] += 1
            writer.close()
            return
        conns.append((reader, writer))


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--hold", type=float, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--concurrency", type=int, default=200)
    p.add_argument("--path", default="/r/app/idle")
    args = p.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = args.n + 256
    if soft != resource.RLIM_INFINITY and soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        if new < want:
            print(f"# open files limited to {new} (hard limit); expect failed connections", flush=True)

    before = memory(args.pid)
    gate = asyncio.Semaphore(args.concurrency)
    conns, failures = [], Counter()
    t0 = time.monotonic()
    await asyncio.gather(*(open_one(i, args, gate, conns, failures) for i in range(args.n)))
    opened_s = time.monotonic() - t0
    print(f"# {len(conns)} connections open after {opened_s:.1f} s; fnlb {show(memory(args.pid))}", flush=True)

    await asyncio.sleep(args.hold)
    # A connection the server closed has seen EOF by now (the transports keep reading).
    still_open = sum(1 for reader, _ in conns if not reader.at_eof())
    held = memory(args.pid)

    for _, writer in conns:
        writer.close()
    await asyncio.sleep(2)
    after = memory(args.pid)

    failed = sum(failures.values())
    detail = "".join(f", {k}: {v}" for k, v in sorted(failures.items()))
    per_conn = (held["VmRSS"] - before["VmRSS"]) / len(conns) if conns else 0
    print(f"IDLE {len(conns)} of {args.n} connections opened in {opened_s:.1f} s ({failed} failed{detail}), "
          f"{still_open} still open after {args.hold:g} s idle; fnlb before: {show(before)}; holding them: {show(held)} "
          f"(~{per_conn:.1f} KB RSS per connection); 2 s after closing them: {show(after)}", flush=True)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)
