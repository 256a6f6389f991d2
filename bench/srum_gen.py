#!/usr/bin/env python3
"""A synthetic SRUM network usage export, for `outflow usage`'s speed and memory (docs/srum.md).

One host: USERS users x PROGRAMS programs x DAYS days x 24 hourly intervals, one program row each,
plus one interface-wide total row (AppId 1 / UserId 2, no name) per interval. The defaults give
14 x 50 x 60 x 24 = 1,008,000 program rows (+ 1,440 totals): about 198 MB as SrumECmd CSV.

    bench/srum_gen.py --format csv OUT.csv
    bench/srum_gen.py --format velociraptor OUT.json      # the same rows as Velociraptor JSON lines

Deterministic (a fixed seed): the same arguments give the same bytes.
"""
import argparse
import json
import random
from datetime import datetime, timedelta, timezone

COLS = ["Id", "Timestamp", "ExeInfo", "ExeInfoDescription", "ExeTimestamp", "SidType", "Sid", "UserName", "UserId",
        "AppId", "BytesReceived", "BytesSent", "InterfaceLuid", "InterfaceType", "L2ProfileFlags", "L2ProfileId",
        "ProfileName"]
LUID = 1689399632855040  # an Ethernet interface (IANA ifType 6 in the top 16 bits)


def rows(a):
    rnd = random.Random(a.seed)
    progs = [f"\\device\\harddiskvolume3\\program files\\vendor{p:02d}\\app{p:02d}.exe" for p in range(a.programs)]
    users = [(f"S-1-5-21-1004336348-1177238915-682003330-{1001 + u}", f"CORP\\user{u:02d}") for u in range(a.users)]
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rid = 1
    for h in range(a.days * 24):
        t = (t0 + timedelta(hours=h)).strftime("%Y-%m-%d %H:%M:%S")
        total_s = total_r = 0
        for ui, (sid, name) in enumerate(users):
            for pi, prog in enumerate(progs):
                sent, recvd = rnd.randrange(0, 5_000_000), rnd.randrange(0, 50_000_000)
                total_s += sent
                total_r += recvd
                yield dict(id=rid, t=t, app=prog, sid=sid, user=name, user_id=1000 + ui, app_id=2000 + pi,
                           sent=sent, recvd=recvd)
                rid += 1
        yield dict(id=rid, t=t, app="", sid="", user="", user_id=2, app_id=1, sent=total_s, recvd=total_r)
        rid += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--format", choices=["csv", "velociraptor"], default="csv")
    ap.add_argument("--users", type=int, default=14)
    ap.add_argument("--programs", type=int, default=50)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--seed", type=int, default=18)
    a = ap.parse_args()
    with open(a.out, "w", newline="") as f:
        if a.format == "csv":
            f.write(",".join(COLS) + "\r\n")
            for r in rows(a):
                f.write(f"{r['id']},{r['t']},{r['app']},,,,{r['sid']},{r['user']},{r['user_id']},{r['app_id']},"
                        f"{r['recvd']},{r['sent']},{LUID},,0,0,\r\n")
        else:
            for r in rows(a):
                f.write(json.dumps({"SRUMId": r["id"], "TimeStamp": r["t"].replace(" ", "T") + "Z", "App": r["app"],
                                    "UserSid": r["sid"], "User": r["user"], "UserId": r["user_id"],
                                    "BytesSent": r["sent"], "BytesRecvd": r["recvd"], "InterfaceLuid": LUID,
                                    "L2ProfileId": 0, "L2ProfileFlags": 0}) + "\n")


if __name__ == "__main__":
    main()
