"""Pair analytics wired into `outflow hunt` on RITA's own test data (rita-zeek-testdata, the
test_data of activecm/rita), checked against the values RITA v5's integration tests assert
(integration/*.go in activecm/rita; beacon scores within 0.05, as RITA's tests allow on sub-scores):

- proxy_rolling: integration/proxy_rolling_test.go TestRollingThreats: 10.0.0.238 -> 75.75.75.75
  ("ip" pair), 1,160 connections, 319,107 bytes (both directions, IP bytes: Outflow counts payload,
  checked below as a range), total duration 595.72157 s, beacon score 0.673.
- missing_host: integration/missing_host_test.go TestThreat: 73.54.23.243 -> 64.225.56.201, beacon
  score 0.963 over count 331; an SSH session open for the whole three days (longConnScore
  HIGH_CATEGORY_SCORE): one session and a long connection. RITA's test adds 64.225.56.201/32 to
  its internal subnets and keeps external-to-internal traffic; Outflow entities are internal
  initiators, so the config here makes 73.54.23.243 internal instead (same pair).
- open_sni: integration/open_sni_test.go TestThreats: 10.0.0.238 -> 34.222.122.143, one open
  connection (openCount 1) of totalDuration 7,200.403186 s, across two hourly open_conn logs: one
  session and a long-connection factor; 52.33.59.39 the same with 7,200.169165 s.
- open_conns: one session per uid in each of open/ and closed/ (RITA imports them separately).
- dnscat2-ja3-strobe-agent: integration/strobes_test.go asserts one strobe (>= 86,400 connections),
  but the snapshot in ../shared/datasets has only its http.log (no conn.log): no session to pair,
  so the strobe is covered by unit tests (features/beacon_test.cc, pairs_test.cc) instead.
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

d = need_datasets("rita-zeek-testdata", "test_data")


def hunt(*args):
    p = run("hunt", "-q", "--format", "json", "--min-score", "0", *args, expect_rc=None)
    check(p.returncode in (0, 1), f"hunt {args}: exit {p.returncode}: {p.stderr[-2000:]}")
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def host_finding(rows, ip):
    hit = [r for r in rows if get(r, "host.ip") == ip and get(r, "outflow.entity") == "host"]
    check(len(hit) == 1, f"one host finding for {ip}: {[get(r, 'host.ip') for r in rows]}")
    return hit[0] if hit else {}


def pair(f, kind, key):
    for p in get(f, "outflow.pairs", []):
        if p["kind"] == kind and (p.get("name") if kind == "name" else p["ip"]) == key:
            return p
    failures.append(f"no {kind} pair {key} in {[(p['kind'], p.get('name') or p['ip']) for p in get(f, 'outflow.pairs', [])]}")
    return {}


def factor(f, name):
    return next((x for x in get(f, "outflow.factors", []) if x["name"] == name), None)


# --- proxy_rolling ------------------------------------------------------------------------------
f = host_finding(hunt(os.path.join(d, "proxy_rolling")), "10.0.0.238")
p = pair(f, "ip", "75.75.75.75")
b = p.get("beacon", {})
expect_eq(p.get("sessions"), 1160, "proxy_rolling 10.0.0.238 -> 75.75.75.75 sessions (RITA count 1160)")
expect_eq(b.get("connections"), 1160, "beacon connections in the window (RITA count 1160)")
check(abs(p.get("duration_sum_ns", 0) / 1e9 - 595.72157) < 0.01,
      f"total duration {p.get('duration_sum_ns', 0) / 1e9} s, RITA 595.72157 s")
# RITA's 319,107 bytes are IP bytes both ways (headers included); Outflow counts payload bytes.
tot = p.get("bytes_out", 0) + p.get("bytes_in", 0)
check(0.5 * 319107 < tot <= 319107, f"bytes both ways {tot}: payload, below RITA's IP bytes 319,107")
check(b.get("status") == "scored" and abs(b.get("score", 0) - 0.673) <= 0.05,
      f"beacon score {b.get('score')} vs RITA's 0.673 (+- 0.05)")

# explain shows the pair, the sub-scores and the histogram
rank = get(f, "outflow.rank")
ex = run("hunt", "-q", "--min-score", "0", "--explain", str(rank), os.path.join(d, "proxy_rolling"), expect_rc=None).stdout
check("Pairs (" in ex and "75.75.75.75 (ip)" in ex, "explain lists the pairs")
check("Beacon ip -> 75.75.75.75" in ex and "(1/24 of the window)" in ex and "most frequent intervals" in ex,
      "explain shows the beacon, its histogram and intervals")
check("Bytes out per 15m 0s window" in ex, "explain shows bytes per TimeWindow")

# --- missing_host -------------------------------------------------------------------------------
with tempfile.TemporaryDirectory() as t:
    cfg = os.path.join(t, "missing_host.yaml")
    with open(cfg, "w") as fh:
        fh.write("internal_networks: [73.54.23.243/32]\n")
    f = host_finding(hunt("--config", cfg, os.path.join(d, "missing_host")), "73.54.23.243")
p = pair(f, "ip", "64.225.56.201")
b = p.get("beacon", {})
check(b.get("status") == "scored" and abs(b.get("score", 0) - 0.963) <= 0.05,
      f"missing_host beacon score {b.get('score')} vs RITA's 0.963 (+- 0.05)")
check(abs(b.get("connections", 0) - 331) <= 3, f"connections in the window {b.get('connections')} vs RITA's 331")
check(p.get("longest_ns", 0) / 1e9 > 72 * 3600, f"the SSH session open for three days: longest {p.get('longest_ns', 0) / 1e9} s")
check(p.get("open_sessions", 0) >= 1, "the SSH session was still open when the data ended")
bf = factor(f, "beacon")
check(bf is not None and bf["contribution"] >= 18, f"a beacon factor: {bf}")
lc = factor(f, "long_connection")
check(lc is not None and "still open" in lc["detail"], f"a long_connection factor naming the open session: {lc}")
check("T1071" in get(f, "threat.technique.id", []), "a beacon is T1071")

# --- open_sni -----------------------------------------------------------------------------------
rows = sessions(os.path.join(d, "open_sni"))
one = [s for s in rows if get(s, "destination.ip") == "34.222.122.143"]
if expect_eq(len(one), 1, "open_sni: the connection in two hourly open_conn logs is one session"):
    expect_eq(get(one[0], "event.duration"), 7200403186000, "its duration (RITA totalDuration 7200.403186)")
f = host_finding(hunt(os.path.join(d, "open_sni")), "10.0.0.238")
p = pair(f, "ip", "34.222.122.143")
expect_eq((p.get("sessions"), p.get("open_sessions"), p.get("longest_ns")), (1, 1, 7200403186000),
          "open_sni pair 34.222.122.143: one open session of 7,200.403186 s (RITA openCount 1)")
p = pair(f, "ip", "52.33.59.39")
expect_eq(p.get("longest_ns"), 7200169165000, "open_sni pair 52.33.59.39: 7,200.169165 s (RITA totalDuration)")
lc = factor(f, "long_connection")
# The longest pair is ce7.stearns.org (its open TLS and HTTP sessions; RITA: openCount 2 + 1).
check(lc is not None and lc["observed"].startswith("longest 2h") and "still open" in lc["detail"],
      f"a long_connection factor of 2 h, open: {lc}")

# --- open_conns ---------------------------------------------------------------------------------
# RITA imports open/ and closed/ separately (the same connections before and after they closed).
# Within each, one session per uid. (Read together, open/open_conn.log, whose header says
# `#path conn`, repeats closed/conn.log's final records after open/conn.log moved record time 23 h
# on: past the stitcher's memory of emitted uids (2 x --idle), so they count twice.)
for part in ("open", "closed"):
    rows = sessions(os.path.join(d, "open_conns", part))
    uids = [get(s, "outflow.session.uid") for s in rows]
    check(len(uids) > 0 and len(uids) == len(set(uids)), f"open_conns/{part}: one session per uid ({len(uids)} sessions, {len(set(uids))} uids)")
done()
