#!/usr/bin/env python3
"""Assembles one large EVTX file from the used chunks of many, for the EVTX benchmark.

Usage: evtx_concat.py OUT.evtx REPEAT FILE...   (OUT "-": only count, write nothing)
Chunks are self-contained (their templates and strings live inside them), so concatenating
them under one file header gives a valid file. The header's chunk count and CRC32 are set
and its dirty flag cleared. Prints "chunks records bytes used" (records from the chunk headers;
bytes of the file; used = bytes of the chunks up to their free space offsets).
"""
import struct
import sys
import zlib

CHUNK = 65536


def used_chunks(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"ElfFile\0":
        return
    for off in range(4096, len(data) - CHUNK + 1, CHUNK):
        c = data[off:off + CHUNK]
        if c[:8] != b"ElfChnk\0":
            continue
        first, last = struct.unpack_from("<QQ", c, 8)
        yield c, (last - first + 1) if last >= first else 0, min(struct.unpack_from("<I", c, 48)[0], CHUNK)


def main():
    out, repeat, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    chunks = []
    records = 0
    used = 0
    for p in files:
        for c, n, u in used_chunks(p):
            chunks.append(c)
            records += n
            used += u
    chunks = chunks * repeat
    records *= repeat
    used *= repeat
    if len(chunks) > 65535:  # the header counts chunks in 16 bits
        print("evtx_concat.py: more than 65535 chunks, lower REPEAT", file=sys.stderr)
        sys.exit(2)
    hdr = bytearray(4096)
    hdr[0:8] = b"ElfFile\0"
    struct.pack_into("<QQQIHHHH", hdr, 8, 0, len(chunks) - 1, records + 1, 128, 1, 3, 4096, len(chunks))
    struct.pack_into("<I", hdr, 120, 0)  # flags: clean
    struct.pack_into("<I", hdr, 124, zlib.crc32(bytes(hdr[:120])))
    if out == "-":
        print(len(chunks), records, 4096 + CHUNK * len(chunks), used)
        return
    with open(out, "wb") as f:
        f.write(hdr)
        for c in chunks:
            f.write(c)
    print(len(chunks), records, 4096 + CHUNK * len(chunks), used)


if __name__ == "__main__":
    main()
