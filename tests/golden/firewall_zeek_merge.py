"""Issue 13: the same connections logged by Zeek (inside) and by the perimeter firewall (PAN-OS, with
NAT and User-ID) are one session each, never two, and the firewall's user, application and NAT
addresses show on them. A small simulated organisation behind a proxy (a seed no other test uses);
no dataset needed."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

with tempfile.TemporaryDirectory() as t:
    run("simulate", "-q", "--seed", "5151", "--hosts", "6", "--days", "1", "--formats", "sysmon,zeek", "--proxy", "--out", t)
    conn, fw = os.path.join(t, "zeek", "conn.log"), os.path.join(t, "firewall", "panos.log")
    zeek_only = sessions(conn)
    fw_only = sessions(fw)
    both = sessions(conn, fw)
    merged = [r for r in both if get(r, "outflow.session.merged_source")]
    print(f"zeek {len(zeek_only)} sessions, firewall {len(fw_only)}, both {len(both)}, merged {len(merged)}")
    check(len(merged) > 0, "some connections were logged by both sensors and merged")
    expect_eq(len(both), len(zeek_only) + len(fw_only) - len(merged), "sessions of both = each's, less the merged ones")
    # Merged: one session, both sensors; Zeek's uid (its http.log joins by it), the firewall's view.
    m = merged[0]
    expect_eq(get(m, "outflow.session.sensors"), 2, "a merged session names two sensors")
    check(not str(get(m, "outflow.session.uid", "")).startswith("panos:"), f"Zeek's uid kept: {get(m, 'outflow.session.uid')}")
    users = [r for r in merged if get(r, "source.user.name")]
    check(len(users) > 0, "the firewall's User-ID shows as source.user on merged sessions")
    apps = [r for r in merged if get(r, "network.application")]
    check(len(apps) > 0, "the firewall's application shows as network.application")
    nat = [r for r in fw_only if get(r, "source.nat.ip")]
    check(len(nat) > 0, "the firewall's source NAT shows as source.nat on its sessions")
    for r in nat[:50]:
        check(get(r, "source.nat.ip") != get(r, "source.ip"), f"source.nat.ip is the translated address: {r.get('source')}")
    # Coverage says so.
    cov = json.loads(run("coverage", "--json", conn, fw).stdout)
    expect_eq(get(cov, "overall.sessions_merged_across_sensors"), len(merged), "coverage counts the merged sessions")

done()
