"""The join through an explicit web proxy on RITA's own test data (rita-zeek-testdata, test_data/proxy
of activecm/rita), checked against RITA v5's integration test TestProxyBeacons
(integration/beacons_test.go, "Verify Known Scores"): 10.136.0.18 -> www.honestimnotevil.com
through the proxy 10.136.0.16:3128 (Zeek sees the client leg and its CONNECT requests), count 357,
proxy count 357, total bytes 963,595, total duration 12.454628 s, beacon score 0.979 (RITA's
tolerance 0.05); and 10.136.0.18 -> www.google.com: count 6, score 0.586. The proxy's address is no
finding's destination.

RITA scores the last 24 h of the data (its window): the pair has 397 sessions in all, 357 in the
window. RITA's TotalBytes are IP bytes both ways in the window (conn.log orig_ip_bytes +
resp_ip_bytes of those 357 = 963,595); Outflow's beacon counts the originator's IP bytes in the
window (374,493 of them, what its data size score sees) and the pair payload bytes of all sessions.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

d = os.path.join(need_datasets("rita-zeek-testdata", "test_data"), "proxy")
PROXY = "10.136.0.16"

p = run("hunt", "-q", "--format", "json", "--min-score", "0", d, expect_rc=None)
check(p.returncode in (0, 1), f"hunt: exit {p.returncode}: {p.stderr[-2000:]}")
rows = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]

# The proxy is no finding's destination, nor any listed destination's or pair's address.
for r in rows:
    check(get(r, "destination.ip") != PROXY, f"a finding's destination is the proxy: {get(r, 'host.ip')}")
    for x in get(r, "outflow.destinations", []):
        check(x.get("ip") != PROXY, f"destination list of {get(r, 'host.ip')} names the proxy: {x}")
    for x in get(r, "outflow.pairs", []):
        check(x.get("ip") != PROXY, f"pair of {get(r, 'host.ip')} is the proxy: {x}")

hit = [r for r in rows if get(r, "host.ip") == "10.136.0.18"]
check(len(hit) == 1, f"one finding for 10.136.0.18: {[get(r, 'host.ip') for r in rows]}")
f = hit[0] if hit else {}
expect_eq(get(f, "destination.domain"), "www.honestimnotevil.com", "the top destination is the host behind the proxy")
expect_eq(get(f, "destination.port"), 443, "its port, from CONNECT www.honestimnotevil.com:443")
check(get(f, "destination.ip") is None, f"no address for a host known by name only: {get(f, 'destination.ip')}")
dests = {x.get("domain"): x for x in get(f, "outflow.destinations", [])}
expect_eq(dests.get("www.honestimnotevil.com", {}).get("via_proxy"), PROXY, "the destination is reached via the proxy")
expect_eq(dests.get("www.honestimnotevil.com", {}).get("sessions"), 397, "every proxied connection to it (397 in all)")


def pair(name):
    for x in get(f, "outflow.pairs", []):
        if x["kind"] == "name" and x.get("name") == name:
            return x
    failures.append(f"no name pair {name}: {[(x['kind'], x.get('name') or x.get('ip')) for x in get(f, 'outflow.pairs', [])]}")
    return {}


x = pair("www.honestimnotevil.com")
b = x.get("beacon", {})
expect_eq(b.get("connections"), 357, "connections in RITA's window (count 357, proxy count 357)")
check(abs(b.get("duration_s", 0) - 12.454628) < 0.001, f"total duration in the window {b.get('duration_s')} s, RITA 12.454628 s")
check(b.get("status") == "scored" and abs(b.get("score", 0) - 0.979) <= 0.05, f"beacon score {b.get('score')} vs RITA's 0.979 (+- 0.05)")
for k, v in (("ts_score", 0.921), ("ds_score", 0.995), ("dur_score", 1.0), ("hist_score", 1.0)):
    check(abs(b.get(k, -1) - v) <= 0.05, f"{k} {b.get(k)} vs RITA's {v} (+- 0.05)")
# RITA's 963,595 bytes are IP bytes both ways; the originator's IP bytes in the window are part of it.
expect_eq(b.get("bytes_out"), 374493, "originator IP bytes in the window (conn.log orig_ip_bytes)")
check(b.get("bytes_out", 0) < 963595, "below RITA's both-ways IP bytes 963,595")
expect_eq(x.get("sessions"), 397, "all 397 proxied sessions in the pair (RITA counts its window's 357)")

g = pair("www.google.com").get("beacon", {})
expect_eq(g.get("connections"), 6, "www.google.com: RITA count 6")
check(abs(g.get("score", 0) - 0.586) <= 0.05, f"www.google.com beacon score {g.get('score')} vs RITA's 0.586")
bf = next((y for y in get(f, "outflow.factors", []) if y["name"] == "beacon"), None)
check(bf is not None and "www.honestimnotevil.com" in bf["detail"], f"a beacon factor naming the host behind the proxy: {bf}")

ex = run("hunt", "-q", "--min-score", "0", "--explain", str(get(f, "outflow.rank")), d, expect_rc=None).stdout
check("www.honestimnotevil.com:443/tcp via proxy 10.136.0.16" in ex, "explain shows the destination via the proxy")
check("Beacon name -> www.honestimnotevil.com" in ex and "357 connections" in ex, "explain shows the beacon by name")
check(f"{PROXY}:3128" not in ex, "explain names no destination at the proxy's port")

# coverage lists the proxy: one client (10.136.0.18) sent all 407 CONNECTs, so by the rule (2+
# clients) it is a candidate; named in the config, it is "configured, seen".
cov = json.loads(run("coverage", "--json", d).stdout)
px = [x for x in cov.get("proxies", []) if x["ip"] == PROXY and x["port"] == 3128]
check(len(px) == 1 and px[0]["connects"] == 407 and px[0]["clients"] == 1 and px[0]["status"] == "candidate",
      f"coverage lists {PROXY}:3128 as a candidate with 407 CONNECT from 1 client: {cov.get('proxies')}")
import tempfile  # noqa: E402
with tempfile.TemporaryDirectory() as t:
    cfg = os.path.join(t, "proxy.yaml")
    with open(cfg, "w") as fh:
        fh.write(f"proxies: ['{PROXY}:3128']\n")
    txt = run("coverage", "--config", cfg, d).stdout
check(f"{PROXY}:3128" in txt and "configured, seen" in txt, "coverage text shows the configured proxy, seen")
done()
