"""learn / hunt --state / config from the command line, on the bundled MIT fixture (no dataset
needed): state created and reused, a second user of the state refused, bad config rejected with
the key and line, `outflow config` prints the shipped defaults."""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

fx = os.path.join(SOURCE, "tests", "fixtures", "otrf-psexec")
with tempfile.TemporaryDirectory() as t:
    state = os.path.join(t, "org.db")
    p = run("hunt", "--state", state, fx, expect_rc=2)
    check("run `outflow learn" in p.stderr and p.stderr.count("\n") == 1, f"hunt on a missing state: {p.stderr!r}")

    p = run("hunt", "--learn", fx, expect_rc=2)
    check("--state" in p.stderr, f"--learn without --state: {p.stderr!r}")
    p = run("learn", "--state", state, fx)
    check(os.path.exists(state), "learn creates the state file")
    check("1 run(s)" in p.stderr, f"learn summary: {p.stderr!r}")
    p = run("learn", "--state", state, fx)
    check("2 run(s)" in p.stderr, f"learn accumulates runs: {p.stderr!r}")

    base = run("hunt", "--format", "json", "--min-score", "0", fx, expect_rc=1)
    withstate = run("hunt", "--format", "json", "--min-score", "0", "--state", state, fx, expect_rc=1)
    check("state: 2 earlier run(s)" in withstate.stderr, f"hunt reports the state: {withstate.stderr!r}")
    a = [json.loads(x) for x in base.stdout.splitlines()]
    b = [json.loads(x) for x in withstate.stdout.splitlines()]
    expect_eq(len(a), len(b), "same candidates with and without the state")
    # Destinations seen in the learned runs are not new for the organisation.
    check(all(not d.get("new_for_org") for f in b for d in get(f, "outflow.destinations", [])),
          "no destination is new after learning the same data")

    # A second run on the same state while the first holds it is refused.
    holder = subprocess.Popen([OUTFLOW, "learn", "-q", "--state", state, "-"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(0.5)  # the holder has opened and locked the state and waits on stdin
    p = run("hunt", "--state", state, fx, expect_rc=2)
    check("in use by another outflow run" in p.stderr, f"concurrent use refused: {p.stderr!r}")
    holder.stdin.close()
    holder.wait(timeout=60)
    expect_eq(holder.returncode, 0, "the holder finishes normally")

    cfg = os.path.join(t, "bad.yaml")
    with open(cfg, "w") as f:
        f.write("min_score: 50\nvolume_sesion: 5\n")
    p = run("hunt", "--config", cfg, fx, expect_rc=2)
    check("unknown key 'volume_sesion' (line 2)" in p.stderr, f"bad config: {p.stderr!r}")
    p = run("config", "--check", cfg, expect_rc=2)
    good = os.path.join(t, "good.yaml")
    with open(good, "w") as f:
        f.write("min_score: 10\n")
    p = run("config", "--check", good)
    check("valid" in p.stdout, f"config --check: {p.stdout!r}")
    low = run("hunt", "--config", good, "--format", "json", fx, expect_rc=None)
    check(low.returncode in (0, 1), "hunt with a config runs")

p = run("config")
check(p.stdout.startswith("# Outflow detector configuration"), "outflow config prints the shipped YAML")
check("time_window: 900" in p.stdout, "with the TimeWindow default")
done()
