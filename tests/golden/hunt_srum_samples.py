"""Issue 18: `outflow hunt` reads SRUM beside the Sysmon log (../shared/datasets/srum-samples, see
its _SOURCE.md: APTSimulator on Windows 10).

- Every (program, user) of the database is scored once: the SRUM findings' bytes sent and received
  (with those suppressed by an exclusion, --show-suppressed) add up to Chainsaw's reading of the
  program rows (expected_network_usage.jsonl), none lost or counted twice; one ranked list, ranks 1..n.
- nbtscan.exe (APTSimulator's scanner in C:\\TMP): 70,104 bytes sent, 615 received, its user named
  TestUser by the Sysmon process creations its interval overlaps (three nbtscan runs, listed with
  their command lines, the bytes not split between them); ninite.exe, started before the log, has
  no process and says why.
- At the default score nothing is reported (exit 0) and stderr says how many programs were scored.
- Two copies of a SRUM database with no event log beside them (host unknown) in two folders of a
  collection are two hosts: never summed together.
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

root = need_datasets("srum-samples")
win10 = os.path.join(root, "win10-aptsimulator")
oracle = [json.loads(l) for l in open(os.path.join(win10, "expected_network_usage.jsonl"))]
programs = [e for e in oracle if e["AppName"]]

p = run("hunt", "--format", "json", "--min-score", "0", "--show-suppressed", win10, expect_rc=1)
out = json_lines(p, "hunt")
srum = [r for r in out if get(r, "outflow.volume_source") == "srum"]
expect_eq(len(srum), len(out), "every finding is SRUM's (no flow sensor, no Sysmon 3)")
ranked = [get(r, "outflow.rank") for r in out if get(r, "outflow.rank")]
expect_eq(ranked, list(range(1, len(ranked) + 1)), "ranks")
# OneDrive: no process creation names it (it started before the log), so the shipped
# onedrive-sync rule is checked on its path and user alone, and says what it could not check.
od = [r for r in srum if get(r, "process.name") == "onedrive.exe"]
check(od and all(get(r, "outflow.suppressed_by.rule") == "onedrive-sync" and get(r, "outflow.rank") == 0 for r in od), f"onedrive: {od[:1]}")
check(od and any("not checked" in c for c in get(od[0], "outflow.caveats")), "onedrive: what was not checked, said")
expect_eq(sum(get(r, "source.bytes") for r in srum), sum(e["BytesSent"] for e in programs), "bytes sent, all programs")
expect_eq(sum(get(r, "destination.bytes") for r in srum), sum(e["BytesRecvd"] for e in programs), "bytes received, all programs")
expect_eq(len({get(r, "outflow.finding_id") for r in srum}), len(srum), "finding ids distinct")
check("SRUM: 56 program(s) on 1 host(s) scored" in p.stderr, f"summary: {p.stderr[-600:]}")

nbt = [r for r in srum if get(r, "process.name") == "nbtscan.exe"]
expect_eq(len(nbt), 1, "nbtscan.exe findings")
if nbt:
    n = nbt[0]
    expect_eq((get(n, "source.bytes"), get(n, "destination.bytes")), (70104, 615), "nbtscan bytes")
    expect_eq((get(n, "user.name"), get(n, "user.domain")), ("TestUser", "DESKTOP-TMKU40H"), "nbtscan user, from the processes")
    expect_eq(get(n, "user.id"), "S-1-5-21-2212929841-2730996645-2649195864-1000", "nbtscan SID")
    expect_eq(get(n, "outflow.entity"), "program", "three runs overlap: the program's finding")
    iv = get(n, "outflow.srum.busiest_intervals")[0]
    expect_eq(iv["process_join"], "candidates", "nbtscan join")
    expect_eq(sorted(q["pid"] for q in iv["processes"]), [4116, 7740, 12172], "nbtscan runs")
    check(all("nbtscan.exe" in q["command_line"] and q["parent"]["executable"].endswith("cmd.exe") for q in iv["processes"]),
          f"nbtscan runs' command lines and parent: {iv['processes']}")
    check(any("not split" in c for c in get(n, "outflow.caveats")), "nbtscan: bytes not split, said")
    check(get(n, "outflow.srum.files") == [os.path.join(win10, "SRUDB.dat")], f"nbtscan file: {get(n, 'outflow.srum.files')}")
    e = run("hunt", "--min-score", "0", "--explain", str(get(n, "outflow.rank")), win10, expect_rc=1)
    check("Processes (SRUM has no process ids" in e.stdout and "192.168.1.0/24" in e.stdout, f"explain: {e.stdout[:1500]}")
nin = [r for r in srum if get(r, "process.name") == "ninite.exe"]
check(len(nin) == 1 and get(nin[0], "outflow.srum.busiest_intervals")[0]["process_join"] == "none", f"ninite: {nin[:1]}")
if nin:
    check(any("no process creation of this image" in c for c in get(nin[0], "outflow.caveats")), "ninite: why no process")

d = run("hunt", win10, expect_rc=0)
check(d.stdout.count("\n") == 1, f"default score: header only: {d.stdout[:400]}")
check("0 reported as findings of their own" in d.stderr, f"default score summary: {d.stderr[-600:]}")

with tempfile.TemporaryDirectory() as tmp:
    for h in ("A", "B"):
        os.makedirs(os.path.join(tmp, h, "sru"))
        shutil.copy(os.path.join(root, "win11-rathbunvm-clean", "SRUDB.dat"), os.path.join(tmp, h, "sru"))
    p = run("hunt", "--format", "json", "--min-score", "0", tmp, expect_rc=1)
    two = json_lines(p, "hunt two copies")
    dosvc = [r for r in two if get(r, "outflow.srum.program") == "DoSvc" and get(r, "source.bytes", 0) > 1_000_000]
    expect_eq(len(dosvc), 2, "DoSvc once per copy")
    expect_eq(len({get(r, "outflow.finding_id") for r in dosvc}), 2, "two hosts, two ids")
    expect_eq(len({tuple(get(r, "outflow.srum.files")) for r in dosvc}), 2, "each from its own file")
    check(all(get(r, "host.name") is None for r in dosvc), "host unknown, not guessed")
    check("read from another input already" not in p.stderr, f"not taken for rows read twice: {p.stderr[-600:]}")
done()
