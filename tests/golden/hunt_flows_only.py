"""Issue 12: hunting on flows alone. A simulated organisation with no endpoint telemetry at all
(--endpoint-share 0), hunted on its Zeek conn.log only, must still find most scenarios, as host
findings (outflow.entity "host", host.ip), with few false findings; with half the hosts monitored
(--endpoint-share 0.5, Sysmon + Zeek) every scenario must be found. Prints recall per scenario."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

MIN_RECALL = 0.9          # flows alone, over all scenario instances (reached: 1.0, all 7 found)
# False findings per 100 host-days (the goal: 2; reached: 0, in 24 host-days). BACKUP-01's 45 GB
# a night to its Azure blob was the one false finding (4.17) until flow-only hosts had baselines
# of their own days: the same upload both nights, in the same hours, to the same place, is that
# host's routine (factor host_routine).
MAX_FALSE_PER_100 = 2.0


def hunt_and_eval(t, org, inputs, tag):
    p = run("hunt", "-q", "--format", "json", *inputs, expect_rc=None)
    check(p.returncode in (0, 1), f"{tag}: hunt exit {p.returncode}: {p.stderr[-2000:]}")
    findings = os.path.join(t, f"findings-{tag}.jsonl")
    with open(findings, "w") as f:
        f.write(p.stdout)
    rows = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    e = run("eval", "--json", "--labels", os.path.join(org, "labels.jsonl"), findings)
    return rows, json.loads(e.stdout)


def table(r, tag):
    print(f"{tag}: recall {r['recall']:.2f}, precision {r.get('precision') or 0:.2f}, "
          f"false findings per 100 host-days {r['false_per_100_host_days']:.2f}")
    print(f"  {'scenario':<24} {'recall':>6}")
    for name, s in sorted(r["scenarios"].items()):
        print(f"  {name:<24} {s['recall']:>6.2f}")


with tempfile.TemporaryDirectory() as t:
    org = os.path.join(t, "flows-only")
    run("simulate", "-q", "--seed", "31", "--hosts", "12", "--days", "2", "--endpoint-share", "0", "--out", org)
    rows, r = hunt_and_eval(t, org, [os.path.join(org, "zeek")], "share0")
    table(r, "endpoint-share 0 (zeek only)")
    check(len(r["scenarios"]) > 0, "share 0: scenarios labelled")
    check(rows and all(get(x, "outflow.entity") == "host" for x in rows), "share 0: every finding is a host finding")
    check(all(get(x, "host.ip") and get(x, "process.entity_id") is None for x in rows),
          "share 0: host findings carry host.ip and no process")
    check(r["recall"] >= MIN_RECALL, f"share 0: recall {r['recall']:.2f} < {MIN_RECALL}")
    check(r["false_per_100_host_days"] <= MAX_FALSE_PER_100,
          f"share 0: {r['false_per_100_host_days']:.2f} false findings per 100 host-days (max {MAX_FALSE_PER_100})")

    # The backup server (10.1.0.11 by the labels' host list) is routine; the scan names what it probed.
    hosts = {h["name"]: h["ip"] for h in json.loads(open(os.path.join(org, "labels.jsonl")).readline())["organisation"]["host_list"]}
    every = [json.loads(x) for x in run("hunt", "-q", "--format", "json", "--min-score", "0", os.path.join(org, "zeek"),
                                        expect_rc=None).stdout.splitlines() if x.strip()]
    backup = [x for x in every if get(x, "host.ip") == hosts["BACKUP-01"]]
    check(len(backup) == 1, "share 0: one host finding for BACKUP-01")
    names = [f["name"] for f in get(backup[0], "outflow.factors")]
    check("host_routine" in names and backup[0]["event"]["risk_score"] < 40, f"share 0: BACKUP-01 routine: {names}")
    scans = [x for x in every if "scan_pattern" in [f["name"] for f in get(x, "outflow.factors")]]
    check(scans and any(d.get("evidence") == "scan_pattern" for d in get(scans[0], "outflow.destinations")),
          "share 0: the scanning host names probed addresses as evidence")

    # `outflow sessions` on flows alone prints them (host_unknown); --attributed-only hides them.
    zeek = os.path.join(org, "zeek")
    s = sessions(zeek)
    check(len(s) > 1000, f"sessions on flows alone: {len(s)} printed by default")
    check(all(get(x, "outflow.attribution.status") == "host_unknown" for x in s), "flows alone: every session host_unknown")
    expect_eq(len(sessions("--all", zeek)), len(s), "--all is a no-op")
    expect_eq(len(sessions("--attributed-only", zeek)), 0, "--attributed-only on flows alone")
    # Explain names the host by address and says what telemetry would name the process.
    ex = run("hunt", "-q", "--explain", "1", zeek, expect_rc=None).stdout
    check("no monitored host has this address" in ex and "Sysmon 3" in ex and "role " not in ex, f"explain: {ex[:400]!r}")

    half = os.path.join(t, "half")
    run("simulate", "-q", "--seed", "31", "--hosts", "12", "--days", "2", "--endpoint-share", "0.5", "--out", half)
    rows, r = hunt_and_eval(t, half, [os.path.join(half, "sysmon"), os.path.join(half, "zeek")], "share05")
    table(r, "endpoint-share 0.5 (sysmon + zeek)")
    check(len(r["scenarios"]) > 0, "share 0.5: scenarios labelled")
    for name, s in sorted(r["scenarios"].items()):
        check(s["recall"] == 1, f"share 0.5: scenario {name} not found (recall {s['recall']})")
    kinds = {get(x, "outflow.entity") for x in rows}
    check(kinds == {"host", "process"}, f"share 0.5: both process and host findings ({kinds})")
done()
