"""Hostile text must not reach the analyst's terminal raw, and JSON output stays valid.

An ANSI escape (and BEL, C1 CSI, invalid UTF-8) in a command line, an image path, a host
name, a file name and a command-line argument: stdout of `sessions` and `coverage --json`
must be valid UTF-8 JSON, and stderr / the coverage table must hold no raw ESC, BEL or CSI.
Synthesised input: no dataset needed. Also checks that caps reached are reported.
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

ESC = "\x1b"
RAW = [b"\x1b", b"\x07", b"\xc2\x9b", b"\x9b"]


def no_raw_controls(data, what):
    for c in RAW:
        check(c not in data, f"{what}: raw control {c!r} reached the output")


def run_bytes(*args, expect_rc=0):
    return run(*args, expect_rc=expect_rc, binary=True)


with tempfile.TemporaryDirectory() as t:
    evil_dir = os.path.join(t, "logs" + ESC + "[31m")
    os.mkdir(evil_dir)
    host = "WS1" + ESC + "]0;pwned" + "\x07"
    events = [
        {"EventID": 1, "SourceName": "Microsoft-Windows-Sysmon", "Hostname": host, "UtcTime": "2024-01-02 03:04:05.000",
         "ProcessGuid": "{11111111-2222-3333-4444-000000000001}", "ProcessId": "4242",
         "Image": "C:\\Tools\\" + ESC + "[2Jup.exe", "CommandLine": "up.exe " + ESC + "[31mRED\x07 \u009b2J",
         "User": "EXAMPLE\\alice", "ParentImage": "C:\\Windows\\explorer.exe", "ParentProcessId": "100"},
        {"EventID": 3, "SourceName": "Microsoft-Windows-Sysmon", "Hostname": host, "UtcTime": "2024-01-02 03:04:06.000",
         "ProcessGuid": "{11111111-2222-3333-4444-000000000001}", "ProcessId": "4242", "Protocol": "tcp",
         "Initiated": "true", "SourceIp": "192.0.2.10", "SourcePort": "50000", "DestinationIp": "203.0.113.9",
         "DestinationPort": "443"},
    ]
    jpath = os.path.join(evil_dir, "host" + ESC + "[1m.json")
    with open(jpath, "wb") as f:
        for e in events:
            f.write(json.dumps(e).encode() + b"\n")
        # A line with invalid UTF-8 in the command line (repaired), and a malformed line.
        bad = json.dumps(dict(events[0], ProcessGuid="{11111111-2222-3333-4444-000000000002}",
                              CommandLine="XX")).encode().replace(b"XX", b"\xff\xfe")
        f.write(bad + b"\n")
        f.write(b"{\"EventID\":3," + ESC.encode() + b"[5m broken\n")
    npath = os.path.join(evil_dir, "flows.nfdump.csv")
    with open(npath, "w") as f:
        f.write("ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt\n")
        f.write("2024-01-02 03:04:06,2024-01-02 03:34:06,1800.0,192.0.2.10,203.0.113.9,50000,443,TCP,100,104857600\n")
        f.write("2024-01-02 03:04:06,2024-01-02 03:34:06,1800.0,203.0.113.9,192.0.2.10,443,50000,TCP,50,4096\n")

    p = run_bytes("sessions", evil_dir)
    no_raw_controls(p.stdout, "sessions stdout")
    no_raw_controls(p.stderr, "sessions stderr")
    try:
        text = p.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        failures.append(f"sessions stdout is not UTF-8: {e}")
        text = ""
    lines = [json.loads(l) for l in text.splitlines()]
    if check(len(lines) == 1, f"one session expected, got {len(lines)}"):
        s = lines[0]
        expect_eq(get(s, "process.command_line"), "up.exe " + ESC + "[31mRED\x07 \u009b2J", "command line kept, escaped in JSON")
        expect_eq(get(s, "host.name"), host, "host name kept")
        expect_eq(get(s, "outflow.attribution.status"), "matched", "attribution")
    check(b"malformed records skipped" in p.stderr, f"bad line reported on stderr: {p.stderr!r}")
    check(b"\\x1b" in p.stderr, "the file name's ESC is shown escaped on stderr")

    p = run_bytes("coverage", evil_dir)  # the table
    no_raw_controls(p.stdout, "coverage table")
    no_raw_controls(p.stderr, "coverage stderr")
    check(b"WS1\\x1b]0;pwned\\x07" in p.stdout, f"host name shown escaped in the table: {p.stdout[:3000]!r}")

    p = run_bytes("coverage", "--json", evil_dir)
    no_raw_controls(p.stdout, "coverage --json")
    c = json.loads(p.stdout.decode("utf-8"))
    expect_eq(c["bad_records"]["total"], 1, "one malformed line")

    # A command-line argument with an escape: CLI11 quotes it in its message.
    p = run_bytes("sessions", "--window", "1" + ESC + "[2J", evil_dir, expect_rc=2)
    no_raw_controls(p.stderr, "flag error message")

    # Caps reached are reported on stderr: 1,200 processes with --max-processes 1000.
    flood = os.path.join(t, "flood.json")
    with open(flood, "w") as f:
        for i in range(1200):
            f.write(json.dumps(dict(events[0], Hostname="WS2", ProcessGuid="{%08d-0000-0000-0000-000000000000}" % i,
                                    ParentProcessId="")) + "\n")
    p = run_bytes("sessions", "--max-processes", "1000", flood)
    check(b"200 processes dropped" in p.stderr, f"process cap reported: {p.stderr!r}")
done()
