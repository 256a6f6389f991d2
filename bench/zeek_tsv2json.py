#!/usr/bin/env python3
"""Zeek TSV logs -> one Zeek JSON-lines stream (bench only: the flow bench's Zeek JSON row, issue 19).

    zeek_tsv2json.py OUT LOG.tsv...

Each record as Zeek's own JSON writer has it (LogAscii::use_json: numbers as numbers, times as epoch
seconds, sets and vectors as arrays, unset `-` fields left out), with `_path` from the log's `#path`
header, as a log shipper's stream of every log in one file has it. Records keep their file order,
one log after the other."""
import json
import sys


def convert(src, out):
    fields = types = None
    path = None
    n = 0
    with open(src) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                if line.startswith("#fields"):
                    fields = line.split("\t")[1:]
                elif line.startswith("#types"):
                    types = line.split("\t")[1:]
                elif line.startswith("#path"):
                    path = line.split("\t")[1]
                continue
            rec = {"_path": path} if path else {}
            for k, t, v in zip(fields, types, line.split("\t")):
                if v == "-":
                    continue
                if t in ("count", "int", "port"):
                    rec[k] = int(v)
                elif t in ("double", "interval", "time"):
                    rec[k] = float(v)
                elif t == "bool":
                    rec[k] = v == "T"
                elif t.startswith(("vector", "set")):
                    rec[k] = [] if v == "(empty)" else v.split(",")
                else:
                    rec[k] = v
            out.write(json.dumps(rec, separators=(",", ":")) + "\n")
            n += 1
    return n


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "w") as out:
        total = sum(convert(p, out) for p in sys.argv[2:])
    print(total)


if __name__ == "__main__":
    main()
