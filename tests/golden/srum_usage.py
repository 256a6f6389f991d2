"""Issue 18: SRUM network usage (`outflow usage`) on ../shared/datasets/srum-samples (see its _SOURCE.md).

- Windows 10: exactly the 93 program rows of Chainsaw's reading (expected_network_usage.jsonl: program,
  user SID, bytes each way, time within a second; Chainsaw cuts times to the second) and its 3
  interface-wide rows as totals, never as programs; the host named by the Sysmon log beside it; the
  oracle file itself is not understood and skipped, the run exits 0.
- Windows 11: the dirty copy (refused by Debian's libesedb for its header checksum) gives the clean
  copy's 143 rows and says it was dirty.
- Windows Server 2022: no per-program table, said plainly, exit 0.
- Every SRUDB.dat's SHA-256 is the same after the runs.
- The same rows as a SrumECmd CSV and as Velociraptor rows; hostile copies (0 bytes, truncated, a
  corrupt page, an ESE database with no SRUM table) give clear messages, never a crash.
"""
import csv
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

root = need_datasets("srum-samples")
win10 = os.path.join(root, "win10-aptsimulator")
dbs = [os.path.join(root, d, "SRUDB.dat") for d in sorted(os.listdir(root)) if os.path.isdir(os.path.join(root, d))]


