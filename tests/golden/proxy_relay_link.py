"""Issue 13: the proxy -> Internet leg (the perimeter firewall's PAN-OS rows of the proxy's own
connections out) linked to its client leg's session (join/relay_link.h). On a simulated
organisation behind a proxy (a seed no other test uses), once with the sensor in front of the proxy
(Zeek conn + http CONNECTs: the client legs are Zeek's) and once without it (the client legs are
Squid's records, whose native format logs no upload size): most relayed rows are linked; every
relayed row is accounted for once (linked, or not and why); a linked session's outer-leg address is
one Squid logged for the host the request named (HIER_DIRECT/<address>); Squid sessions get their
unknown bytes out from the outer leg; no finding names the proxy. No dataset needed."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

SEED, HOSTS, DAYS = "6047", "8", "2"
PROXY = "10.1.0.3"
REASONS = ("linked", "no_candidate", "ambiguous", "overflow", "interim", "held")


def squid_peers(org):
    """host -> addresses Squid logged going to it directly (the simulator's truth)."""
    peers = {}
    with open(os.path.join(org, "proxy", "access.log")) as f:
        for line in f:
            p = line.split()
            if len(p) < 10 or not p[8].startswith("HIER_DIRECT/"):
                continue
            target = p[6]
            host = target.split("//", 1)[1].split("/", 1)[0] if "//" in target else target.rsplit(":", 1)[0]
            peers.setdefault(host, set()).add(p[8].split("/", 1)[1])
    return peers


def panos_relayed(org):
    n = 0
    with open(os.path.join(org, "firewall", "panos.log")) as f:
        for line in f:
            csv = line[line.index(" 1,") + 1:].split(",")
            n += csv[7] == PROXY
    return n


def links(t, org, inputs):
    cov = json.loads(run("coverage", "--json", "--config", os.path.join(org, "outflow.yaml"), *inputs).stdout)
    relayed, rl = cov["proxy_relayed_flow_records"], cov["proxy_relayed_links"]
    expect_eq(relayed, panos_relayed(org), "relayed flow records = the firewall's rows from the proxy")
    expect_eq(sum(rl[k] for k in REASONS), relayed, f"every relayed row accounted for once: {rl}")
    expect_eq(rl["sessions_linked"], rl["linked"], "one session per linked row, one row per linked session")
    check(rl["linked"] >= 0.9 * relayed, f"most relayed rows linked: {rl['linked']} of {relayed} ({rl})")
    return cov, rl


def check_findings(findings, peers):
    from_leg = 0
    for f in findings:
        for d in [f.get("destination") or {}] + (get(f, "outflow.destinations", []) or []):
            check(d.get("ip") != PROXY, f"a finding names the proxy: {d}")
            if d.get("ip_source") == "proxy_outer_leg":
                from_leg += 1
                check(d.get("via_proxy") == PROXY, f"an outer-leg address on a destination not through the proxy: {d}")
                check(d.get("ip") in peers.get(d.get("domain"), ()),
                      f"{d.get('domain')}: outer-leg address {d.get('ip')} is not one Squid logged {peers.get(d.get('domain'))}")
        check(get(f, "host.ip") != PROXY, f"the proxy is a finding's host: {f.get('host')}")
    return from_leg


with tempfile.TemporaryDirectory() as t:
    # 1. The sensor in front of the proxy: Zeek's client legs, named by http.log.
    org = os.path.join(t, "zeek")
    run("simulate", "-q", "--seed", SEED, "--hosts", HOSTS, "--days", DAYS, "--formats", "sysmon,zeek", "--out", org,
        "--proxy", "--proxy-bypass", "1")
    peers = squid_peers(org)
    inputs = [os.path.join(org, d) for d in ("sysmon", "zeek", "proxy", "firewall")]
    cov, rl = links(t, org, inputs)
    print(f"zeek client legs: {cov['proxy_relayed_flow_records']} relayed rows, {rl}")
    host_of = {r["uid"]: r["host"] for r in tsv_rows(os.path.join(org, "zeek", "http.log")) if r.get("uid")}
    linked = right = 0
    for s in sessions(*inputs):
        leg = get(s, "outflow.proxy_outer_leg")
        if not leg:
            continue
        linked += 1
        uid = get(s, "outflow.session.uid")
        host = host_of.get(uid)
        right += host is not None and leg["destination_ip"] in peers.get(host, ())
        check(get(s, "destination.ip") == PROXY, f"a linked session is still its client leg: {s.get('destination')}")
        check(not leg.get("source_bytes_from_outer_leg"), f"Zeek's bytes out were known, yet filled: {uid}")
    check(linked >= 0.9 * len(host_of), f"sessions with an outer leg: {linked} of {len(host_of)} proxied requests")
    expect_eq(right, linked, "linked sessions whose outer-leg address Squid logged for the host their CONNECT named")
    p = run("hunt", "-q", "--format", "json", "--config", os.path.join(org, "outflow.yaml"), *inputs, expect_rc=1)
    findings = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    check(check_findings(findings, peers) > 0, "some finding's destination has its address from the proxy's outer leg")

    # 2. No sensor in front of the proxy: Squid's records are the sessions (no upload size).
    org = os.path.join(t, "squid")
    run("simulate", "-q", "--seed", SEED, "--hosts", HOSTS, "--days", DAYS, "--formats", "sysmon", "--out", org, "--proxy")
    peers = squid_peers(org)
    inputs = [os.path.join(org, d) for d in ("sysmon", "proxy", "firewall")]
    cov, rl = links(t, org, inputs)
    print(f"squid client legs: {cov['proxy_relayed_flow_records']} relayed rows, {rl}, squid {cov['squid']}")
    check(rl["sessions_bytes_filled"] >= 0.9 * rl["sessions_linked"],
          f"linked Squid sessions with their bytes out from the outer leg: {rl['sessions_bytes_filled']} of {rl['sessions_linked']}")
    p = run("hunt", "-q", "--format", "json", "--config", os.path.join(org, "outflow.yaml"), *inputs, expect_rc=None)
    findings = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    check_findings(findings, peers)
done()
