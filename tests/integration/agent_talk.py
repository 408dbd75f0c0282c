#!/usr/bin/env python3
"""Send requests to a guest's agent (core/agent_proto.h) on QEMU's unix
socket and print each one's answer (a data answer's bytes after its
line; a run's parts are printed as they come, before its data line).
Hello is repeated until the guest's agent answers (it may still be
booting); answers are matched to requests by tag.

usage: agent_talk.py SOCKET TIMEOUT_S REQUEST...
"""
import socket
import sys
import time


def main():
    path, timeout, reqs = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    end = time.time() + timeout
    while True:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            break
        except OSError:
            if time.time() > end:
                sys.exit("agent_talk: cannot connect to " + path)
            time.sleep(0.2)
    s.settimeout(0.5)
    buf = b""
    tag = 1000
    while b"ok %d " % tag not in buf:
        if time.time() > end:
            sys.exit("agent_talk: no answer to hello")
        tag += 1
        s.sendall(b"hello %d\n" % tag)
        try:
            buf += s.recv(4096)
        except socket.timeout:
            pass
    buf = buf[buf.index(b"ok %d " % tag):]
    buf = buf[buf.index(b"\n") + 1:]
    for req in reqs:
        want = req.split()[1].encode()
        s.sendall(req.encode() + b"\n")
        while True:
            while b"\n" not in buf:
                if time.time() > end:
                    sys.exit("agent_talk: no answer to '%s'" % req)
                try:
                    buf += s.recv(65536)
                except socket.timeout:
                    pass
            line, buf = buf.split(b"\n", 1)
            w = line.split(b" ")
            data = b""
            if w[0] in (b"data", b"part"):
                n = int(w[3] if w[0] == b"data" else w[2])
                while len(buf) < n:
                    buf += s.recv(65536)
                data, buf = buf[:n], buf[n:]
            if w[0] == b"part":
                # a run's output as it comes; its data answer follows
                if w[1] == want:
                    sys.stdout.write(data.decode(errors="replace"))
                continue
            if w[1] == want:
                print(line.decode())
                sys.stdout.write(data.decode(errors="replace"))
                sys.stdout.flush()
                break


main()
