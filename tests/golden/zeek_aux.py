"""Zeek logs beyond conn and dns on real data: ssl/http names reach sessions' destination.domain,
the logs Outflow does not use are counted as read but not used (not as not understood), dhcp,
capture_loss and files are read (rita-zeek-testdata, slips-flow-samples)."""
import ipaddress
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403


def data_lines(path):
    with open(path) as f:
        return sum(1 for line in f if line.strip() and not line.startswith("#"))


def is_ip(s):
    try:
        ipaddress.ip_address(s)
        return True
    except ValueError:
        return False


d = need_datasets("rita-zeek-testdata", "test_data")

# proxy/: Bro/Zeek TSV of a proxied network, 17 logs.
proxy = os.path.join(d, "proxy")
p = run("coverage", "--json", proxy)
c = json.loads(p.stdout)
unused = {"dpd", "known_hosts", "known_services", "loaded_scripts", "packet_filter", "software", "stats",
          "tunnel", "weird", "x509"}
rbnu = c["read_but_not_used"]
expect_eq(rbnu["files"], len(unused), "proxy: Zeek logs read but not used")
expect_eq({k: v["lines"] for k, v in rbnu["logs"].items()},
          {k: data_lines(os.path.join(proxy, k + ".log")) for k in unused}, "proxy: lines per log read but not used")
expect_eq(c["not_understood"], [], "proxy: nothing not understood")
# dhcp.log here is Bro 2.5's (no host names): the only input that gave no record.
expect_eq([os.path.basename(x["file"]) for x in c["no_records"]], ["dhcp.log"], "proxy: inputs without a record")
expect_eq(c["overall"]["app_records"], len(tsv_rows(os.path.join(proxy, "ssl.log"))) +
          len(tsv_rows(os.path.join(proxy, "http.log"))), "proxy: ssl + http records (every ssl one has an SNI)")
expect_eq(c["overall"]["file_records"], len(tsv_rows(os.path.join(proxy, "files.log"))), "proxy: files.log records read")
loss_rows = tsv_rows(os.path.join(proxy, "capture_loss.log"))
expect_eq(c["overall"]["capture_loss_records"], len(loss_rows), "proxy: capture_loss records")
by_peer = {}
for r in loss_rows:
    by_peer.setdefault(r["peer"], []).append(float(r["percent_lost"]))
expect_eq({x["sensor"]: (x["intervals"], x["intervals_with_loss"], x["max_percent_lost"]) for x in c["capture_loss"]},
          {k: (len(v), sum(1 for x in v if x > 0), max(v)) for k, v in by_peer.items()}, "proxy: capture loss per sensor")
for peer, v in by_peer.items():
    if max(v) > 0:
        check(any(a.startswith(f"sensor {peer} lost up to") for a in c["anomalies"]), f"proxy: loss anomaly for {peer}: {c['anomalies']}")
check("read but not used: 10 Zeek logs (dpd 1, known_hosts 1, known_services 1, loaded_scripts 1, "
      "packet_filter 1, software 1, stats 1, tunnel 1, weird 1, x509 1)" in run("sessions", proxy).stderr,
      "proxy: one summary line on stderr")
text = run("coverage", proxy).stdout
check("READ BUT NOT USED (10 Zeek logs" in text and "not understood" not in text, "proxy: coverage text")

# Sessions named by their SNI (uid match), whatever dns.log says.
sni = {r["uid"]: r["server_name"] for r in tsv_rows(os.path.join(proxy, "ssl.log")) if r.get("server_name")}
rows = sessions("--all", proxy)
named = [s for s in rows if get(s, "outflow.session.uid") in sni]
expect_eq(len(named), len({r["uid"] for r in tsv_rows(os.path.join(proxy, "conn.log"))} & set(sni)), "proxy: sessions with an SNI")
check(len(named) > 100, f"proxy: many SNI sessions ({len(named)})")
bad = [(get(s, "outflow.session.uid"), get(s, "destination.domain"), sni[get(s, "outflow.session.uid")]) for s in named
       if get(s, "destination.domain") != sni[get(s, "outflow.session.uid")]]
expect_eq(bad[:5], [], "proxy: destination.domain is the SNI")

# open_conns/open: plain HTTP: Host names the session when there is no SNI.
web = os.path.join(d, "open_conns", "open")
hosts = {}
for log in ("http.log", "open_http.log"):
    for r in tsv_rows(os.path.join(web, log)):
        h = (r.get("host") or "").rsplit(":", 1)[0] if (r.get("host") or "").count(":") == 1 else r.get("host")
        if h and not is_ip(h) and r.get("method") != "CONNECT" and not (r.get("uri") or "").startswith("http"):
            hosts.setdefault(r["uid"], h)
