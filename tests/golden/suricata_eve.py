"""Issue 19: Suricata EVE JSON as a flow source.

1. tests/fixtures/suricata/eve_docs.json (events in the shapes Suricata's manual documents,
   written for this project): sessions carry Suricata's counts, the IDS alert of their flow and
   the names of its tls/http events; stats give capture loss in `coverage`; unused event types
   are "read but not used".
2. slips-flow-samples' test6-malicious.suricata.json (Stratosphere, GPL-2.0; 3,512 flow events):
   every flow event is a session, and 192.168.1.129 -> 122.248.252.67:9765 is, as the file says
   (counted here from the file itself), 50 UDP flows, 493,428 bytes sent, 25,920 received, about
   54,900 s: in `sessions` and in the host finding of `hunt`. Multicast and broadcast are never a
   finding's destination.
"""
import json
import os
import sys
from datetime import datetime

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

# --- 1. the documented shapes ------------------------------------------------------------
fixture = os.path.join(SOURCE, "tests", "fixtures", "suricata", "eve_docs.json")
rows = sessions(fixture)
by_uid = {get(r, "outflow.session.uid"): r for r in rows}
up = by_uid.get("1111111111111111", {})
expect_eq(get(up, "source.bytes"), 1100000, "upload session: bytes the client sent")
expect_eq(get(up, "destination.bytes"), 21000, "upload session: bytes received")
expect_eq(get(up, "outflow.session.source"), "suricata", "upload session: source")
expect_eq(get(up, "destination.domain"), "upload.example.net", "upload session: named by its http event")
expect_eq(get(up, "outflow.ids_alert.signature"), "ET POLICY curl User-Agent Outbound", "upload session: its alert")
expect_eq(get(up, "outflow.ids_alert.severity"), 2, "upload session: alert severity")
expect_eq(get(up, "outflow.ids_alert.policy_or_c2"), 1, "upload session: a policy signature")
tls = by_uid.get("4444", {})
expect_eq(get(tls, "destination.domain"), "files.example.org", "tls session: named by its SNI")
expect_eq(get(tls, "event.start"), "2024-03-01T10:00:09.900000Z", "tls session: -0500 read as the sensor's offset")
mid = by_uid.get("7777", {})
expect_eq(get(mid, "destination.port"), 443, "midstream session: turned round, the server's port as destination")
expect_eq(get(mid, "source.bytes"), 3000, "midstream session: the client's bytes as sent")
expect_eq(get(by_uid.get("6666", {}), "outflow.session.source"), "suricata_open", "shutdown flow: still open")
net = [r for r in rows if get(r, "outflow.session.source") == "suricata_netflow"]
check(len(net) == 1 and get(net[0], "outflow.session.both_directions_seen") is True,
      f"netflow: two directions stitched into one session: {net}")
check(len(rows) == 6, f"6 sessions from the fixture's 7 flow records: {len(rows)}")

cov = json.loads(run("coverage", "--json", fixture).stdout)
loss = cov.get("capture_loss") or get(cov, "sensors.capture_loss") or []
check(any(abs(x.get("max_percent_lost", 0) - 5.0) < 1e-9 for x in loss), f"coverage: stats capture loss 5%: {loss}")
text = run("coverage", fixture).stdout + run("coverage", fixture).stderr
check("Suricata stats" in text, "coverage text names Suricata stats as the loss's source")
check("not understood" not in text, "no event type 'not understood'")
check("eve anomaly" in text and "eve ssh" in text, "anomaly and ssh events read but not used")

# --- 2. Stratosphere's test6 -------------------------------------------------------------
d = need_datasets("slips-flow-samples", "dataset")
eve = os.path.join(d, "test6-malicious.suricata.json")
INF, C2, PORT = "192.168.1.129", "122.248.252.67", 9765
LOCAL_ONLY = {"239.255.255.250", "224.0.0.251", "224.0.0.252", "255.255.255.255", "192.168.1.255"}


