"""Issue 12 on Stratosphere's labelled flows (slips-flow-samples, GPL-2.0; dataset/
test18-malicious-ctu-sme-11-win: the first 5,000 packets of CTU-SME-11, a Windows 7 VM infected with
RemcosRAT, Zeek logs labelled by hand with netflowlabeler, labels.config beside them).

Flows alone (no endpoint telemetry): the infected host 192.168.1.107 must be a host finding whose
pair to the address labels.config calls "Malware_data_exfiltration-RemcosRAT" (66.63.168.35) holds
every connection the labelled conn.log has to it (counted here from the file: the RAT retries
port 5888 about once a second and is refused, REJ) and scores as a beacon (RITA v5 score >= 0.95:
a one-second retry loop is as regular as a beacon gets), with the T1071 technique. The broadcast
and multicast peers labels.config calls benign (239.255.255.250, 224.0.0.252, 255.255.255.255,
192.168.1.255) are no finding's destination or pair: they never leave the segment.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

d = need_datasets("slips-flow-samples", "dataset", "test18-malicious-ctu-sme-11-win")
EXFIL = "66.63.168.35"
INFECTED = "192.168.1.107"
LOCAL_ONLY = {"239.255.255.250", "224.0.0.252", "255.255.255.255", "192.168.1.255"}

# The labelled conn.log's own count of connections from the infected host to the address.
expected = 0
for row in tsv_rows(os.path.join(d, "zeek-labeled", "conn.log.labeled")):
    if row.get("id.orig_h") == INFECTED and row.get("id.resp_h") == EXFIL:
        expected += 1
check(expected > 100, f"the labelled conn.log has {expected} connections to {EXFIL}")

p = run("hunt", "-q", "--format", "json", "--min-score", "0", d, expect_rc=None)
check(p.returncode in (0, 1), f"hunt: exit {p.returncode}: {p.stderr[-2000:]}")
rows = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
hosts = [r for r in rows if get(r, "host.ip") == INFECTED and get(r, "outflow.entity") == "host"]
check(len(hosts) == 1, f"one host finding for {INFECTED}: {[get(r, 'host.ip') for r in rows]}")
f = hosts[0] if hosts else {}
pairs = {(x["kind"], x.get("name") or x["ip"]): x for x in get(f, "outflow.pairs", [])}
pr = pairs.get(("ip", EXFIL), {})
expect_eq(pr.get("sessions"), expected, f"{INFECTED} -> {EXFIL} sessions (the labelled conn.log's count)")
score = (pr.get("beacon") or {}).get("score", 0)
check(score >= 0.95, f"{EXFIL} beacon score {score} >= 0.95")
check(any(x["name"] == "beacon" for x in get(f, "outflow.factors", [])), "a beacon factor")
check("T1071" in (get(f, "threat.technique.id") or []), f"T1071 in {get(f, 'threat.technique.id')}")
for r in rows:
    dests = {x.get("ip") for x in get(r, "outflow.destinations", []) or []}
    dests |= {x.get("ip") for x in get(r, "outflow.pairs", []) or []}
    check(not (dests & LOCAL_ONLY), f"{get(r, 'host.ip')}: local-only peers as destinations: {dests & LOCAL_ONLY}")
    check(get(r, "host.ip") not in LOCAL_ONLY, f"a finding for the broadcast/multicast address {get(r, 'host.ip')}")
print(f"CTU-SME-11 RemcosRAT: {INFECTED} -> {EXFIL}: {pr.get('sessions')} connections (labelled: {expected}), beacon {score}")
done()