snis = {}
for log in ("ssl.log", "open_ssl.log"):
    for r in tsv_rows(os.path.join(web, log)):
        if r.get("server_name"):
            snis.setdefault(r["uid"], r["server_name"])
rows = sessions("--all", web)
want = {u: snis.get(u, hosts.get(u)) for u in set(hosts) | set(snis)}
got = {get(s, "outflow.session.uid"): get(s, "destination.domain") for s in rows if get(s, "outflow.session.uid") in want}
check(len(got) >= 10, f"open_conns: sessions with ssl/http names: {len(got)}")
expect_eq({u: v for u, v in got.items() if v != want[u]}, {}, "open_conns: destination.domain is SNI, else Host")
check(any(u in hosts and u not in snis for u in got), "open_conns: some session named by its Host header only")

# The whole RITA folder: no Zeek log is "not understood" or "gave no record" any more, except
# a README, conn records cut from their headers (truncated/conn_top.log) and the old dhcp.log.
c = json.loads(run("coverage", "--json", d).stdout)
expect_eq(sorted(os.path.relpath(x["file"], d) for x in c["not_understood"]),
          ["missing_host/README", "truncated/conn_top.log"], "rita: not understood")
expect_eq(c["read_but_not_used"]["logs"].get("conn-summary", {}).get("files"),
          sum(1 for _, _, fs in os.walk(d) for f in fs if f.startswith("conn-summary.")), "rita: conn-summary reports")
check(all(x["file"].endswith("dhcp.log") for x in c["no_records"]), f"rita: no_records: {c['no_records'][:3]}")
expect_eq(c["bad_records"]["total"], 4, "rita: bad records (truncated/ 3, has_unknown_field/http.log 1)")
check(c["read_but_not_used"]["files"] > 400, f"rita: logs read but not used: {c['read_but_not_used']['files']}")

# missing_host/: three days of hourly logs of one sensor that lost packets now and then.
mh = os.path.join(d, "missing_host")
loss = [r for dp, _, fs in os.walk(mh) for f in fs if f.startswith("capture_loss.") for r in tsv_rows(os.path.join(dp, f))]
lossy = [r for r in loss if float(r["percent_lost"]) > 0 or int(r["gaps"]) > 0]
c = json.loads(run("coverage", "--json", mh).stdout)
expect_eq([(x["sensor"], x["intervals"], x["intervals_with_loss"], round(x["max_percent_lost"], 3), x["gaps"])
           for x in c["capture_loss"]],
          [("worker-eth0-1", len(loss), len(lossy), round(max(float(r["percent_lost"]) for r in loss), 3),
            sum(int(r["gaps"]) for r in loss))], "missing_host: capture loss")
check(len(lossy) > 50, f"missing_host: intervals with loss: {len(lossy)}")
check(any(a.startswith(f"sensor worker-eth0-1 lost up to 91.08% of packets ({len(lossy)} of {len(loss)} intervals")
          for a in c["anomalies"]), f"missing_host: loss anomaly: {c['anomalies']}")

# slips: JSON logs written without "_path" (x509, files, pe, notice, loaded_scripts...) and a
# dhcp.log with host names.
s9 = os.path.join(DATASETS, "slips-flow-samples", "dataset", "test9-mixed-zeek-dir")
if os.path.exists(s9):
    c = json.loads(run("coverage", "--json", s9).stdout)
    expect_eq(c["not_understood"], [], "slips test9: not understood")
    expect_eq(sorted(c["read_but_not_used"]["logs"]),
              ["arp", "loaded_scripts", "notice", "packet_filter", "pe", "smtp", "software", "x509"],
              "slips test9: logs read but not used")
    expect_eq(c["read_but_not_used"]["logs"]["x509"]["lines"], data_lines(os.path.join(s9, "x509.log")), "slips: x509 lines")
    expect_eq(c["overall"]["dhcp_leases"], data_lines(os.path.join(s9, "dhcp.log")), "slips test9: dhcp leases (all have host names)")
    rows = sessions("--all", s9)
    ssl9 = {}
    with open(os.path.join(s9, "ssl.log")) as f:
        for line in f:
            r = json.loads(line)
            if r.get("server_name"):
                ssl9.setdefault(r["uid"], r["server_name"])
    named = [s for s in rows if get(s, "outflow.session.uid") in ssl9]
    check(len(named) > 20, f"slips test9: sessions with SNI: {len(named)}")
    expect_eq([s for s in named if get(s, "destination.domain") != ssl9[get(s, "outflow.session.uid")]][:3], [],
              "slips test9: destination.domain is the SNI")
else:
    print("SKIPPED part: slips-flow-samples absent")
done()
