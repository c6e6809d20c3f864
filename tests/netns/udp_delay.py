#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""udp_delay: a UDP relay that holds every datagram DELAY_MS both ways,
for the namespace tests (netem is not on every kernel): a supernode "far
away". Each client gets its own upstream socket, so answers find it.

    udp_delay.py LISTEN_PORT UPSTREAM_IP UPSTREAM_PORT DELAY_MS
"""
import heapq
import itertools
import select
import socket
import sys
import time

MAX_CLIENTS = 64


def main():
    port, up_ip, up_port, delay = (int(sys.argv[1]), sys.argv[2],
                                   int(sys.argv[3]), int(sys.argv[4]) / 1e3)
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("0.0.0.0", port))
    ups = {}      # client address -> its upstream socket
    back = {}     # upstream socket fd -> client address
    queue = []    # (due, seq, socket, data, address)
    seq = itertools.count()
    while True:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 1.0
        socks = [front] + list(ups.values())
        ready, _, _ = select.select(socks, [], [], timeout)
        now = time.monotonic()
        for s in ready:
            data, addr = s.recvfrom(65535)
            if s is front:
                if addr not in ups:
                    if len(ups) >= MAX_CLIENTS:
                        continue
                    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    ups[addr] = u
                    back[u.fileno()] = addr
                heapq.heappush(queue, (now + delay, next(seq), ups[addr],
                                       data, (up_ip, up_port)))
            else:
                heapq.heappush(queue, (now + delay, next(seq), front, data,
                                       back[s.fileno()]))
        while queue and queue[0][0] <= time.monotonic():
            _, _, s, data, addr = heapq.heappop(queue)
            s.sendto(data, addr)


if __name__ == "__main__":
    main()
