"""A minimal MaxMind DB (.mmdb) writer for tests: an IPv4 country database in the format
libmaxminddb reads (search tree with 24-bit records, data section, metadata), so that
DestinationCountry is tested without shipping or downloading a real GeoIP database.
Format: https://maxmind.github.io/MaxMind-DB/"""
import ipaddress
import struct
import time


def _ctrl(t, size):
    out = b""
    if t <= 7:
        first = t << 5
    else:
        first = 0
        out_ext = bytes([t - 7])
    if size < 29:
        first |= size
        tail = b""
    elif size < 29 + 256:
        first |= 29
        tail = bytes([size - 29])
    else:
        raise ValueError("too big for this test writer")
    out = bytes([first]) + (out_ext if t > 7 else b"") + tail
    return out


def _enc(v):
    if isinstance(v, str):
        b = v.encode()
        return _ctrl(2, len(b)) + b
    if isinstance(v, dict):
        return _ctrl(7, len(v)) + b"".join(_enc(k) + _enc(x) for k, x in v.items())
    if isinstance(v, list):
        return _ctrl(11, len(v)) + b"".join(_enc(x) for x in v)
    if isinstance(v, tuple):  # (type, int): 5 uint16, 6 uint32, 9 uint64
        t, n = v
        b = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
        return _ctrl(t, len(b)) + b
    raise TypeError(v)


def write_country_mmdb(path, networks):
    """networks: {"203.0.113.0/24": "KP", ...} (IPv4 only)."""
    data = b""
    offsets = {}
    for cc in sorted(set(networks.values())):
        offsets[cc] = len(data)
        data += _enc({"country": {"iso_code": cc}})
    nodes = [[None, None]]
    for net, cc in networks.items():
        n = ipaddress.ip_network(net)
        bits = int(n.network_address)
        node = 0
        for i in range(n.prefixlen):
            bit = (bits >> (31 - i)) & 1
            if i == n.prefixlen - 1:
                nodes[node][bit] = ("data", offsets[cc])
            else:
                if nodes[node][bit] is None:
                    nodes.append([None, None])
                    nodes[node][bit] = ("node", len(nodes) - 1)
                node = nodes[node][bit][1]
    count = len(nodes)

    def rec(r):
        if r is None:
            return count
        kind, v = r
        return v if kind == "node" else count + 16 + v

    tree = b"".join(struct.pack(">I", rec(l))[1:] + struct.pack(">I", rec(r))[1:] for l, r in nodes)
    meta = _enc({"binary_format_major_version": (5, 2), "binary_format_minor_version": (5, 0),
                 "build_epoch": (9, int(time.time())), "database_type": "Outflow-Test-Country",
                 "description": {"en": "test"}, "ip_version": (5, 4), "languages": ["en"],
                 "node_count": (6, count), "record_size": (5, 24)})
    with open(path, "wb") as f:
        f.write(tree + b"\x00" * 16 + data + b"\xab\xcd\xefMaxMind.com" + meta)
