"""`outflow simulate --formats sysmon,zeek,srum` read back by `outflow usage` (issue 18). Needs no datasets.

- `outflow usage DIR` reads every host's SrumECmd export (DIR/srum/HOST_SrumECmd_NetworkUsages_Output.csv)
  without a bad row or an error: as many rows as the files hold, interface totals apart.
- One host's export with its Sysmon file: the host is named by the Sysmon log, and during the
  rclone_cloud_upload label's hours the program that sent most on its host is rclone.exe, joined
  to its process creation (the label's ProcessGuid).
- `sessions DIR` skips the SRUM files with a note and reads the rest; `hunt DIR` reads them, each
  export's host named by its file name (the exports and the Sysmon logs are in different folders).
"""
import csv
import json
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403


def ts(s):
    return datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)


tmp = tempfile.mkdtemp(prefix="outflow-simsrum-")
try:
    out = os.path.join(tmp, "org")
    run("simulate", "--seed", "5", "--hosts", "10", "--days", "2", "--formats", "sysmon,zeek,srum", "--out", out, "-q")
    lines = [json.loads(l) for l in open(os.path.join(out, "labels.jsonl"))]
    org, labels = lines[0]["organisation"], lines[1:]
    hosts = {h["name"]: h for h in org["host_list"]}
    files = sorted(os.listdir(os.path.join(out, "srum")))
    expect_eq(files, sorted(f"{h}_SrumECmd_NetworkUsages_Output.csv" for h in hosts), "one SrumECmd export per host")

    # Every row of every export read, none bad (the CSV read here with Python's csv module).
    want_rows = want_totals = 0
    for f in files:
        with open(os.path.join(out, "srum", f), newline="", encoding="utf-8-sig") as fh:
            for r in csv.DictReader(fh):
                want_rows += 1
                want_totals += r["AppId"] == "1" and r["UserId"] == "2" and not r["ExeInfo"]
    p = run("usage", out)
    rows = json_lines(p, "usage")
    check(want_rows > 1000, f"{want_rows} SRUM rows simulated")
    got_totals = sum(1 for r in rows if get(r, "outflow.srum.interface_total"))
    expect_eq(got_totals, want_totals, "usage DIR: interface totals")
    # Each export's host is named by its file name (no event log beside it): ten hosts, so no
    # row is taken for another host's row read twice.
    check("rows were read from another input" not in p.stderr, f"usage DIR: rows said read twice: {p.stderr[-800:]}")
    expect_eq(len(rows), want_rows, "usage DIR: rows")
    for bad in ("could not be read", "bad rows", "malformed", "not understood", "error"):
        check(bad not in p.stderr, f"usage DIR: '{bad}' on stderr: {p.stderr[-1500:]}")
    expect_eq(p.stderr.count(", from the file name)"), len(files), "usage DIR: each export's host from its file name")
    expect_eq(p.stderr.count("srumecmd-csv (host "), len(files), "usage DIR: each export read as SrumECmd's")
    check({get(r, "host.name") for r in rows} == set(hosts), f"usage DIR: hosts {sorted({get(r, 'host.name') or '' for r in rows})}")
    p2 = run("usage", "--format", "table", os.path.join(out, "srum"))
    check("Interface totals" in p2.stdout, f"usage DIR/srum --format table: {p2.stdout[:400]}")

    # The exfiltration host: its own export beside its Sysmon file.
    rc = next(l for l in labels if l["scenario"] == "rclone_cloud_upload")
    host = rc["host"]
    off = timedelta(milliseconds=hosts[host]["clock_offset_ms"])  # SRUM's times are the host's clock
    p = run("usage", os.path.join(out, "srum", f"{host}_SrumECmd_NetworkUsages_Output.csv"),
            os.path.join(out, "sysmon", f"{host}.jsonl"))
    mine = [r for r in json_lines(p, "usage") if not get(r, "outflow.srum.interface_total")]
    check(mine and all((get(r, "host.name") or "").split(".")[0] == host for r in mine),
          f"{host}: host named by its Sysmon log: {set(get(r, 'host.name') for r in mine)}")
    start, end = ts(rc["start"]) + off, ts(rc["end"]) + off + timedelta(hours=1)
    during = defaultdict(int)
    for r in mine:
        if start < ts(r["@timestamp"]) <= end:
            during[get(r, "process.executable") or get(r, "outflow.srum.program")] += get(r, "source.bytes", 0)
    top = max(during, key=during.get) if during else None
    expect_eq(top, "c:\\programdata\\rclone\\rclone.exe", f"{host}: the top sender during the label's hours ({dict(during)})")
    rclone = [r for r in mine if get(r, "process.name") == "rclone.exe"]
    guids = {g.lower() for g in rc["process_guids"]}
    check(rclone and all(get(r, "outflow.srum.process_join") == "one" and
                         (get(r, "process.entity_id") or "").lower() in guids for r in rclone),
          f"rclone.exe rows joined to the labelled process: {[get(r, 'outflow.srum') for r in rclone][:2]}")
    check(rclone and all(get(r, "user.id") == "S-1-5-18" for r in rclone), "rclone ran as SYSTEM (S-1-5-18)")

    # The other commands skip SRUM inputs with a note and read the rest.
    p = run("sessions", out)
    check("read by `outflow usage`" in p.stderr, f"sessions DIR: SRUM skipped with a note: {p.stderr[-800:]}")
    check(len(p.stdout.splitlines()) > 100, "sessions DIR: sessions from the other files")
    # hunt reads them: each export's host from its file name, joined to the Sysmon logs.
    p = run("hunt", "--format", "json", out, expect_rc=None)
    check(p.returncode in (0, 1), f"hunt DIR: exit {p.returncode}: {p.stderr[-800:]}")
    check("read by `outflow usage`" not in p.stderr, f"hunt DIR: SRUM read, not skipped: {p.stderr[-800:]}")
    expect_eq(p.stderr.count("(host "), len(files), "hunt DIR: every export's host named")
    check(f"SRUM: " in p.stderr and f"on {len(files)} host(s) scored" in p.stderr, f"hunt DIR: SRUM summary: {p.stderr[-800:]}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
done()
