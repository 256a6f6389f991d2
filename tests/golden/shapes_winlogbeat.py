"""Winlogbeat 7 (winlog.*) and 6 (event_data, computer_name) shapes on real recordings:
hosts are the originating computers, never the WEF collector."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

w7 = need_datasets("otrf-mordor-winlogbeat7", "covenant_msbuild_grunt_2019-10-27042312.json")
c = json.loads(run("coverage", "--json", w7).stdout)
names = {h["name"] for h in c["hosts"]}
check(names and not any(n.lower().startswith("wecserver") for n in names), f"winlogbeat7 hosts {names} exclude the collector")
s3 = sum(h["events"]["3"] for h in c["hosts"])
s1 = sum(h["events"]["1"] for h in c["hosts"])
check(s3 > 0 and s1 > 0, f"winlogbeat7: Sysmon 1 ({s1}) and 3 ({s3}) read")
check(c["bad_records"]["total"] == 0, f"winlogbeat7: no bad records, got {c['bad_records']}")

w6 = need_datasets("otrf-mordor-winlogbeat6-mit", "empire_enable_rdp_2019-05-18203650.json.zst")
c6 = json.loads(run("coverage", "--json", w6).stdout)
names6 = {h["name"] for h in c6["hosts"]}
check("HFDC01.shire.com" in names6, f"winlogbeat6 host names {names6}")
check(sum(h["events"]["3"] for h in c6["hosts"]) > 0, "winlogbeat6: Sysmon 3 read")

# The derived 7.x rename of the same events must give the same counts.
w6d = need_datasets("otrf-mordor-winlogbeat6-mit", "derived-winlog7-shape", "empire_enable_rdp_2019-05-18203650.winlog7-derived.jsonl.zst")
c6d = json.loads(run("coverage", "--json", w6d).stdout)
expect_eq({h["name"]: h["events"] for h in c6d["hosts"]}, {h["name"]: h["events"] for h in c6["hosts"]},
          "winlogbeat 6 and its 7-shape rename give the same per-host counts")
done()
