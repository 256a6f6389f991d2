#!/usr/bin/env bash
# make demo: the main job on a bundled real recording (OTRF Empire psexec, MIT): telemetry
# coverage, then every session attributed to its process, shown as a table.
set -euo pipefail
OUTFLOW=${1:-build/bin/outflow}
SAMPLE="$(dirname "$0")/../tests/fixtures/otrf-psexec"

echo "== outflow coverage $SAMPLE"
"$OUTFLOW" coverage "$SAMPLE"
echo
echo "== outflow sessions $SAMPLE   (JSON lines on stdout; shown here as a table)"
"$OUTFLOW" sessions "$SAMPLE" > /tmp/outflow-demo-sessions.jsonl
python3 - /tmp/outflow-demo-sessions.jsonl <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rows.sort(key=lambda s: -(s["source"]["bytes"] + s["destination"]["bytes"]))
g = lambda d, k, default="": (lambda v: default if v is None else v)(
    __import__("functools").reduce(lambda a, b: a.get(b) if isinstance(a, dict) else None, k.split("."), d))
print(f"{'host':<14} {'user':<22} {'process':<16} {'destination':<22} {'out B':>8} {'in B':>8} {'dur s':>6}  attribution / lineage")
for s in rows:
    user = (g(s, "user.domain") + "\\" if g(s, "user.domain") else "") + g(s, "user.name")
    dest = f"{g(s, 'destination.ip')}:{g(s, 'destination.port')}"
    lin = " > ".join(p.split("\\")[-1] for p in g(s, "outflow.lineage", []))
    print(f"{g(s, 'host.name').split('.')[0]:<14} {user[:22]:<22} {g(s, 'process.name', '-')[:16]:<16} {dest:<22} "
          f"{g(s, 'source.bytes'):>8} {g(s, 'destination.bytes'):>8} {g(s, 'event.duration', 0) / 1e9:>6.0f}  "
          f"{g(s, 'outflow.attribution.status')}  {lin}")
print(f"\n{len(rows)} sessions; full JSON in /tmp/outflow-demo-sessions.jsonl (try: jq . /tmp/outflow-demo-sessions.jsonl)")
PY
