#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Rewrites a classic pcap of Ethernet frames the way other tools save it,
so the capture reader is tested on what users hand it:

  pcap_convert.py IN OUT pcapng     pcapng (SHB, IDB, EPBs), as dumpcap
  pcap_convert.py IN OUT sll2       pcapng, Linux cooked v2 (tcpdump -i any)
  pcap_convert.py IN OUT sll        classic pcap, Linux cooked v1
  pcap_convert.py IN OUT vlan       pcapng, Ethernet with an 802.1Q tag
  pcap_convert.py IN OUT raw        classic pcap, raw IP (LINKTYPE_RAW)
  pcap_convert.py IN OUT truncate   the input cut inside its last record
  pcap_convert.py IN OUT snap       a copy of the first record cut to 60
                                    bytes (tcpdump -s 60) before the rest
  pcap_convert.py IN OUT escape     the first record's n2n community made
                                    terminal escapes (plain headers only)
"""
import struct
import sys

LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_SLL, LINKTYPE_SLL2 = 1, 101, 113, 276


def read_pcap(data):
    magic = data[:4]
    order = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
             b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}[magic]
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(order + "I", data[20:24])[0]
    assert linktype == LINKTYPE_ETHERNET, "input must be Ethernet"
    off, recs = 24, []
    while off + 16 <= len(data):
        sec, frac, caplen, wirelen = struct.unpack(order + "IIII",
                                                   data[off:off + 16])
        usec = frac // 1000 if nano else frac
        recs.append((sec * 1000000 + usec, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return recs


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng(recs, linktype, relink):
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += block(1, struct.pack("<HHI", linktype, 0, 262144))
    for ts, frame in recs:
        f = relink(frame)
        out += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF,
                                    len(f), len(f)) + f)
    return out


def to_sll2(frame):
    # protocol, reserved, ifindex, ARPHRD_ETHER, PACKET_HOST, addr len, addr
    return (frame[12:14] + b"\0\0" + struct.pack(">IHBB", 1, 1, 0, 6) +
            frame[6:12] + b"\0\0" + frame[14:])


def to_sll(frame):
    # packet type (from us), ARPHRD_ETHER, address length, address, protocol
    return (struct.pack(">HHH", 4, 1, 6) + frame[6:12] + b"\0\0" +
            frame[12:14] + frame[14:])


def to_vlan(frame):
    return frame[:12] + b"\x81\x00\x00\x2a" + frame[12:]


def classic(recs, linktype, relink):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144,
                      linktype)
    for ts, frame in recs:
        f = relink(frame)
        out += struct.pack("<IIII", ts // 1000000, ts % 1000000, len(f),
                           len(f)) + f
    return out


def snap(recs):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144,
                      LINKTYPE_ETHERNET)
    ts, first = recs[0]
    out += struct.pack("<IIII", ts // 1000000, ts % 1000000, 60,
                       len(first)) + first[:60]
    return out + classic(recs, LINKTYPE_ETHERNET, lambda f: f)[24:]


def escape(recs):
    ts, f = recs[0]
    udp = 14 + (f[14] & 15) * 4 + 8  # the n2n header: version, ttl, flags
    name = b"\x1b[31mPWN\x1b]0;x\x07".ljust(20, b"\0")
    return classic([(ts, f[:udp + 4] + name + f[udp + 24:])] + recs[1:],
                   LINKTYPE_ETHERNET, lambda g: g)


def main():
    src, dst, how = sys.argv[1:4]
    data = open(src, "rb").read()
    recs = read_pcap(data)
    if how == "pcapng":
        out = pcapng(recs, LINKTYPE_ETHERNET, lambda f: f)
    elif how == "sll2":
        out = pcapng(recs, LINKTYPE_SLL2, to_sll2)
    elif how == "sll":
        out = classic(recs, LINKTYPE_SLL, to_sll)
    elif how == "vlan":
        out = pcapng(recs, LINKTYPE_ETHERNET, to_vlan)
    elif how == "raw":
        out = classic(recs, LINKTYPE_RAW, lambda f: f[14:])
    elif how == "truncate":
        out = data[:-5]
    elif how == "snap":
        out = snap(recs)
    elif how == "escape":
        out = escape(recs)
    else:
        sys.exit("unknown conversion " + how)
    open(dst, "wb").write(out)


main()
