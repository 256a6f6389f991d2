"""An incident collection often has hosts whose log is empty. An empty file is noted and read as
nothing: it is no flow input and no kind of sensor, so one Zeek conn.log beside a folder of host
files with empty ones among them is still one kind of sensor (the sensor merge, which holds every
session for minutes, stays off) and the sessions and findings are those of the folder without
the empty files (issue 15: 43 empty files of 600 made the merge hold every session, 62 MB). A small
simulated organisation; no dataset needed."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

with tempfile.TemporaryDirectory() as t:
    run("simulate", "-q", "--seed", "4242", "--hosts", "6", "--days", "1", "--formats", "sysmon,zeek", "--out", t)
    sysmon, conn = os.path.join(t, "sysmon"), os.path.join(t, "zeek", "conn.log")
    clean = run("coverage", sysmon, conn)
    clean_sessions = sessions(sysmon, conn)
    clean_hunt = run("hunt", "--format", "json", sysmon, conn, expect_rc=1).stdout
    for name in ("EMPTY-01.jsonl", "EMPTY-02.jsonl"):
        open(os.path.join(sysmon, name), "w").close()
    with_empty = run("coverage", sysmon, conn)
    check("more than one kind" not in with_empty.stdout,
          "empty host files are no second kind of sensor (the sensor merge stays off)")
    check("more than one kind" not in clean.stdout, "one Zeek conn.log is one kind of sensor")
    read = run("sessions", sysmon, conn)
    check("empty input" in read.stderr, f"the empty files are noted: {read.stderr[-400:]!r}")
    expect_eq(len(json_lines(read, "sessions")), len(clean_sessions), "sessions with the empty files = without them")
    hunt = run("hunt", "--format", "json", sysmon, conn, expect_rc=1).stdout
    check(hunt == clean_hunt, f"findings with the empty files = without them ({len(hunt)} bytes against {len(clean_hunt)})")

done()
