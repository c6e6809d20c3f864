#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""mac_flood: N Ethernet frames out of IFACE to DST_MAC, each from another
random locally administered source MAC (an IPv4/UDP frame to DST_IP), for
the namespace tests: a bridge's MAC table under a flood.

    mac_flood.py IFACE DST_MAC DST_IP N
"""
import os
import socket
import struct
import sys


def main():
    iface, dst_mac, dst_ip, n = sys.argv[1], sys.argv[2], sys.argv[3], \
        int(sys.argv[4])
    dst = bytes.fromhex(dst_mac.replace(":", ""))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    udp = struct.pack("!HHHH", 40000, 9, 8 + 4, 0) + b"junk"
    hdr = [0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
           socket.inet_aton("198.19.50.99"), socket.inet_aton(dst_ip)]
    ip = struct.pack("!BBHHHBBH4s4s", *hdr)
    # A right header checksum: a bridge with br_netfilter drops others.
    total = sum(struct.unpack("!10H", ip))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    hdr[7] = ~total & 0xffff
    ip = struct.pack("!BBHHHBBH4s4s", *hdr)
    for _ in range(n):
        src = bytes([0x02]) + os.urandom(5)
        s.send(dst + src + b"\x08\x00" + ip + udp)


if __name__ == "__main__":
    main()
