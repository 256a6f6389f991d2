"""Reading by time (the default) and reading the endpoint logs first join the same on real data.

Every pair of the OTRF atomic host/network recordings (Sysmon NXLog JSON + nfdump CSVs), and the
log4shell recording (Azure rows + nfdump): each session must be attributed the same way (status
and process GUID) whichever way the inputs are read. The recordings are hours long, so nothing
is old enough to be forgotten: this checks the merge itself (order, clock lead, threads).
"""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

root = need_datasets("otrf-atomic-host-network", "pairs")
cases = sorted(glob.glob(os.path.join(root, "*", "*")))
cases.append(need_datasets("otrf-log4shell"))
check(len(cases) >= 30, f"only {len(cases)} recordings found")


def key(s):
    return (get(s, "network.community_id"), get(s, "event.start"), get(s, "source.ip"), get(s, "source.port"))


def joined(rows):
    return {key(s): (get(s, "outflow.attribution.status"), get(s, "process.entity_id")) for s in rows}


total = attributed = 0
for case in cases:
    name = os.path.relpath(case, os.path.dirname(root))
    by_time = joined(sessions(case))
    first = joined(sessions("--read-order", "endpoint-first", case))
    expect_eq(len(by_time), len(first), f"{name}: sessions")
    differ = [k for k in first if by_time.get(k) != first[k]]
    check(not differ, f"{name}: {len(differ)} sessions attributed differently, e.g. {differ[:2]} "
                      f"by time {[by_time.get(k) for k in differ[:2]]} vs endpoint first {[first[k] for k in differ[:2]]}")
    total += len(first)
    attributed += sum(1 for v in first.values() if v[0] in ("matched", "inferred"))
check(total > 500 and attributed > 400, f"too little compared: {total} sessions, {attributed} attributed")
print(f"{len(cases)} recordings, {total} sessions, {attributed} attributed: the same either way")
done()
