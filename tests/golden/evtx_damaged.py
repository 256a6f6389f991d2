"""EVTX damage end to end: a copy of a real Sysmon EVTX with one byte changed in a record (its chunk's
records CRC32 no longer matches) still yields the session's attribution, marked outflow.recovered, and
coverage counts the recovered records and the damaged chunk; a copy whose header is marked dirty is read
whole with one note and no bad record. The copies and a one-line Zeek conn.log are written to a
temporary folder, never beside the datasets."""
import calendar
import os
import shutil
import struct
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403

src = need_datasets("evtx-attack-samples", "Lateral Movement", "LM_sysmon_3_12_13_1_SharpRDP.evtx")
tmp = tempfile.mkdtemp(prefix="outflow_golden_evtx_")
try:
    good = open(src, "rb").read()
    # The Sysmon 3 of svchost.exe (RDP, inbound): 192.168.56.1:52543 -> 192.168.56.101:3389 at
    # 2020-07-09 22:00:09.694 UTC; the sensor saw it 1.5 s later.
    ts = calendar.timegm((2020, 7, 9, 22, 0, 11, 0, 0, 0)) + 0.194
    conn = os.path.join(tmp, "conn.log")
    with open(conn, "w") as f:
        f.write("#separator \\x09\n#path\tconn\n"
                "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
                "orig_bytes\tresp_bytes\tconn_state\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\n"
                f"{ts:.6f}\tCgolden1\t192.168.56.1\t52543\t192.168.56.101\t3389\ttcp\t-\t60.0\t"
                "40000\t900000\tSF\tShADadFf\t300\t52000\t700\t930000\n")

    def write(name, data):
        p = os.path.join(tmp, name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def rdp_session(evtx):
        rows = [s for s in sessions(evtx, conn) if get(s, "destination.port") == 3389 or get(s, "source.port") == 3389]
        if expect_eq(len(rows), 1, f"sessions of the RDP connection ({os.path.basename(evtx)})"):
            expect_eq(get(rows[0], "outflow.attribution.status"), "matched", "attribution")
            expect_eq(get(rows[0], "process.name"), "svchost.exe", "process.name")
            return rows[0]
        return {}

    clean = write("clean.evtx", good)
    expect_eq(get(rdp_session(clean), "outflow.recovered"), None, "outflow.recovered on an undamaged file")

    # One byte of a UTF-16 string in the second half of the chunk's records.
    bad = bytearray(good)
    free = struct.unpack_from("<I", good, 4096 + 48)[0]
    at = 4096 + 512 + (free - 512) // 2
    while not (0x61 <= bad[at] <= 0x7A and bad[at + 1] == 0):
        at += 1
    bad[at] ^= 0x20
    damaged = write("damaged.evtx", bytes(bad))
    expect_eq(get(rdp_session(damaged), "outflow.recovered"), True, "outflow.recovered on a damaged chunk")
    cov = json.loads(run("coverage", "--json", damaged).stdout)
    expect_eq(get(cov, "recovered_records.total"), 38, "recovered records (the chunk's 38)")
    expect_eq(get(cov, "bad_records.total"), 1, "bad records (the chunk, once)")
    expect_eq(get(cov, "bad_records.samples")[0]["offset"], 4096, "offset of the damaged chunk")
    expect_eq(cov["inputs"][0].get("recovered"), 38, "inputs[0].recovered")

    # Dirty flag with a consistent header CRC: a note, no bad record, nothing recovered.
    dirty = bytearray(good)
    dirty[120] |= 1
    struct.pack_into("<I", dirty, 124, zlib.crc32(bytes(dirty[:120])))
    cov = json.loads(run("coverage", "--json", write("dirty.evtx", bytes(dirty))).stdout)
    expect_eq(get(cov, "bad_records.total"), 0, "bad records of a dirty file")
    expect_eq(get(cov, "notes.total"), 1, "notes of a dirty file")
    expect_eq(get(cov, "recovered_records.total"), 0, "recovered records of a dirty file")
    expect_eq(cov["inputs"][0]["host_events"], json.loads(run("coverage", "--json", clean).stdout)["inputs"][0]["host_events"],
              "a dirty file yields every event")
finally:
    shutil.rmtree(tmp)
done()
