#!/usr/bin/python3
"""Prints a TCP port that is free on 127.0.0.1, below the kernel's ephemeral range (32768+)."""
import random
import socket

for _ in range(200):
    port = random.randint(20000, 32000)
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
else:
    raise SystemExit("no free port found between 20000 and 32000")
