"""Zeek logs from RITA's test data: TSV and JSON, rotation, _node_name, open_conn, truncated files."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

d = need_datasets("rita-zeek-testdata", "test_data")
c = json.loads(run("coverage", "--json", d).stdout)
sensors = {s["name"]: s for s in c["sensors"]}
check("worker-eth0-1" in sensors, f"_node_name becomes the sensor: {list(sensors)}")
expect_eq(c["bad_records"]["total"], 4, "bad records (truncated/ and has_unknown_field/)")
check(all("truncated" in s["file"] or "has_unknown_field" in s["file"] for s in c["bad_records"]["samples"]),
      "bad records are the broken files'")
check(c["overall"]["sessions"] < c["overall"]["flow_records"], "open_conn snapshots and final records of one uid are one session")
check(any("no endpoint events" in m for m in c["missing"]), "coverage says endpoint events are missing")

rows = sessions("--all", os.path.join(d, "proxy_rolling", "conn.15:00:00-16:00:00.log"))
expect_eq(len(rows), 290, "one session per conn record")
check(all(get(s, "outflow.attribution.status") == "host_unknown" for s in rows), "no host events: host_unknown")
first = [s for s in rows if get(s, "outflow.session.uid") == "CgomWd4W1smXYZnVi3"]
if expect_eq(len(first), 1, "uid CgomWd4W1smXYZnVi3"):
    s = first[0]
    expect_eq((get(s, "source.ip"), get(s, "source.port"), get(s, "destination.ip"), get(s, "destination.port")),
              ("10.0.0.238", 38239, "75.75.75.75", 53), "5-tuple")
    expect_eq((get(s, "source.bytes"), get(s, "destination.bytes")), (191, 319), "bytes")
    expect_eq(get(s, "network.transport"), "udp", "transport")
done()
