"""AN0080 on the OTRF log4shell recording: tomcat9.exe (LOCAL SERVICE) spawns powershell.exe,
which connects out. That chain must be a finding whose factors name the service context and the
child; the JSON is ECS with the rule and technique fields; --explain shows the playbook view."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

d = need_datasets("otrf-log4shell")
p = run("hunt", "--format", "json", d, expect_rc=1)  # 1 = findings
findings = [json.loads(line) for line in p.stdout.splitlines()]
ps = [f for f in findings if get(f, "process.name") == "powershell.exe"]
if expect_eq(len(ps), 1, "one finding for the reverse shell"):
    f = ps[0]
    expect_eq(get(f, "event.kind"), "alert", "event.kind")
    expect_eq(get(f, "rule.id"), "AN0080", "rule.id")
    expect_eq(get(f, "host.name"), "WORKSTATION5", "host.name")
    expect_eq(get(f, "user.name"), "LOCAL SERVICE", "user.name")
    expect_eq(get(f, "outflow.rank"), 1, "rank")
    check(get(f, "risk.score") >= 40, f"risk.score {get(f, 'risk.score')} reaches the default min_score")
    check("T1496.002" in get(f, "threat.technique.id", []), "T1496.002 always")
    expect_eq(get(f, "destination.ip"), "192.168.3.5", "destination.ip")
    expect_eq([x.split("\\")[-1] for x in get(f, "outflow.lineage")], ["tomcat9.exe", "powershell.exe"], "lineage")
    factors = {x["name"]: x for x in get(f, "outflow.factors", [])}
    check("service_context" in factors and "LOCAL SERVICE" in factors["service_context"]["observed"],
          f"a factor names the service context: {list(factors)}")
    check("suspicious_lineage" in factors and factors["suspicious_lineage"]["observed"] == "tomcat9.exe -> powershell.exe",
          f"a factor names the child of the server: {factors.get('suspicious_lineage')}")
    for x in factors.values():
        check(set(x) >= {"name", "observed", "contribution"}, f"factor fields: {x}")
    expect_eq(get(f, "source.bytes"), 2847, "bytes the host sent")
    expect_eq(get(f, "destination.bytes"), 57662, "bytes received")

ex = run("hunt", "--explain", "1", d, expect_rc=1)
for needle in ["tomcat9.exe", "powershell.exe", "LOCAL SERVICE", "suspicious_lineage", "Was this transfer authorised?", "192.168.3.5:443"]:
    check(needle in ex.stdout, f"--explain shows {needle!r}")

alias = run("explain", "1", d, expect_rc=0)
expect_eq(alias.stdout, ex.stdout, "outflow explain 1 is hunt --explain 1")
run("explain", "9", d, expect_rc=2)  # no such finding

table = run("hunt", d, expect_rc=1)
check(table.stdout.startswith("RANK SCORE"), "the table has a header")
check("powershell.exe" in table.stdout.splitlines()[1], "powershell ranks first in the table")

nothing = run("hunt", "--min-score", "100", d, expect_rc=0)  # no finding: exit 0
expect_eq(len(nothing.stdout.splitlines()), 1, "only the header when nothing reaches the score")
done()