def ts(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


flows, want = 0, {"n": 0, "out": 0, "in": 0, "dur": 0.0}
with open(eve) as f:
    for line in f:
        e = json.loads(line)
        if e.get("event_type") != "flow":
            continue
        flows += 1
        if e["src_ip"] == INF and e["dest_ip"] == C2 and e.get("dest_port") == PORT:
            want["n"] += 1
            want["out"] += e["flow"]["bytes_toserver"]
            want["in"] += e["flow"]["bytes_toclient"]
            want["dur"] += ts(e["flow"]["end"]) - ts(e["flow"]["start"])
expect_eq((flows, want["n"], want["out"], want["in"]), (3512, 50, 493428, 25920), "the file's own counts")

rows = sessions(eve)
expect_eq(len(rows), flows, "every flow event is a session")
c2 = [r for r in rows if get(r, "source.ip") == INF and get(r, "destination.ip") == C2 and get(r, "destination.port") == PORT]
expect_eq(len(c2), want["n"], f"{INF} -> {C2}:{PORT} sessions")
expect_eq(sum(get(r, "source.bytes", 0) for r in c2), want["out"], "bytes sent")
expect_eq(sum(get(r, "destination.bytes", 0) for r in c2), want["in"], "bytes received")
dur = sum(get(r, "event.duration", 0) for r in c2) / 1e9
check(abs(dur - want["dur"]) < 1 and 54000 < dur < 56000, f"duration {dur:.0f} s (file: {want['dur']:.0f} s)")
check(all(get(r, "network.transport") == "udp" for r in c2), "UDP")

p = run("hunt", "-q", "--format", "json", "--min-score", "0", eve, expect_rc=None)
check(p.returncode in (0, 1), f"hunt: exit {p.returncode}: {p.stderr[-2000:]}")
found = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
hosts = [r for r in found if get(r, "host.ip") == INF and get(r, "outflow.entity") == "host"]
check(len(hosts) == 1, f"one host finding for {INF}: {[get(r, 'host.ip') for r in found]}")
h = hosts[0] if hosts else {}
dst = [x for x in get(h, "outflow.destinations", []) or [] if x.get("ip") == C2 and x.get("port") == PORT]
check(len(dst) == 1, f"host finding: one destination {C2}:{PORT}: {dst}")
x = dst[0] if dst else {}
expect_eq((x.get("sessions"), x.get("bytes_out"), x.get("bytes_in"), x.get("transport")), (want["n"], want["out"], want["in"], "udp"),
          f"host finding: {C2}:{PORT} sessions, bytes out, bytes in, transport")
check(abs(x.get("cumulative_ns", 0) / 1e9 - want["dur"]) < 1, f"host finding: {C2}:{PORT} duration {x.get('cumulative_ns')}")
expect_eq(x.get("domain"), "www.myedimax.com", f"host finding: {C2} named by the EVE dns answers")
pr = {p.get("ip"): p for p in get(h, "outflow.pairs", []) or []}.get(C2, {})
check(pr.get("sessions", 0) >= want["n"] and get(pr, "beacon.score", 0) > 0, f"host finding: the pair to {C2}, a beacon: {pr.get('sessions')}")
# The file's 745 alerts are all inbound (scans and reputation lists hitting the camera): none
# reaches the scanned host's finding.
check(get(h, "outflow.ids_alerts") is None and not any(f["name"] == "ids_alert" for f in get(h, "outflow.factors", [])),
      f"inbound alerts do not raise the scanned host: {get(h, 'outflow.ids_alerts')}")
for r in found:
    dests = {x.get("ip") for x in get(r, "outflow.destinations", []) or []}
    dests |= {x.get("ip") for x in get(r, "outflow.pairs", []) or []}
    check(not (dests & LOCAL_ONLY), f"{get(r, 'host.ip')}: multicast/broadcast as destinations: {dests & LOCAL_ONLY}")
print(f"test6: {len(rows)} sessions; {INF} -> {C2}:{PORT}: {len(c2)} sessions, "
      f"{sum(get(r, 'source.bytes', 0) for r in c2)} B out, {dur:.0f} s; host finding {x.get('sessions')} sessions, {x.get('bytes_out')} B out")
done()
