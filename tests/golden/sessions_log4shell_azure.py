"""Azure Log Analytics rows (Sysmon EventData as JSON string, Security as XML) + NetFlow:
tomcat9.exe (LOCAL SERVICE) spawns powershell.exe, which connects out."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

d = need_datasets("otrf-log4shell")
rows = sessions(os.path.join(d, "sysmon_log4shell_cve2021_44228_java_serialized_object_2022-05-13045800.json"),
                os.path.join(d, "securityauditing_log4shell_cve2021_44228_java_serialized_object_2022-05-13045400.json"),
                os.path.join(d, "pcap_log4shell_cve2021_44228_java_serialized_2022-05-13045800.pcapng.nfdump.csv"))
ps = [s for s in rows if get(s, "process.name") == "powershell.exe"]
if expect_eq(len(ps), 1, "powershell sessions"):
    s = ps[0]
    expect_eq(get(s, "user.name"), "LOCAL SERVICE", "user.name")
    expect_eq([p.split("\\")[-1] for p in get(s, "outflow.lineage")], ["tomcat9.exe", "powershell.exe"], "lineage")
    expect_eq(get(s, "destination.ip"), "192.168.3.5", "destination.ip")
    expect_eq(get(s, "destination.port"), 443, "destination.port")
    expect_eq(get(s, "network.direction"), "outbound", "direction")
    check(get(s, "destination.bytes") > 50000, "the reverse shell received a payload")
inbound = [s for s in rows if get(s, "process.name") == "tomcat9.exe" and get(s, "source.port") == 8080]
if expect_eq(len(inbound), 1, "the exploit's inbound connection to tomcat"):
    expect_eq(get(inbound[0], "network.direction"), "inbound", "direction of the exploit connection")

cov = run("coverage", "--json", d)
import json  # noqa: E402
c = json.loads(cov.stdout)
hosts = {h["name"]: h for h in c["hosts"]}
check("WORKSTATION5" in hosts, "coverage lists WORKSTATION5")
check(hosts.get("WORKSTATION5", {}).get("events", {}).get("5156", 0) > 0, "Azure XML 5156 events counted")
nu = {os.path.basename(x["file"]) for x in c["not_understood"]}
expect_eq(nu, {"syslog_auoms_auditd_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json",
               "syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json",
               "vminsights_vmconnection_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json"},
          "non-Windows JSON files are reported as not understood")
expect_eq(c["bad_records"]["total"], 0, "and are not counted as malformed records")
tf = hosts.get("WORKSTATION5", {}).get("time_fields", {})
check(tf.get("UtcTime", 0) > 0 and tf.get("TimeGenerated", 0) > 0, f"Sysmon times from UtcTime, Security from TimeGenerated: {tf}")
done()
