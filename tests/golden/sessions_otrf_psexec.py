"""Issue 2's acceptance case: the Empire psexec C2 flow, from nfdump CSVs and NXLog Sysmon."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

d = need_datasets("otrf-atomic-host-network", "pairs", "lateral_movement", "empire_psexec_dcerpc_tcp_svcctl")
rows = sessions(d)
hits = [s for s in rows if get(s, "source.port") == 63854 and get(s, "destination.ip") == "10.10.10.5"]
if expect_eq(len(hits), 1, "sessions for 172.18.39.6:63854 -> 10.10.10.5:80"):
    s = hits[0]
    expect_eq(get(s, "source.ip"), "172.18.39.6", "source.ip")
    expect_eq(get(s, "destination.port"), 80, "destination.port")
    expect_eq(get(s, "source.bytes"), 5534, "source.bytes (bytes out)")
    expect_eq(get(s, "destination.bytes"), 68074, "destination.bytes (bytes in)")
    expect_eq(get(s, "process.name"), "powershell.exe", "process.name")
    expect_eq(get(s, "process.entity_id"), "{d273d0f0-8078-5f67-cc06-000000000800}", "process.entity_id")
    expect_eq(get(s, "user.domain") + "\\" + get(s, "user.name"), "NT AUTHORITY\\SYSTEM", "user")
    expect_eq([p.split("\\")[-1].lower() for p in get(s, "outflow.lineage")],
              ["services.exe", "cmd.exe", "powershell.exe"], "lineage")
    expect_eq(get(s, "outflow.attribution.status"), "matched", "attribution")
    expect_eq(get(s, "network.transport"), "tcp", "transport")
    expect_eq(get(s, "network.community_id"), "1:FqdkHtS5DQ7DMCZZSNAhvoivuZk=", "community id")
    expect_eq(get(s, "outflow.session.records"), 2, "both NetFlow directions stitched")
    expect_eq(get(s, "event.duration"), 58_000_000_000, "duration ns")
    expect_eq(get(s, "host.name"), "WORKSTATION6.theshire.local", "host.name")

# The same connection captured on both hosts' pcaps is counted once.
dup = [s for s in rows if get(s, "source.port") == 56607]
if expect_eq(len(dup), 1, "sessions for :56607"):
    expect_eq(get(dup[0], "outflow.session.sensors"), 2, "seen by two sensors")
    expect_eq(get(dup[0], "source.bytes"), 620, "bytes not double-counted")
done()
