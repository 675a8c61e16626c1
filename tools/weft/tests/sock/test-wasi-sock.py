#!/usr/bin/env python3
"""test-wasi-sock.py WEFT OUTDIR — sock_accept's success path through the weft command.

A listening TCP socket on 127.0.0.1 (ephemeral port) is weft's stdin, so the program sees it
as fd 0 (a stream socket, with sock_accept among its rights). wasi_sock_echo.wasm accepts a
connection, receives a line, sends back "got: " + the line, shuts its side down and exits 0.
The driver connects, sends, reads to end of stream and checks the reply and the status."""
import os, socket, subprocess, sys

weft, out = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(out, exist_ok=True)
wasm = os.path.join(out, "wasi_sock_echo.wasm")
subprocess.run(["wat2wasm", "--enable-threads", os.path.join(here, "wasi_sock_echo.wat"), "-o", wasm],
               check=True)

fails = 0
def check(ok, what):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        fails += 1

def run_once(msg):
    """One weft run serving one connection; returns (status, reply, stderr)."""
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    port = ls.getsockname()[1]
    p = subprocess.Popen([weft, wasm], stdin=ls.fileno(), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    ls.close()   # weft holds its own copy
    reply = b""
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=10)
        c.settimeout(10)
        c.sendall(msg)
        while True:
            b = c.recv(4096)
            if not b:
                break
            reply += b
        c.close()
    except OSError as e:
        print("     client: %s" % e)
    try:
        _, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    return p.returncode, reply, err.decode(errors="replace")

for msg in (b"hello weft\n", b"x" * 200 + b"\n"):
    status, reply, err = run_once(msg)
    name = "echo %d bytes" % len(msg)
    check(status == 0, "%s: status %s (want 0)%s" % (name, status, " stderr: " + err if err else ""))
    check(reply == b"got: " + msg, "%s: reply %r" % (name, reply[:40]))

print("all passed" if fails == 0 else "%d failed" % fails)
sys.exit(1 if fails else 0)
