"""Issue 13's check of the join through a proxy on simulated data: one small organisation (a seed no
other test uses), simulated without and with `--proxy` (web traffic through 10.1.0.3:3128; the sensor
sees client -> proxy with http.log CONNECTs; Squid's access.log; the perimeter firewall's PAN-OS log of
the proxy's connections out and of everything else crossing it; one workstation bypassing the proxy).
Hunted on everything each network records, the proxied organisation's recall and false findings per
100 host-days stay within 0.05 / 0.5 of the plain one's, and no finding names the proxy as its
destination. No dataset needed."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

SEED, HOSTS, DAYS = "2713", "8", "2"
PROXY = "10.1.0.3"


def hunt_and_eval(t, name, org, inputs, config=None):
    args = ["hunt", "-q", "--format", "json"] + (["--config", config] if config else []) + inputs
    p = run(*args, expect_rc=1)
    findings = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    path = os.path.join(t, f"findings-{name}.jsonl")
    with open(path, "w") as f:
        f.write(p.stdout)
    e = run("eval", "--json", "--labels", os.path.join(org, "labels.jsonl"), path)
    return findings, json.loads(e.stdout)


def destinations(finding):
    """Every destination object a finding names: destination, and outflow.destinations[]."""
    out = [finding.get("destination") or {}]
    out += get(finding, "outflow.destinations", []) or []
    return out


with tempfile.TemporaryDirectory() as t:
    plain, proxied = os.path.join(t, "plain"), os.path.join(t, "proxied")
    common = ["simulate", "-q", "--seed", SEED, "--hosts", HOSTS, "--days", DAYS, "--formats", "sysmon,zeek"]
    run(*common, "--out", plain)
    run(*common, "--out", proxied, "--proxy", "--proxy-bypass", "1")

    # What the proxied network recorded: the labels are the plain organisation's (same attacks,
    # same hosts, same real destinations), plus the proxy and the bypassing host.
    with open(os.path.join(plain, "labels.jsonl")) as f:
        plain_labels = [json.loads(line) for line in f]
    with open(os.path.join(proxied, "labels.jsonl")) as f:
        proxied_labels = [json.loads(line) for line in f]
    org = proxied_labels[0]["organisation"]
    expect_eq(org.get("proxy"), PROXY + ":3128", "labels.jsonl names the proxy")
    expect_eq(len(org.get("proxy_bypass", [])), 1, "one bypassing workstation")
    strip = lambda ls: [{k: v for k, v in ls[0]["organisation"].items() if k not in ("proxy", "proxy_bypass")}] + ls[1:]
    expect_eq(strip(proxied_labels)[1:], plain_labels[1:], "the scenarios' labels are the same with the proxy")
    with open(os.path.join(proxied, "outflow.yaml")) as f:
        check(f'"{PROXY}:3128"' in f.read(), "outflow.yaml lists the proxy")
    bypass_ip = next(h["ip"] for h in org["host_list"] if h["name"] == org["proxy_bypass"][0])
    fw_sources = {}
    with open(os.path.join(proxied, "firewall", "panos.log")) as f:
        for line in f:
            csv = line[line.index(" 1,") + 1:].split(",")
            if csv[25] in ("80", "443"):
                fw_sources[csv[7]] = fw_sources.get(csv[7], 0) + 1
    check(fw_sources.get(PROXY, 0) > 100, f"the proxy's connections out are in the firewall log: {fw_sources}")
    check(set(fw_sources) <= {PROXY, bypass_ip}, f"only the proxy and the bypassing host reach the web directly: {fw_sources}")
    conn = tsv_rows(os.path.join(proxied, "zeek", "conn.log"))
    http = tsv_rows(os.path.join(proxied, "zeek", "http.log"))
    to_proxy = {r["uid"] for r in conn if r["id.resp_h"] == PROXY and r["id.resp_p"] == "3128"}
    connects = [r for r in http if r["method"] == "CONNECT"]
    check(len(connects) > 100 and all(r["uid"] in to_proxy for r in connects),
          f"http.log CONNECTs ({len(connects)}) ride conn.log connections to the proxy")
    check(not any(r["id.resp_p"] in ("80", "443") and r["id.orig_h"] not in (bypass_ip,) and
                  not r["id.resp_h"].startswith("10.") for r in conn),
          "no proxied host's web connection goes straight out in conn.log")
    with open(os.path.join(proxied, "proxy", "access.log")) as f:
        squid = f.read().splitlines()
    check(len(squid) == len(http) and all(" TCP_TUNNEL/200 " in l or " CONNECT " not in l for l in squid[:50]),
          f"one Squid line per proxied request ({len(squid)} vs {len(http)})")

    f_plain, e_plain = hunt_and_eval(t, "plain", plain, [os.path.join(plain, "sysmon"), os.path.join(plain, "zeek")])
    f_proxy, e_proxy = hunt_and_eval(
        t, "proxied", proxied,
        [os.path.join(proxied, d) for d in ("sysmon", "zeek", "proxy", "firewall")],
        config=os.path.join(proxied, "outflow.yaml"))

    for name, e in (("plain", e_plain), ("proxied", e_proxy)):
        print(f"{name}: findings {e['findings']}, recall {e['recall']:.3f}, "
              f"false/100 host-days {e['false_per_100_host_days']:.2f}, "
              + ", ".join(f"{k} {v['recall']:.2f}" for k, v in sorted(e["scenarios"].items())))
    check(abs(e_proxy["recall"] - e_plain["recall"]) <= 0.05,
          f"recall with the proxy {e_proxy['recall']:.3f} vs {e_plain['recall']:.3f}")
    check(abs(e_proxy["false_per_100_host_days"] - e_plain["false_per_100_host_days"]) <= 0.5,
          f"false findings per 100 host-days with the proxy {e_proxy['false_per_100_host_days']:.2f} "
          f"vs {e_plain['false_per_100_host_days']:.2f}")

    # The proxy is never a destination; the proxied sessions name the host behind it.
    via = 0
    for f in f_proxy:
        for d in destinations(f):
            check(d.get("ip") != PROXY, f"finding {f.get('outflow', {}).get('finding_id')} names the proxy: {d}")
            via += d.get("via_proxy") == PROXY
        check(get(f, "host.ip") != PROXY and get(f, "host.name") != PROXY, f"the proxy is a finding's host: {f.get('host')}")
    check(via > 0, "some finding's destination was reached through the proxy (via_proxy)")
done()
