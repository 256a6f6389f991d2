"""Threat-intel feeds (issue 17) on real recordings, with feeds naming their command servers:

- otrf-atomic-host-network: the Empire / Covenant agents call back to 10.10.10.5:80. A plain list
  naming 10.10.10.5 (plus addresses and names that never occur) puts a threat_intel factor on the
  findings that reached it, reported even at --min-score 100; without the feed, the same run
  reports none of them; no finding that never reached 10.10.10.5 carries a match.
- rita-zeek-testdata open_sni: 10.0.0.238 talks TLS to ce7.stearns.org (SNI). A STIX 2.1 bundle
  whose pattern names the registered domain stearns.org matches the name, with the indicator's
  confidence and age at the session; a bundle whose validity ended before the recording does not.
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

root = need_datasets("otrf-atomic-host-network", "pairs")
rita = need_datasets("rita-zeek-testdata", "test_data", "open_sni")
C2 = "10.10.10.5"
tmp = tempfile.mkdtemp(prefix="outflow_intel_")
plain = os.path.join(tmp, "c2.txt")
with open(plain, "w") as f:
    f.write("# campaign C2\n10.10.10.5\n198.18.0.77\n203.0.113.0/24\nnever-seen.example\n10.0.0.0/33\n")


def hunt(*args):
    p = run("hunt", "-q", "--format", "json", *args, expect_rc=None)
    check(p.returncode in (0, 1), f"hunt {args}: exit {p.returncode}: {p.stderr[-2000:]}")
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()], p


def reached_c2(f):
    return any(x.get("ip") == C2 for x in get(f, "outflow.destinations", []))


matched = 0
recordings = 0
for tactic in sorted(os.listdir(root)):
    for name in sorted(os.listdir(os.path.join(root, tactic))):
        rec = os.path.join(root, tactic, name)
        every, _ = hunt("--min-score", "0", rec)
        if not any(reached_c2(f) for f in every):
            continue
        recordings += 1
        with_feed, p = hunt("--min-score", "100", "--intel", plain, rec)
        without, _ = hunt("--min-score", "100", rec)
        hits = [f for f in with_feed if get(f, "outflow.intel")]
        check(hits, f"{name}: a finding carries the feed's match at --min-score 100")
        for f in hits:
            matched += 1
            intel = get(f, "outflow.intel")[0]
            expect_eq((intel["feed"], intel["kind"], intel["indicator"], intel["type"], intel["matched"]),
                      ("c2.txt", "malicious", C2, "ipv4", C2), f"{name}: the match")
            check(reached_c2(f) or intel["destination"].startswith(C2), f"{name}: the match is on the C2 destination")
            tf = [x for x in get(f, "outflow.factors") if x["name"] == "threat_intel"]
            check(len(tf) == 1 and tf[0]["contribution"] == 40, f"{name}: one threat_intel factor of 40 points: {tf}")
        check(not [f for f in without if f["risk"]["score"] < 100],
              f"{name}: without the feed nothing under 100 is reported at --min-score 100")
        for f in with_feed:
            if not reached_c2(f):
                check(not any(i["indicator"] != C2 for i in get(f, "outflow.intel", [])), f"{name}: no false match")
print(f"otrf: {recordings} recordings reach {C2}; {matched} findings carry the match")
check(recordings >= 4 and matched >= recordings, f"at least 4 recordings matched: {recordings}, {matched}")

# The plain feed's bad line is counted, with file:line and reason, in coverage.
p = run("coverage", "-q", "--json", "--intel", plain, rita, expect_rc=None)
check(p.returncode == 0, f"coverage: exit {p.returncode}: {p.stderr}")
feeds = json.loads(p.stdout).get("intel_feeds", [])
check(len(feeds) == 1, f"coverage lists the feed: {feeds}")
if feeds:
    expect_eq((feeds[0]["format"], feeds[0]["indicators"], feeds[0]["bad"]),
              ("plain", {"ipv4": 2, "cidr4": 1, "domain": 1}, 1), "feed summary")
    check(feeds[0]["samples"] == [f"{plain}:6: prefix length over 32"], f"bad line sampled: {feeds[0]['samples']}")


# A feed older than its max_age (config intel:) is a warning on stderr; config --check lists it.
old_feed = os.path.join(tmp, "old.csv")
with open(old_feed, "w") as f:
    f.write("first_seen_utc,dst_ip,malware\n2020-01-01 00:00:00,198.18.0.77,Old\n")
cfg = os.path.join(tmp, "intel.yaml")
with open(cfg, "w") as f:
    f.write(f"intel:\n  - {{name: old-c2, kind: suspicious, path: {old_feed}, max_age: 30}}\n")
p = run("coverage", "--config", cfg, rita, expect_rc=None)
check("intel feed old-c2 is older than its max_age of 30 day(s): newest date 2020-01-01" in p.stderr,
      f"coverage warns of the stale feed: {p.stderr[-600:]}")
check("old-c2 [suspicious] csv" in p.stdout, "coverage lists the configured feed")
p = run("config", "--check", cfg, expect_rc=None)
check(p.returncode == 0 and "1 intel feed(s)" in p.stdout and "indicators: 1 ipv4" in p.stdout and "older than its max_age" in p.stderr,
      f"config --check lists the feed and warns: {p.stdout} {p.stderr}")


def bundle(path, valid_from, valid_until=None):
    ind = {"type": "indicator", "spec_version": "2.1", "id": "indicator--9a1b2c3d-0000-4000-8000-000000000001",
           "created": valid_from, "modified": valid_from, "valid_from": valid_from, "confidence": 90,
           "indicator_types": ["malicious-activity"], "name": "test C2",
           "pattern": "[domain-name:value = 'stearns.org'] OR [ipv4-addr:value = '198.18.0.9']", "pattern_type": "stix"}
    if valid_until:
        ind["valid_until"] = valid_until
    with open(path, "w") as f:
        json.dump({"type": "bundle", "id": "bundle--9a1b2c3d-0000-4000-8000-000000000000", "objects": [ind]}, f)


stix = os.path.join(tmp, "c2.stix.json")
bundle(stix, "2024-01-01T00:00:00Z")
rows, _ = hunt("--min-score", "100", "--intel", stix, rita)
f = [r for r in rows if get(r, "host.ip") == "10.0.0.238"]
check(len(f) == 1, f"open_sni: the host finding is reported: {[get(r, 'host.ip') for r in rows]}")
if f:
    intel = get(f[0], "outflow.intel")
    check(intel and intel[0]["matched"] == "ce7.stearns.org" and intel[0]["indicator"] == "stearns.org" and
          intel[0]["confidence"] == 90 and intel[0]["age_days"] == 30 and intel[0]["type"] == "domain",
          f"open_sni: the SNI name matches the registered domain: {intel}")
# sessions --intel: each session to the named host carries the match.
p = run("sessions", "-q", "--intel", stix, rita, expect_rc=None)
rows = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
hit = [r for r in rows if r.get("intel")]
check(hit and all(get(r, "destination.domain") == "ce7.stearns.org" for r in hit) and
      all(r["intel"][0]["indicator"] == "stearns.org" for r in hit), f"sessions: matches on ce7.stearns.org only: {len(hit)}")
check(len(hit) == len([r for r in rows if get(r, "destination.domain") == "ce7.stearns.org"]),
      "sessions: every session to ce7.stearns.org carries the match")
expired = os.path.join(tmp, "expired.stix.json")
bundle(expired, "2023-01-01T00:00:00Z", "2023-06-01T00:00:00Z")
rows, _ = hunt("--min-score", "0", "--intel", expired, rita)
check(not any(get(r, "outflow.intel") for r in rows), "open_sni: an indicator expired before the recording does not match")
done()
