"""Issue 18: `outflow coverage` on ../shared/datasets/srum-samples: per SRUM input its host, span,
intervals and gaps, dirty state, the connectivity table's connected time per interface, and what
SRUM cannot answer; Windows Server's database said to have no per-program table, not an error."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

root = need_datasets("srum-samples")
p = run("coverage", "--json", root)
c = json.loads(p.stdout)
by = {os.path.basename(os.path.dirname(s["path"])): s for s in c["srum"]}
expect_eq(sorted(by), ["server2022-aptsimulator", "win10-aptsimulator", "win11-rathbunvm-clean", "win11-rathbunvm-dirty"], "SRUM inputs")
w10 = by["win10-aptsimulator"]
expect_eq((w10["host"], w10["status"], w10["rows"], w10["interface_totals"], w10["intervals"], w10["gaps"]),
          ("DESKTOP-TMKU40H", "read", 96, 3, 3, 1), "Windows 10: host, rows, intervals, gaps")
expect_eq((w10["first"][:16], w10["last"][:16], w10["longest_gap_seconds"]), ("2022-03-10T16:35", "2022-03-10T21:10", 12780), "Windows 10 span")
# Its connectivity table: 6 rows, 5 connections (one updated at two flushes: 1350 s, then 5010 s).
expect_eq(w10["interfaces"], [{"luid": 1689399632855040, "type": "ethernet", "connections": 5, "connected_seconds": 66 + 345 + 17 + 2150 + 5010,
                               "first_connect": "2022-03-10T16:33:53.062678Z", "last_seen": "2022-03-10T21:10:00.000000Z"}], "Windows 10 interfaces")
expect_eq(by["win11-rathbunvm-dirty"]["status"], "read (dirty)", "dirty copy")
expect_eq(by["win11-rathbunvm-clean"]["interfaces"], by["win11-rathbunvm-dirty"]["interfaces"], "dirty copy: same connectivity")
srv = by["server2022-aptsimulator"]
expect_eq((srv["status"], srv["per_program_table"], srv["connectivity_table"]), ("no per-program table", False, False), "server")
check("no destinations" in c["srum_cannot_answer"], "what SRUM cannot answer")
expect_eq(c["hosts_without_srum"], [], "the one monitored host has SRUM")
t = run("coverage", root)
check("\nSRUM (per-program network usage" in t.stdout and "5 connection(s) since 2022-03-10T16:33" in t.stdout, f"table: {t.stdout[:3000]}")
check("read by `outflow usage`" not in t.stderr, "coverage reads SRUM, no skip note")
done()