def sha(p):
    with open(p, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


before = {p: sha(p) for p in dbs}


def ts(s):
    return datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()


def usage(*args, expect_rc=0):
    p = run("usage", *args, expect_rc=expect_rc)
    return p, json_lines(p, "usage")


def key(r):
    return (get(r, "outflow.srum.program"), get(r, "user.id"), get(r, "source.bytes"), get(r, "destination.bytes"))


def match_oracle(out, expected, what):
    """Each expected row matched by one output row: same program, SID, bytes; time within a second."""
    left = [r for r in out if not get(r, "outflow.srum.interface_total")]
    expect_eq(len(left), len(expected), f"{what}: program rows")
    missing = []
    for e in expected:
        k = (e["AppName"], e["UserSID"], e["BytesSent"], e["BytesRecvd"])
        hit = next((r for r in left if key(r) == k and abs(ts(r["@timestamp"]) - ts(e["TimeStamp"])) <= 1), None)
        if hit is None:
            missing.append(k)
        else:
            left.remove(hit)
    check(not missing, f"{what}: {len(missing)} oracle rows not matched, e.g. {missing[:3]}")


with open(os.path.join(win10, "expected_network_usage.jsonl")) as f:
    oracle = [json.loads(l) for l in f if l.strip()]
programs = [e for e in oracle if not (e["AppId"] == 1 and e["UserId"] == 2 and e["AppName"] is None)]
totals = [e for e in oracle if e not in programs]
expect_eq(len(programs), 93, "the oracle's program rows")

# --- Windows 10: the folder (SRUDB.dat, Sysmon log, the oracle itself) --------------------------
p, out = usage(win10)
match_oracle(out, programs, "win10")
got_totals = [r for r in out if get(r, "outflow.srum.interface_total")]
expect_eq(len(got_totals), 3, "win10 interface totals")
expect_eq(sorted((get(r, "source.bytes"), get(r, "destination.bytes")) for r in got_totals),
          sorted((e["BytesSent"], e["BytesRecvd"]) for e in totals), "win10 interface totals' bytes")
check(all(get(r, "process") is None for r in got_totals), "interface totals are no program")
check(all(get(r, "host.name") == "DESKTOP-TMKU40H" for r in out), "host named by the Sysmon log beside it")
check("2022-03-10T16:35 to 2022-03-10T21:10 UTC, 3 intervals, 1 gap over 2 h" in p.stderr, f"span said: {p.stderr[-800:]}")
check("expected_network_usage.jsonl: not understood" in p.stderr, f"the oracle is said not understood: {p.stderr[-800:]}")
nbt = [r for r in out if get(r, "process.executable") == "c:\\tmp\\nbtscan.exe"]
check(len(nbt) == 1 and get(nbt[0], "source.bytes") == 70104 and get(nbt[0], "destination.bytes") == 615,
      f"nbtscan.exe 70,104 / 615: {nbt}")
check(nbt and nbt[0]["@timestamp"].startswith("2022-03-10T21:"), "nbtscan in the 21:10 flush")
check(nbt and get(nbt[0], "outflow.srum.sha256") == before[os.path.join(win10, "SRUDB.dat")], "the file's SHA-256 is shown")
# Joined to the Sysmon log's process creations of the same image whose lifetime overlaps the interval.
nbt_procs = get(nbt[0], "outflow.srum.processes", []) if nbt else []
check(get(nbt[0], "outflow.srum.process_join") in ("one", "candidates") and
      any(p.get("entity_id") == "{E4421C3A-6198-622A-D603-000000000300}" and p.get("parent_executable", "").endswith("cmd.exe")
          and "nbtscan.exe" in p.get("command_line", "") for p in nbt_procs), f"nbtscan joined to its process creation: {nbt_procs}")
ninite = [r for r in out if get(r, "process.name") == "ninite.exe"]
check(ninite and all(get(r, "outflow.srum.process_join") == "none" and "before the log" in get(r, "outflow.srum.process_join_reason", "")
                     for r in ninite), f"ninite.exe: no process, and why: {[get(r, 'outflow.srum') for r in ninite][:1]}")
svc = [r for r in out if get(r, "outflow.srum.program_kind") == "service"]
check(svc and all(get(r, "outflow.srum.process_join") == "not_a_path" for r in svc), "services are not joined to a process")
ranks = [get(r, "outflow.srum.rank") for r in out if not get(r, "outflow.srum.interface_total")]
check(ranks == sorted(ranks), "JSON lines ranked")
top = [r for r in out if get(r, "outflow.srum.rank") == 1]
check(top and all(get(t, "outflow.srum.service") == "DoSvc" and get(t, "process.name") == "svchost.exe" for t in top),
      f"Delivery Optimization (service DoSvc in svchost.exe) sent most: {top[:1]}")
edge = [r for r in out if get(r, "outflow.srum.rank") == 2]
check(edge and all(get(t, "process.name") == "msedge.exe" for t in edge) and
      any(get(t, "source.bytes") == 2275224 and get(t, "destination.bytes") == 19098455 for t in edge),
      f"then msedge.exe, 2,275,224 / 19,098,455 in one interval: {edge[:1]}")

t = run("usage", "--format", "table", "--host", "ws-test", os.path.join(win10, "SRUDB.dat"))
check("nbtscan.exe" in t.stdout and "Interface totals" in t.stdout and "ws-test" in t.stdout, f"table: {t.stdout[:600]}")

# --- Windows 11: dirty = clean --------------------------------------------------------------------
pd, dirty = usage(os.path.join(root, "win11-rathbunvm-dirty", "SRUDB.dat"))
pc, clean = usage(os.path.join(root, "win11-rathbunvm-clean", "SRUDB.dat"))
expect_eq(len(clean), 143, "win11 clean rows")
proj = lambda rows: sorted(json.dumps((r["@timestamp"],) + key(r)) for r in rows)  # noqa: E731
check(proj(dirty) == proj(clean), "the dirty copy's rows equal the clean copy's")
check("dirty" in pd.stderr and "last interval may be missing" in pd.stderr, f"dirty said: {pd.stderr}")
check("dirty" not in pc.stderr, "the clean copy is not said dirty")

# --- Windows Server: no per-program table ----------------------------------------------------------
ps, srv = usage(os.path.join(root, "server2022-aptsimulator", "SRUDB.dat"))
expect_eq(len(srv), 0, "server rows")
check("without a per-program network usage table" in ps.stderr, f"server said: {ps.stderr}")

# --- The other commands skip SRUM with a note ---------------------------------------------------
h = run("sessions", win10)
check("read by `outflow usage`" in h.stderr, f"sessions notes SRUDB.dat: {h.stderr[-600:]}")

with tempfile.TemporaryDirectory() as tmp:
    # --- Exports: the same rows as SrumECmd CSV and Velociraptor JSON lines ----------------------
    cols = ["Id", "Timestamp", "ExeInfo", "ExeInfoDescription", "ExeTimestamp", "SidType", "Sid", "UserName", "UserId",
            "AppId", "BytesReceived", "BytesSent", "InterfaceLuid", "InterfaceType", "L2ProfileFlags", "L2ProfileId",
            "ProfileName"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(cols)
    for e in oracle:
        w.writerow([e["AutoIncId"], e["TimeStamp"][:19].replace("T", " "), e["AppName"] or "", "", "", "", e["UserSID"] or "",
                    e["UserName"] or "", e["UserId"], e["AppId"], e["BytesRecvd"], e["BytesSent"], e["InterfaceLuid"], "", 0,
                    e["L2ProfileId"], ""])
    ecmd = os.path.join(tmp, "20220310_SrumECmd_NetworkUsages_Output.csv")
    with open(ecmd, "w", encoding="utf-8-sig") as f:
        f.write(buf.getvalue())
    _, eo = usage(ecmd)
    match_oracle(eo, programs, "SrumECmd CSV")
    velo = os.path.join(tmp, "velociraptor.json")
    with open(velo, "w") as f:
        for e in oracle:
            f.write(json.dumps({"SRUMId": e["AutoIncId"], "TimeStamp": e["TimeStamp"], "App": e["AppName"] or "",
                                "UserSid": e["UserSID"] or "", "User": e["UserName"] or "", "UserId": e["UserId"],
                                "BytesSent": e["BytesSent"], "BytesRecvd": e["BytesRecvd"],
                                "InterfaceLuid": e["InterfaceLuid"], "L2ProfileId": 0, "L2ProfileFlags": 0}) + "\n")
    _, vo = usage(velo)
    match_oracle(vo, programs, "Velociraptor rows")
    expect_eq(sum(1 for r in vo if get(r, "outflow.srum.interface_total")), 3, "Velociraptor interface totals")
    # The database and its export side by side: each row once.
    pb, both = usage("--host", "h", os.path.join(win10, "SRUDB.dat"), ecmd)
    expect_eq(len(both), 96, "SRUDB.dat and its SrumECmd export together")
    check("96 rows were read from another input already" in pb.stderr, f"said: {pb.stderr[-500:]}")

    # --- A KAPE-like collection of two hosts: the logs in winevt/Logs, SRUDB.dat in sru --------
    kape = os.path.join(tmp, "kape")
    sys32 = os.path.join(kape, "DESKTOP-TMKU40H", "C", "Windows", "System32")
    for d in ("sru", os.path.join("winevt", "Logs")):
        os.makedirs(os.path.join(sys32, d))
    shutil.copy(os.path.join(win10, "SRUDB.dat"), os.path.join(sys32, "sru"))
    shutil.copy(os.path.join(win10, "Sysmon-Operational.evtx"), os.path.join(sys32, "winevt", "Logs"))
    other_sru = os.path.join(kape, "WIN11", "C", "Windows", "System32", "sru")
    os.makedirs(other_sru)
    shutil.copy(os.path.join(root, "win11-rathbunvm-clean", "SRUDB.dat"), other_sru)
    _, ko = usage(kape)
    hosts = {}
    for r in ko:
        hosts.setdefault(get(r, "outflow.srum.file").split(os.sep)[len(kape.split(os.sep))], set()).add(get(r, "host.name"))
    expect_eq(hosts, {"DESKTOP-TMKU40H": {"DESKTOP-TMKU40H"}, "WIN11": {None}}, "hosts of a two-host collection")

    # --- Hostile copies --------------------------------------------------------------------------
    with open(os.path.join(win10, "SRUDB.dat"), "rb") as f:
        good = f.read()
    zero = os.path.join(tmp, "zero", "SRUDB.dat")
    os.makedirs(os.path.dirname(zero))
    open(zero, "wb").close()
    pz = run("usage", zero, expect_rc=2)
    check("no SRUM input" in pz.stderr, f"0-byte file: {pz.stderr}")
    trunc = os.path.join(tmp, "trunc.dat")
    with open(trunc, "wb") as f:
        f.write(good[:8192])
    pt = run("usage", trunc, expect_rc=2)
    check("trunc.dat: libesedb cannot read this database (" in pt.stderr, f"truncated: {pt.stderr}")
    corrupt = os.path.join(tmp, "corrupt.dat")
    with open(corrupt, "wb") as f:
        f.write(good[:5 * 4096] + bytes((i * 7) & 255 for i in range(4096)) + good[6 * 4096:])
    pk = run("usage", corrupt, expect_rc=None)
    check(pk.returncode == 2 and "corrupt.dat: libesedb cannot read this database (libesedb_page_read_tags" in pk.stderr,
          f"corrupt page: exit {pk.returncode}: {pk.stderr}")
    # An ESE database that is not SRUM: the table names changed in a copy's catalog.
    other = os.path.join(tmp, "other.edb")
    with open(other, "wb") as f:
        f.write(good.replace(b"SruDbIdMapTable", b"OtherTableName1").replace(b"{973F5D5C-1D90", b"{00000000-0000"))
    po = run("usage", other, expect_rc=None)
    check(po.returncode == 2 and "other.edb: an ESE database, but not SRUM" in po.stderr,
          f"ESE, not SRUM: exit {po.returncode}: {po.stderr}")
    # Read with the good inputs, a bad one does not end the run.
    pm = run("usage", trunc, os.path.join(win10, "SRUDB.dat"))
    check("trunc.dat: libesedb" in pm.stderr and pm.stdout.count("\n") == 96, "a bad input beside a good one")

after = {p: sha(p) for p in dbs}
check(before == after, "every SRUDB.dat unchanged (SHA-256)")
done()
