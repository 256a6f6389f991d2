"""Issue 19: the same connections logged by Zeek and by Suricata (Security Onion runs both on one tap)
are one session each. Suricata's eve.json also carries dns, tls and http events, so it is a log that
names things as well as a flow input: it must be read beside Zeek's conn.log by time, not a whole file
before it (which counted nearly every connection twice). A small simulated organisation, flows only;
no dataset needed."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

with tempfile.TemporaryDirectory() as t:
    run("simulate", "-q", "--seed", "1919", "--hosts", "6", "--days", "1", "--endpoint-share", "0", "--formats", "zeek,suricata",
        "--out", t)
    zeek, eve = os.path.join(t, "zeek"), os.path.join(t, "suricata", "eve.json")
    with open(eve) as f:
        types = {json.loads(line).get("event_type") for line in f}
    check({"flow", "dns", "tls"} <= types, f"the simulated eve.json has flow, dns and tls events: {sorted(types)}")
    zeek_only = sessions(zeek)
    eve_only = sessions(eve)
    both = sessions(zeek, eve)
    merged = [r for r in both if get(r, "outflow.session.merged_source")]
    print(f"zeek {len(zeek_only)} sessions, suricata {len(eve_only)}, both {len(both)}, merged {len(merged)}")
    expect_eq(len(zeek_only), len(eve_only), "both sensors logged the same connections")
    expect_eq(len(both), len(zeek_only), "read together, each connection is one session")
    expect_eq(len(merged), len(both), "every session of both names the other sensor")
    expect_eq(get(both[0], "outflow.session.sensors"), 2, "a merged session names two sensors")
    cov = json.loads(run("coverage", "--json", zeek, eve).stdout)
    expect_eq(get(cov, "overall.sessions_merged_across_sensors"), len(merged), "coverage counts the merged sessions")
    expect_eq(get(cov, "overall.duplicate_cross_sensor"), 0, "the sensor merge, not the first-wins check, took them")
    # Names still reach the merged sessions (Zeek's dns.log, Suricata's dns and tls events).
    named = [r for r in both if get(r, "destination.domain")]
    check(len(named) > len(both) // 4, f"destinations are named on merged sessions: {len(named)} of {len(both)}")

done()
