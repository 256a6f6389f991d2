"""Issue 12: `outflow coverage` on flows alone says plainly which questions it can answer (host,
pair, volume, duration, beacons) and which it cannot (process, user, lineage), and what to add, in
text and JSON; with endpoint data on a share of the hosts, per share of hosts. On RITA's Zeek test
data (proxy_rolling: conn, dns, http, ssl, capture_loss) and on simulated organisations."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

FLOW_QUESTIONS = ["host", "pair", "volume", "duration", "beacons"]
ENDPOINT_QUESTIONS = ["process", "user", "lineage"]


def questions(*inputs):
    j = json.loads(run("coverage", "--json", *inputs).stdout)
    q = j["questions"]
    return q, {a["question"]: a for a in q["answers"]}


def check_flow_only(q, a, tag):
    check(q["hosts_with_endpoint_events"] == 0 and q["hosts_flow_only"] > 0, f"{tag}: hosts counted {q}")
    for k in FLOW_QUESTIONS:
        check(a[k]["answer"] == "yes" and a[k]["hosts_answered"] == q["hosts"], f"{tag}: {k} answerable: {a[k]}")
    for k in ENDPOINT_QUESTIONS:
        check(a[k]["answer"] == "no" and a[k]["hosts_answered"] == 0, f"{tag}: {k} not answerable: {a[k]}")
        check("Sysmon" in a[k]["to_add"], f"{tag}: {k} says what to add: {a[k]}")
    check("5156" in a["process"]["to_add"] and "4688" in a["lineage"]["to_add"], f"{tag}: Security events named")


rita = need_datasets("rita-zeek-testdata", "test_data", "proxy_rolling")
q, a = questions(rita)
# proxy_rolling's internal initiators (10.0.0.238 among them) start sessions to outside addresses.
check_flow_only(q, a, "proxy_rolling")
check("no names" not in a["pair"]["how"] and "SNI" in a["pair"]["how"], f"proxy_rolling: names from dns/ssl/http: {a['pair']}")
text = run("coverage", rita).stdout
check("QUESTIONS THIS TELEMETRY CAN ANSWER" in text, "text: the questions section")
for line in ("process  which process        no", "host     which host sent it   yes", "To answer the rest, add:",
             "Sysmon events 3", "name the host"):
    check(line in text, f"text: {line!r} in\n{text[text.find('QUESTIONS'):][:1500]}")
print(text[text.find("QUESTIONS"):text.find("MISSING")])

with tempfile.TemporaryDirectory() as t:
    org = os.path.join(t, "org")
    run("simulate", "-q", "--seed", "31", "--hosts", "12", "--days", "1", "--endpoint-share", "0", "--out", org)
    q, a = questions(os.path.join(org, "zeek"))
    check_flow_only(q, a, "simulated, flows only")
    expect_eq(q["hosts"], 12, "simulated flows-only: every host is seen starting sessions outside")
    half = os.path.join(t, "half")
    run("simulate", "-q", "--seed", "31", "--hosts", "12", "--days", "1", "--endpoint-share", "0.5", "--out", half)
    q, a = questions(os.path.join(half, "sysmon"), os.path.join(half, "zeek"))
    labels = json.loads(open(os.path.join(half, "labels.jsonl")).readline())["organisation"]
    monitored = len(labels["endpoint_hosts"])
    expect_eq(q["hosts_with_endpoint_events"], monitored, "half: hosts with endpoint events")
    expect_eq(q["hosts"], 12, "half: every host counted once")
    for k in FLOW_QUESTIONS:
        check(a[k]["answer"] == "yes", f"half: {k}: {a[k]}")
    for k in ENDPOINT_QUESTIONS:
        check(a[k]["answer"] == "partly" and a[k]["hosts_answered"] == monitored, f"half: {k} for the monitored share: {a[k]}")
        check(abs(a[k]["share"] - monitored / 12) < 1e-9, f"half: {k} share")
done()
