"""Pipes and FIFOs are read once: bash process substitution (<(cat file), a pipe at /dev/fd/63),
a named FIFO and stdin give the sessions the files give. Inputs that had bytes but gave no
record are reported. Uses tests/fixtures (no dataset needed). Every run is bounded by a timeout
and its whole process group is killed past it, so a hang fails the test instead of stalling it."""
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

FIX = os.path.join(SOURCE, "tests", "fixtures", "otrf-psexec")
SYSMON = os.path.join(FIX, "empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.json.zst")
WS5 = os.path.join(FIX, "empire_psexec_dcerpc_tcp_svcctl_WORKSTATION5_2020-09-20121608.cap.nfdump.csv")
WS6 = os.path.join(FIX, "empire_psexec_dcerpc_tcp_svcctl_WORKSTATION6_2020-09-20121608.cap.nfdump.csv")
OUT = shlex.quote(OUTFLOW)


def bash(script, timeout=60):
    """Runs `script` in bash (its own process group); returns (rc, stdout, stderr)."""
    p = subprocess.Popen(["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        failures.append(f"hung for {timeout} s and was killed: {script}\n{err[-2000:]!r}")
        return -1, out, err
    for m in SANITIZER_MARKERS:
        if m in err:
            failures.append(f"{script}: sanitizer report\n{err[-6000:]}")
            break
    return p.returncode, out, err


def key(s):
    return (get(s, "source.ip"), get(s, "source.port"), get(s, "destination.ip"), get(s, "destination.port"),
            get(s, "source.bytes"), get(s, "destination.bytes"), get(s, "process.entity_id"),
            get(s, "outflow.attribution.status"))


def rows(out):
    return sorted(key(json.loads(line)) for line in out.splitlines())


q = shlex.quote
rc, out, err = bash(f"{OUT} sessions --all {q(SYSMON)} {q(WS5)} {q(WS6)}")
expect_eq(rc, 0, "files: exit status")
want = rows(out)
check(len(want) >= 8, f"files give sessions: {len(want)}")
check(any(k[1] == 63854 and k[7] == "matched" for k in want), "the psexec C2 session is matched from files")

# Process substitution: three pipes (one zstd), read merged by time, each opened once.
rc, out, err = bash(f"{OUT} sessions --all <(cat {q(SYSMON)}) <(cat {q(WS5)}) <(cat {q(WS6)})")
expect_eq(rc, 0, "<(cat ...): exit status")
expect_eq(rows(out), want, "<(cat ...) gives the sessions of the files")
check("3 files" in err and " 0 flow records" not in err, f"<(cat ...) summary: {err!r}")

# One pipe of flows alone (read in order, not merged): records read, not "0 flow records".
rc, out, err = bash(f"{OUT} sessions --all <(cat {q(WS5)})")
expect_eq(rc, 0, "one pipe: exit status")
check(len(out.splitlines()) > 0 and " 0 flow records" not in err, f"one pipe gives sessions: {err!r}")

# Endpoint log on stdin, flows through a pipe.
rc, out, err = bash(f"cat {q(SYSMON)} | {OUT} sessions --all - <(cat {q(WS5)}) <(cat {q(WS6)})")
expect_eq(rc, 0, "stdin + pipes: exit status")
expect_eq(rows(out), want, "stdin + pipes give the sessions of the files")

with tempfile.TemporaryDirectory() as t:
    # Named FIFOs: the writers write everything and close; nothing may hang.
    fifos = [os.path.join(t, n) for n in ("sysmon.fifo", "ws5.fifo", "ws6.fifo")]
    script = "; ".join(f"mkfifo {q(f)}" for f in fifos) + "; "
    script += " ".join(f"cat {q(src)} > {q(f)} &" for src, f in zip((SYSMON, WS5, WS6), fifos))
    script += f" {OUT} sessions --all " + " ".join(q(f) for f in fifos) + "; rc=$?; wait; exit $rc"
    rc, out, err = bash(script)
    expect_eq(rc, 0, "FIFOs: exit status")
    expect_eq(rows(out), want, "FIFOs give the sessions of the files")

    # Not understood through a pipe: JSON lines that are not Windows events (exit 2, named).
    rc, out, err = bash(f"{OUT} sessions <(printf '{{\"a\":1}}\\n{{\"b\":2}}\\n')")
    expect_eq(rc, 2, "JSON that is not Windows events through a pipe: exit status")
    check("no records read" in err and "not Windows events" in err, f"not understood message: {err!r}")
    # Every line malformed: no record, exit 2 with the file named.
    bad = os.path.join(t, "bad.csv")
    with open(bad, "w") as f:
        f.write("ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt\nnot,a,record\nnor,this\n")
    p = run("sessions", bad, expect_rc=2)
    check(f"{bad}: no records read (nfdump-csv" in p.stderr and "2 malformed" in p.stderr, f"all malformed: {p.stderr!r}")
    # Well-formed but nothing Outflow reads (a header only): reported, not an error.
    hdr = os.path.join(t, "header.csv")
    with open(hdr, "w") as f:
        f.write("ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt\n")
    p = run("sessions", hdr, expect_rc=0)
    check(f"{hdr}: no records read" in p.stderr, f"header only is reported: {p.stderr!r}")
    c = json.loads(run("coverage", "--json", hdr, expect_rc=0).stdout)
    check([x["file"] for x in c["no_records"]] == [hdr] and not c["not_understood"], f"coverage: {c['no_records']!r}")
    # Found in a folder, a file that gives nothing is reported and the run goes on.
    folder = os.path.join(t, "folder")
    os.mkdir(folder)
    with open(os.path.join(folder, "bad.csv"), "w") as f:
        f.write(open(bad).read())
    p = run("sessions", "--all", folder, WS5, expect_rc=0)
    check("bad.csv: no records read" in p.stderr and len(p.stdout.splitlines()) > 0, f"folder file reported: {p.stderr!r}")
    # Junk through a pipe: format not recognised, exit 2.
    rc, out, err = bash(f"{OUT} sessions <(head -c 3000 /dev/zero)")
    expect_eq(rc, 2, "junk through a pipe: exit status")
    check("format not recognised" in err, f"junk through a pipe: {err!r}")
    # An empty pipe is not an error, but it is said.
    rc, out, err = bash(f"{OUT} sessions <(true)")
    expect_eq(rc, 0, "empty pipe: exit status")
    check("empty input" in err, f"empty pipe noted: {err!r}")
done()
