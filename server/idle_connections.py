#!/usr/bin/env python3
"""Holds many idle and half-sent connections to the server while normal requests are made.

Usage: idle_connections.py HOST:PORT COUNT SECONDS PATH...

Opens COUNT connections: half send nothing, half send an unfinished request header (a slow
client). For SECONDS it then makes normal requests for each PATH in turn on new connections,
which must all answer 200. Afterwards it checks that the server closed every held connection
(its header timeout). Prints one summary line; exits 1 on any failure.
"""
import http.client
import select
import socket
import sys
import time


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    count, seconds, paths = int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
    held = []
    started = time.monotonic()
    for n in range(count):
        s = socket.create_connection((host, int(port)), timeout=10)
        if n % 2:
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        s.setblocking(False)
        held.append(s)
    opened = time.monotonic() - started

    served, failures, worst = 0, [], 0.0
    deadline = started + seconds
    while time.monotonic() < deadline:
        for path in paths:
            t0 = time.monotonic()
            try:
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
                conn.request("GET", path, headers={"Accept-Encoding": "br, gzip"})
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    served += 1
                else:
                    failures.append(f"{path}: HTTP {response.status}")
            except OSError as error:
                failures.append(f"{path}: {error}")
            worst = max(worst, time.monotonic() - t0)
        time.sleep(0.05)

    # Still open while the normal requests were served?
    closed_early = sum(1 for s in held if closed(s))

    # The server's header timeout must close every held connection.
    end = time.monotonic() + 5
    while time.monotonic() < end and not all(closed(s) for s in held if s.fileno() != -1):
        time.sleep(0.2)
    left_open = sum(1 for s in held if not closed(s))
    for s in held:
        s.close()

    print(
        f"idle: {count} connections opened in {opened:.1f} s and held {seconds:.0f} s; "
        f"{served} normal requests served meanwhile (slowest {worst * 1000:.0f} ms), "
        f"{len(failures)} failed; {closed_early} closed before the end, "
        f"{left_open} still open 5 s after"
    )
    ok = True
    if failures or served == 0:
        print("idle: FAILED: normal requests failed: " + "; ".join(failures[:5]), file=sys.stderr)
        ok = False
    if left_open:
        print(f"idle: FAILED: {left_open} held connections were never closed by the server", file=sys.stderr)
        ok = False
    sys.exit(0 if ok else 1)


def closed(s):
    """Whether the server closed this socket (readable with no data, or reset)."""
    if s.fileno() == -1:
        return True
    poller = select.poll()  # select() cannot watch descriptors above 1023
    poller.register(s, select.POLLIN)
    if not poller.poll(0):
        return False
    try:
        data = s.recv(4096)
    except BlockingIOError:
        return False
    except OSError:
        s.close()
        return True
    if data:
        # An answer (408/400) before closing: closed once EOF follows.
        return False
    s.close()
    return True


if __name__ == "__main__":
    main()
