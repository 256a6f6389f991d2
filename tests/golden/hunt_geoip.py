"""DestinationCountry: with a country .mmdb (written here by a minimal MMDB writer) the finding
carries the destination's country and a denied country is a factor; without one, "unknown"."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from golden_util import *  # noqa: E402,F401,F403
from golden_util_mmdb import write_country_mmdb  # noqa: E402

d = need_datasets("otrf-atomic-host-network", "pairs", "credential_access", "empire_ninjacopy_dumping_ntds_dit_file")
with tempfile.TemporaryDirectory() as t:
    db = os.path.join(t, "country.mmdb")
    # The recording's DC talks to 192.168.56.40 (private, never looked up) and to public resolvers.
    write_country_mmdb(db, {"40.0.0.0/8": "US", "192.168.0.0/16": "ZZ", "8.0.0.0/8": "KP"})
    cfg = os.path.join(t, "deny.yaml")
    with open(cfg, "w") as f:
        f.write("country_deny: [KP]\ninternal_networks: [10.0.0.0/8, 172.16.0.0/12]\n")
    p = run("hunt", "-q", "--format", "json", "--min-score", "0", "--geoip", db, "--config", cfg, d, expect_rc=None)
    check(p.returncode in (0, 1), f"hunt with --geoip: {p.stderr}")
    fs = [json.loads(x) for x in p.stdout.splitlines()]
    countries = {x["ip"]: x["country"] for f in fs for x in get(f, "outflow.destinations", [])}
    check(countries.get("192.168.56.40") == "ZZ", f"192.168.56.40 is looked up once not internal: {countries.get('192.168.56.40')}")
    ps = [f for f in fs if get(f, "process.name") == "powershell.exe"]
    if check(ps, "powershell finding present"):
        factors = {x["name"]: x for x in get(ps[0], "outflow.factors")}
        check(get(ps[0], "destination.geo.country_iso_code") == "ZZ", "destination.geo.country_iso_code")
        check("destination_country" not in factors, "ZZ is not denied")
    cfg2 = os.path.join(t, "deny2.yaml")
    with open(cfg2, "w") as f:
        f.write("country_deny: [ZZ]\ninternal_networks: [10.0.0.0/8]\n")
    p = run("hunt", "-q", "--format", "json", "--min-score", "0", "--geoip", db, "--config", cfg2, d, expect_rc=None)
    ps = [json.loads(x) for x in p.stdout.splitlines() if '"powershell.exe"' in x]
    if check(ps, "powershell finding present (deny ZZ)"):
        factors = {x["name"]: x for x in get(ps[0], "outflow.factors")}
        check("destination_country" in factors and factors["destination_country"]["observed"] == "ZZ",
              f"denied country is a factor: {list(factors)}")

    bad = os.path.join(t, "bad.mmdb")
    with open(bad, "wb") as f:
        f.write(b"not a database")
    p = run("hunt", "--geoip", bad, d, expect_rc=2)
    check("cannot open GeoIP database" in p.stderr, f"bad mmdb: {p.stderr!r}")

p = run("hunt", "-q", "--format", "json", "--min-score", "0", d, expect_rc=None)
fs = [json.loads(x) for x in p.stdout.splitlines()]
check(all(x["country"] == "unknown" for f in fs for x in get(f, "outflow.destinations", [])), "no database: unknown")
done()
