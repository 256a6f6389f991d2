"""AN0080 on otrf-atomic-host-network: in every recording where an Empire or Covenant C2 process
runs as SYSTEM or NETWORK SERVICE (the agents call back to 10.10.10.5:80), it ranks above all the
Windows background traffic of the same recording."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

root = need_datasets("otrf-atomic-host-network", "pairs")
C2 = "10.10.10.5"
checked = []
for tactic in sorted(os.listdir(root)):
    for name in sorted(os.listdir(os.path.join(root, tactic))):
        rec = os.path.join(root, tactic, name)
        p = run("hunt", "-q", "--format", "json", "--min-score", "0", rec, expect_rc=None)
        if p.returncode not in (0, 1):
            failures.append(f"{name}: exit {p.returncode}: {p.stderr}")
            continue
        fs = [json.loads(line) for line in p.stdout.splitlines()]
        c2 = [f for f in fs if get(f, "user.name") in ("SYSTEM", "NETWORK SERVICE") and get(f, "process.entity_id")
              and any(x["ip"] == C2 for x in get(f, "outflow.destinations", []))]
        if not c2:
            continue
        background = [f for f in fs if get(f, "process.entity_id") and not any(x["ip"] == C2 for x in get(f, "outflow.destinations", []))]
        top_bg = max((f["risk"]["score"] for f in background), default=0)
        for f in c2:
            checked.append((name, get(f, "process.name"), get(f, "user.name"), f["risk"]["score"], top_bg))
            check(f["risk"]["score"] > top_bg,
                  f"{name}: C2 {get(f, 'process.name')} as {get(f, 'user.name')} scores {f['risk']['score']}, "
                  f"background up to {top_bg}")
for c in checked:
    print("checked:", *c)
check(len(checked) >= 4, f"C2 processes as SYSTEM / NETWORK SERVICE found in at least 4 recordings: {len(checked)}")
done()
