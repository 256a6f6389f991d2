"""Bad flags and files: one precise message, exit 2. No dataset needed."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

p = run("sessions", "/nonexistent/file.json", expect_rc=2)
check("/nonexistent/file.json" in p.stderr and p.stderr.count("\n") == 1, f"missing file message: {p.stderr!r}")
p = run("sessions", "--window", "abc", "x", expect_rc=2)
check("--window" in p.stderr, f"bad flag value message: {p.stderr!r}")
p = run("bogus", expect_rc=2)
p = run(expect_rc=2)
with tempfile.TemporaryDirectory() as t:
    junk = os.path.join(t, "junk.bin")
    with open(junk, "wb") as f:
        f.write(b"\x00\x01\x02binary garbage" * 100)
    p = run("sessions", junk, expect_rc=2)
    check("format not recognised" in p.stderr, f"unknown format message: {p.stderr!r}")
    # Truncated zstd: what was decoded is used, the error is precise.
    good = os.path.join(t, "e.json")
    with open(good, "w") as f:
        f.write('{"EventID":3,"Hostname":"h","UtcTime":"2020-01-01 00:00:00","ProcessGuid":"{g}",'
                '"SourceIp":"10.0.0.1","DestinationIp":"10.0.0.2","SourcePort":"1","DestinationPort":"2","Protocol":"tcp"}\n' * 2000)
    subprocess.run(["zstd", "-q", "-f", good, "-o", good + ".zst"], check=True)
    data = open(good + ".zst", "rb").read()
    with open(good + ".cut.zst", "wb") as f:
        f.write(data[: len(data) // 2])
    p = run("coverage", good + ".cut.zst", expect_rc=2)
    check("truncated zstd" in p.stderr, f"truncated zstd message: {p.stderr!r}")
    subprocess.run(["gzip", "-q", "-k", "-f", good], check=True)
    gz = open(good + ".gz", "rb").read()
    with open(good + ".cut.gz", "wb") as f:
        f.write(gz[: len(gz) // 2])
    p = run("coverage", good + ".cut.gz", expect_rc=2)
    check("truncated gzip" in p.stderr, f"truncated gzip message: {p.stderr!r}")
    # A bad line in the middle is counted, the rest is read.
    mixed = os.path.join(t, "mixed.json")
    with open(mixed, "w") as f:
        f.write(open(good).read()[:2000].rsplit("\n", 1)[0] + "\n{broken\n" + open(good).read()[:2000].rsplit("\n", 1)[0] + "\n")
    p = run("coverage", "--json", mixed, expect_rc=0)
    import json  # noqa: E402
    c = json.loads(p.stdout)
    expect_eq(c["bad_records"]["total"], 1, "one bad line counted")
    check(c["bad_records"]["samples"][0]["line"] > 1, "bad line has its line number")
    # The text report: the anomaly list's last line ends in a newline like the others.
    p = run("coverage", mixed, expect_rc=0)
    anomalies = p.stdout.split("\nANOMALIES\n", 1)[-1].split("\n\n", 1)[0]
    check(anomalies.startswith("  - ") and "malformed records skipped" in anomalies.splitlines()[-1],
          f"anomalies listed: {anomalies!r}")
    check(f"\nANOMALIES\n{anomalies}\n\nBAD RECORDS\n" in p.stdout and p.stdout.endswith("\n"),
          f"every anomaly line, the last too, ends in a newline: {p.stdout[-600:]!r}")
    # simulate and eval.
    p = run("simulate", "--out", os.path.join(t, "o"), "--scenarios", "rclone,bogus", expect_rc=2)
    check("unknown scenario 'rclone'" in p.stderr and "rclone_cloud_upload" in p.stderr, f"unknown scenario: {p.stderr!r}")
    p = run("simulate", "--out", os.path.join(t, "o"), "--hosts", "2", expect_rc=2)
    check("--hosts" in p.stderr, f"too few hosts: {p.stderr!r}")
    p = run("simulate", "--out", os.path.join(t, "o"), "--clock-skew-events", "3:-5d,3:-5y", expect_rc=2)
    check(p.stderr.startswith("outflow: --clock-skew-events: '3:-5y': bad skew '-5y'") and p.stderr.count("\n") == 1,
          f"bad clock skew: {p.stderr!r}")
    p = run("simulate", "--out", os.path.join(t, "o"), "--hosts", "6", "--clock-skew-events", "ts:19h@7", expect_rc=2)
    check("--clock-skew-events ts: 7 hosts asked for, the organisation has 6" in p.stderr, f"too many skewed hosts: {p.stderr!r}")
    p = run("simulate", "--out", os.path.join(t, "o"), "--hosts", "6", "--sensor-drops-outgoing", "7", expect_rc=2)
    check("--sensor-drops-outgoing: 7 hosts asked for" in p.stderr, f"too many dropping hosts: {p.stderr!r}")
    p = run("eval", "--labels", os.path.join(t, "missing.jsonl"), good, expect_rc=2)
    check("missing.jsonl" in p.stderr, f"eval, missing labels: {p.stderr!r}")
    nolabels = os.path.join(t, "l.jsonl")
    with open(nolabels, "w") as f:
        f.write('{"scenario":"proxyware","host":"WS-0001","process_guids":["{a}"]}\n')
    p = run("eval", "--labels", nolabels, good, expect_rc=2)
    check("--host-days" in p.stderr, f"eval without host-days: {p.stderr!r}")
    p = run("eval", "--labels", nolabels, "--host-days", "10", "--json", good, expect_rc=0)
    check(json.loads(p.stdout)["recall"] == 0, f"eval of findings that are not findings: {p.stdout!r}")
p = run("--help", expect_rc=0)
check("sessions" in p.stdout and "coverage" in p.stdout, "help lists commands")
done()
