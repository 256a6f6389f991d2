"""Helpers for golden tests: run the CLI on real data, compare chosen fields.

Each test script is run by ctest as: python3 SCRIPT OUTFLOW_BINARY SOURCE_DIR.
Exit 77 = skipped (printed visibly), as ctest's SKIP_RETURN_CODE.
"""
import json
import os
import subprocess
import sys

OUTFLOW = sys.argv[1]
SOURCE = sys.argv[2]
DATASETS = os.path.normpath(os.path.join(SOURCE, "..", "shared", "datasets"))
failures = []


def need_datasets(*parts):
    path = os.path.join(DATASETS, *parts)
    if not os.path.exists(path):
        print(f"SKIPPED: dataset absent: {path} (tests on real data need ../shared/datasets)")
        sys.exit(77)
    return path


# What ASan / UBSan / LeakSanitizer print: under `make test-asan` a report fails the test even
# where the exit status alone would not tell (a test expecting exit 2, a recovered report).
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer")


def run(*args, expect_rc=0, binary=False):
    """Runs the CLI; `binary` keeps stdout/stderr as bytes (for checking raw control bytes)."""
    p = subprocess.run([OUTFLOW, *args], capture_output=True, text=not binary, timeout=600)
    err = p.stderr.decode("utf-8", "replace") if binary else p.stderr
    shown = " ".join(repr(a) if any(ord(c) < 32 for c in a) else a for a in args)
    if expect_rc is not None and p.returncode != expect_rc:
        failures.append(f"outflow {shown}: exit {p.returncode}, expected {expect_rc}\n{err[-4000:]!r}")
    for m in SANITIZER_MARKERS:
        if m in err:
            failures.append(f"outflow {shown}: sanitizer report\n{err[-6000:]}")
            break
    return p


def json_lines(p, what):
    """The JSON lines a run printed; a line that is not JSON is a failure."""
    out = []
    for n, line in enumerate(p.stdout.splitlines(), 1):
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as e:
            failures.append(f"line {n} of {what} output is not JSON: {e}")
    return out


def sessions(*args):
    return json_lines(run("sessions", *args), "sessions")


def get(d, dotted, default=None):
    for k in dotted.split("."):
        if not isinstance(d, dict) or k not in d:
            return default
        d = d[k]
    return d


def tsv_rows(path):
    """Records of a Zeek TSV log as dicts (unset "-" and "(empty)" as None), read here, not by Outflow."""
    fields, rows = [], []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#fields"):
                fields = line.split("\t")[1:]
            elif line and not line.startswith("#"):
                rows.append({k: (None if v in ("-", "(empty)") else v) for k, v in zip(fields, line.split("\t"))})
    return rows


def sanitized():
    """Whether the binary under test is built with AddressSanitizer (its memory figures are not the product's)."""
    if "ASAN_OPTIONS" in os.environ:
        return True
    try:
        out = subprocess.run(["ldd", OUTFLOW], capture_output=True, text=True, check=False).stdout
    except OSError:
        return False
    return "libasan" in out


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


def expect_eq(actual, expected, what):
    return check(actual == expected, f"{what}: got {actual!r}, expected {expected!r}")


def done():
    if failures:
        for f in failures:
            print("FAIL:", f)
        sys.exit(1)
    print("ok")
    sys.exit(0)
