"""Issue 13's bad-input list through the CLI, on the logs `simulate --proxy` writes (PAN-OS, FortiGate,
Squid) with hostile lines spliced in: truncated syslog lines, a comma inside a quoted field (read,
not shifted) and an unquoted one (shifted: caught), a comma-laden URL, an unknown PAN-OS version (a
note naming its field count), absurd byte counts, a 4 MB line and binary junk. Each is counted per
reason and sampled with its file and line; nothing is fatal; every good line around them is read.
No dataset needed."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403


def splice(path, bad_lines):
    """Puts the bad lines after the file's first line and a 4 MB line before its last; returns the good count."""
    with open(path) as f:
        lines = f.read().splitlines(keepends=True)
    with open(path, "w") as f:
        f.write(lines[0])
        f.writelines(l + "\n" for l in bad_lines)
        f.writelines(lines[1:-1])
        f.write("x" * (4 << 20) + "\n")
        f.write("\x00\x01\xff junk \x02\n")
        f.write(lines[-1])
    return len(lines)


def reasons(cov, prefix):
    return {r: n for r, n in cov["bad_records"]["by_reason"].items() if r.startswith(prefix)}


with tempfile.TemporaryDirectory() as t:
    pan, fgt = os.path.join(t, "pan"), os.path.join(t, "fgt")
    common = ["simulate", "-q", "--seed", "515", "--hosts", "5", "--days", "1", "--scenarios", "none",
              "--formats", "zeek", "--proxy"]
    run(*common, "--out", pan)
    run(*common, "--firewall", "fortigate", "--out", fgt)

    # PAN-OS: lines built from a real line of the log.
    panos = os.path.join(pan, "firewall", "panos.log")
    with open(panos) as f:
        good = f.readline().rstrip("\n")
    head, csv = good[:good.index(" 1,") + 1], good[good.index(" 1,") + 1:].split(",")

    def pan_line(**fields):
        c = list(csv)
        for k, v in fields.items():
            c[int(k[1:])] = v
        return head + ",".join(c)

    pan_bad = [
        good[:len(good) // 3],                                   # truncated syslog line
        good[:good.index(",TRAFFIC,") + 40] + ',"unclosed',       # truncated inside a quoted field
        pan_line(f11='"Outbound,Web"'),                           # a quoted comma: read, not shifted
        pan_line(f11="Outbound,Web"),                             # unquoted: every later field shifted
        pan_line(f31="99999999999999999999", f32="99999999999999999998", f33="1"),  # absurd bytes
        good + ",extra1,extra2,extra3,extra4,extra5",             # 120 fields: an unknown version
    ]
    n_pan = splice(panos, pan_bad)

    # Squid: a URL full of commas is one field (the native format splits on spaces).
    squid = os.path.join(pan, "proxy", "access.log")
    with open(squid) as f:
        sq = f.readline().rstrip("\n").split()
    comma_url = " ".join(sq[:4] + ["1234", "GET", "http://www.example.com/q?a=1,2,3&b=x,y", "-", "HIER_DIRECT/203.0.113.80", "text/html"])
    squid_bad = [
        " ".join(sq)[:40],                                                                   # truncated
        " ".join(sq[:4] + ["99999999999999999999"] + sq[5:]),                               # absurd bytes
        " ".join(sq[:4] + ["10", "GET", "http://a.example/b c", "-", "HIER_DIRECT/203.0.113.9", "-"]),  # a space in the URL
        comma_url,
    ]
    n_squid = splice(squid, squid_bad)

    fortigate = os.path.join(fgt, "firewall", "fortigate.log")
    with open(fortigate) as f:
        fg = f.readline().rstrip("\n")
    fgt_bad = [
        fg[:fg.index("type=\"") + 8],                                              # truncated inside a quote
        fg.replace("sentbyte=", "sentbyte=99999999999999999999 x=", 1),            # absurd bytes
    ]
    n_fgt = splice(fortigate, fgt_bad)

    p = run("coverage", "--json", "-q", panos, squid, fortigate)
    cov = json.loads(p.stdout)
    by_file = {os.path.basename(f["path"]): f for f in cov["inputs"]}
    # Good lines: the original ones, plus the quoted-comma PAN-OS line, the 120-field one and the comma URL.
    expect_eq(by_file["panos.log"]["flows"], n_pan + 2, "PAN-OS: every good line read")
    expect_eq(by_file["fortigate.log"]["flows"], n_fgt, "FortiGate: every good line read")
    expect_eq(by_file["access.log"]["proxy"], n_squid + 1, "Squid: every good line read, the comma URL too")
    pan_r = reasons(cov, "PAN-OS")
    expect_eq(pan_r.get("PAN-OS: line too long"), 1, "PAN-OS: the 4 MB line")
    expect_eq(pan_r.get("PAN-OS: absurd byte count (over 1 PiB)"), 1, "PAN-OS: absurd bytes")
    expect_eq(pan_r.get("PAN-OS: a quoted field is not closed (truncated line?)"), 1, "PAN-OS: open quote")
    check(sum(n for r, n in pan_r.items() if "truncated line" in r and "fewer than" in r) == 1, f"PAN-OS: truncated: {pan_r}")
    check(sum(n for r, n in pan_r.items() if "shifted" in r) == 1, f"PAN-OS: the unquoted comma caught as shifted: {pan_r}")
    check(sum(pan_r.values()) == 6, f"PAN-OS bad lines: {pan_r}")
    sq_r = reasons(cov, "Squid")
    expect_eq(sq_r.get("Squid: absurd byte count (over 1 PiB)"), 1, "Squid: absurd bytes")
    expect_eq(sq_r.get("Squid: line too long"), 1, "Squid: the 4 MB line")
    expect_eq(sq_r.get("Squid: not an access.log line (no time, elapsed, client, result/status)"), 2, "Squid: truncated and junk")
    check(sum(sq_r.values()) == 5, f"Squid bad lines (truncated, absurd, space in URL, 4 MB, junk): {sq_r}")
    fg_r = reasons(cov, "FortiGate")
    expect_eq(fg_r.get("FortiGate: absurd byte or packet count (over 1 PiB)"), 1, "FortiGate: absurd bytes")
    expect_eq(fg_r.get("FortiGate: line too long"), 1, "FortiGate: the 4 MB line")
    notes = cov["notes"]["by_reason"]
    check(any(r.startswith("PAN-OS TRAFFIC with 120 fields: not a documented layout") for r in notes),
          f"a note names the unknown layout's field count: {notes}")
    samples = cov["bad_records"]["samples"]
    pan_samples = [s for s in samples if os.path.basename(s["file"]) == "panos.log"]
    check(pan_samples and all(s["line"] >= 2 for s in pan_samples), f"PAN-OS bad lines sampled with file and line: {pan_samples[:3]}")
    check(any(s["line"] == 2 for s in pan_samples), "the first bad PAN-OS line is line 2")

    # The hunt reads them all without failing.
    h = run("hunt", "-q", "--format", "json", panos, squid, fortigate, expect_rc=None)
    check(h.returncode in (0, 1), f"hunt on hostile firewall logs: exit {h.returncode}: {h.stderr[-500:]}")
done()
