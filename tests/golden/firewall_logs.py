"""Firewall and proxy logs through the CLI (parser-oracles sample logs): `outflow sessions` on
PAN-OS, FortiGate and pfirewall.log gives sessions (denied connections none, start/end logs of
one session one), pfirewall.log sessions have unknown volume, a Squid log is read and not
reported as not understood, and a Sysmon 3 event with a firewall row's pre-NAT 5-tuple is
matched to it."""
import os
import tempfile

from golden_util import check, done, expect_eq, get, need_datasets, run, sessions

D = need_datasets("parser-oracles")

# PAN-OS 8.x sample: 22 traffic rows, 2 of them drop/deny: 20 sessions, every one from the
# firewall, with both directions' bytes.
s = sessions(os.path.join(D, "panos", "test-panw-panos-traffic-sample.log"))
expect_eq(len(s), 20, "PAN-OS sessions")
check(all(get(x, "outflow.session.source") == "panos" for x in s), "every PAN-OS session says its source")
first = [x for x in s if get(x, "source.port") == 55113]
if expect_eq(len(first), 1, "the apple-maps session"):
    x = first[0]
    expect_eq((get(x, "source.ip"), get(x, "destination.ip"), get(x, "destination.port")),
              ("192.168.15.207", "184.51.253.152", 443), "its pre-NAT 5-tuple")
    expect_eq((get(x, "source.bytes"), get(x, "destination.bytes")), (1758, 5976), "its bytes each way")
    expect_eq(get(x, "event.duration"), 586 * 10**9, "its duration (elapsed)")

# FortiGate: 9 traffic rows, 5 denied or failed, 3 interim "accept" and one "close": 4 sessions.
p = run("sessions", os.path.join(D, "fortigate", "test-fortinet.log"))
expect_eq(len(p.stdout.splitlines()), 4, "FortiGate sessions")
check("5 flow records are connections a firewall denied or dropped" in p.stderr, f"denied count said: {p.stderr!r}")

# pfirewall.log (XP era): 2 OPEN rows are sessions, 9 DROP rows none; no byte count: unknown.
s = sessions(os.path.join(D, "winfw", "windows_firewall.log"))
expect_eq(len(s), 2, "pfirewall.log sessions")
for x in s:
    expect_eq(get(x, "outflow.volume_unknown.direction"), "both", "pfirewall.log volume")
    check(get(x, "source.bytes") is None, "no bytes where the log has none (unknown, not 0)")

# Squid: read, counted, not "not understood" (named on the command line: exit 0).
p = run("sessions", os.path.join(D, "squid", "test-access.log"))
check("not understood" not in p.stderr and "no records" not in p.stderr, f"Squid log understood: {p.stderr!r}")
check("100 web proxy requests read" in p.stderr, f"Squid requests counted: {p.stderr!r}")

# The pre-NAT 5-tuple joins: a Sysmon 3 of the PAN-OS row's connection is matched to it.
with tempfile.TemporaryDirectory() as tmp:
    host = os.path.join(tmp, "ws.jsonl")
    with open(host, "w") as f:
        f.write('{"EventID":1,"SourceName":"Microsoft-Windows-Sysmon","Hostname":"ws7","UtcTime":"2018-11-30 15:58:00.000",'
                '"ProcessGuid":"{A}","ProcessId":"42","Image":"C:\\\\Apps\\\\maps.exe","CommandLine":"maps.exe",'
                '"User":"CORP\\\\dana","ParentProcessGuid":"{P}","ParentProcessId":"1","ParentImage":"C:\\\\Windows\\\\explorer.exe"}\n')
        f.write('{"EventID":3,"SourceName":"Microsoft-Windows-Sysmon","Hostname":"ws7","UtcTime":"2018-11-30 15:59:04.100",'
                '"ProcessGuid":"{A}","ProcessId":"42","Image":"C:\\\\Apps\\\\maps.exe","User":"CORP\\\\dana","Protocol":"tcp",'
                '"Initiated":"true","SourceIp":"192.168.15.207","SourcePort":"55113","DestinationIp":"184.51.253.152",'
                '"DestinationPort":"443"}\n')
    s = sessions(host, os.path.join(D, "panos", "test-panw-panos-traffic-sample.log"))
    m = [x for x in s if get(x, "source.port") == 55113]
    if expect_eq(len(m), 1, "the joined session"):
        expect_eq(get(m[0], "outflow.attribution.status"), "matched", "attribution through the pre-NAT 5-tuple")
        expect_eq(get(m[0], "process.executable"), "C:\\Apps\\maps.exe", "the process")

done()
