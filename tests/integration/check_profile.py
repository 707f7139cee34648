#!/usr/bin/env python3
"""check_profile.py — asserts what a lockinstr profile must contain.

  check_profile.py DIR [--expect SUFFIX]... [--forbid TEXT]... [--min-acq N]

Reads the one lockinstr.*.json profile in DIR (fails if there is none or
more than one) and checks: the format and version; for each --expect, a
site whose file ends with SUFFIX and that was acquired at least N times
(default 1) in total; for each --forbid, no site whose file contains TEXT.
Prints what it found and exits 1 on the first failed check.
"""
import argparse
import glob
import json
import os
import sys


def fail(msg):
    print("check_profile: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--forbid", action="append", default=[])
    ap.add_argument("--min-acq", type=int, default=1)
    a = ap.parse_args()
    files = sorted(glob.glob(os.path.join(a.dir, "lockinstr.*.json")))
    if len(files) != 1:
        fail("expected one profile in %s, found %d: %s" % (a.dir, len(files), files))
    with open(files[0]) as f:
        prof = json.load(f)
    if prof.get("format") != "lockinstr-profile" or prof.get("version") != 2:
        fail("%s: not a version 2 lockinstr profile" % files[0])
    sites = prof.get("sites", [])
    for s in sites:
        print("site %s:%s %s %s acquisitions=%s" % (s["file"], s["line"], s["function"],
                                                 s["api"], s["acquisitions"]))
    for suffix in a.expect:
        acq = sum(s["acquisitions"] for s in sites if s["file"].endswith(suffix))
        if acq < a.min_acq:
            fail("no site in a file ending with %r acquired >= %d times (got %d)"
                 % (suffix, a.min_acq, acq))
    for text in a.forbid:
        bad = [s for s in sites if text in s["file"]]
        if bad:
            fail("site(s) from %r must not be in the profile: %s" % (text, bad[0]["file"]))
    print("check_profile: ok (%d sites)" % len(sites))


if __name__ == "__main__":
    main()
