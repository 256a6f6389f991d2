"""outflow simulate read back by the real readers: a tiny organisation (6 hosts, 1 day, every
scenario) through coverage and sessions, with Zeek and with NetFlow. Needs no datasets."""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

tmp = tempfile.mkdtemp(prefix="outflow-sim-")
try:
    out = os.path.join(tmp, "org")
    run("simulate", "--seed", "3", "--hosts", "6", "--days", "1", "--out", out, "-q")
    lines = [json.loads(l) for l in open(os.path.join(out, "labels.jsonl"))]
    org = lines[0]["organisation"]
    labels = lines[1:]
    expect_eq(org["hosts"], 6, "labels: organisation line")
    expect_eq(sorted(l["scenario"] for l in labels),
              sorted(["rclone_cloud_upload", "macro_powershell_post", "sqlservr_curl_dump", "proxyware", "dns_tunnel",
                      "low_and_slow", "masquerade_svchost", "scanner_fanout"]), "every scenario planted and labelled")
    hosts = {h["name"]: h for h in org["host_list"]}
    check(any(abs(h["clock_offset_ms"]) >= 3_000_000 for h in hosts.values()), "a host hours off")
    check({h["sysmon_shape"] for h in hosts.values()} == {"flat", "ecs"}, "both Sysmon shapes")

    for sensor in ("zeek", "netflow"):
        c = json.loads(run("coverage", "--json", os.path.join(out, "sysmon"), os.path.join(out, sensor)).stdout)
        expect_eq(c["bad_records"]["total"], 0, f"{sensor}: malformed records")
        check(not c["not_understood"], f"{sensor}: inputs not understood: {c['not_understood']}")
        seen = {h["name"].split(".")[0]: h for h in c["hosts"]}
        expect_eq(sorted(seen), sorted(hosts), f"{sensor}: every host has events")
        for name, h in hosts.items():
            got = seen.get(name, {}).get("clock_offset", {})
            want = h["clock_offset_ms"]
            tol = 2_000  # NetFlow too: each connection gives one sample, from its first record
            check(got.get("known") and abs(got.get("host_minus_sensor_ms", 1e12) - want) <= tol,
                  f"{sensor}: {name} clock offset {got.get('host_minus_sensor_ms')} ms, simulated {want} ms")
        check(c["overall"]["sessions_attributed_pct"] >= 95,
              f"{sensor}: attributed {c['overall']['sessions_attributed_pct']}% of sessions")

    rows = sessions(os.path.join(out, "sysmon"), os.path.join(out, "zeek"))
    for l in labels:
        guids = {g.lower() for g in l["process_guids"]}
        dests = set(l["destinations"])
        mine = [s for s in rows if (get(s, "host.name") or "").split(".")[0] == l["host"]
                and (get(s, "destination.ip") in dests or get(s, "destination.domain") in dests)]
        check(mine, f"{l['scenario']}: sessions from {l['host']} to its destinations")
        owned = [s for s in mine if (get(s, "process.entity_id") or "").lower() in guids]
        total = sum(get(s, "source.bytes", 0) + get(s, "destination.bytes", 0) for s in mine)
        ours = sum(get(s, "source.bytes", 0) + get(s, "destination.bytes", 0) for s in owned)
        check(total and ours / total >= 0.95,
              f"{l['scenario']}: {ours} of {total} bytes attributed to the labelled processes")

    # Sensor faults: a host's Sysmon 3 five days behind, a host whose outgoing packets Zeek misses.
    out = os.path.join(tmp, "faults")
    run("simulate", "--seed", "3", "--hosts", "6", "--days", "1", "--out", out, "-q",
        "--clock-skew-events", "3:-5d", "--sensor-drops-outgoing", "1")
    faults = json.loads(open(os.path.join(out, "labels.jsonl")).readline())["organisation"]["faults"]
    skewed = faults["clock_skew_events"][0]["hosts"]
    expect_eq(len(skewed), 1, "one host with Sysmon 3 skewed")
    expect_eq(len(faults["sensor_drops_outgoing"]), 1, "one host whose outgoing packets are lost")
    c = json.loads(run("coverage", "--json", os.path.join(out, "sysmon"), os.path.join(out, "zeek")).stdout)
    check(c["sensors"][0]["one_sided"] > 0 and any("no originator packets" in a for a in c["anomalies"]),
          f"coverage names the one-sided sensor: {c['sensors']} {c['anomalies']}")
    first = {h["name"].split(".")[0]: h["first"] for h in c["hosts"]}
    check(first[skewed[0]].startswith("2025-12-31"), f"{skewed[0]}'s Sysmon 3 five days early: {first[skewed[0]]}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
done()
