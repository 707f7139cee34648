#!/usr/bin/env python3
"""dep_profile.py — checks a profile of depproj/ site by site, exactly.

  dep_profile.py PROFILE PROJECT_DIR SPEC...

Each SPEC is FILE|NEEDLE|FUNCTION|EXPR|ACQUISITIONS: the
pthread_mutex_lock site on the first line of PROJECT_DIR/FILE holding
NEEDLE (line numbers are read from the sources as they are now), in
FUNCTION, locking EXPR, acquired exactly ACQUISITIONS times. The profile
must hold exactly one site per SPEC and no other pthread_mutex_lock site
that was acquired. Files are matched by base name (each is unique here).
"""
import json
import os
import sys


def fail(msg):
    print("dep_profile: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def line_of(path, needle):
    with open(path) as f:
        for i, line in enumerate(f):
            if needle in line:
                return i + 1
    fail("%s: no line holding %r" % (path, needle))


def main():
    if len(sys.argv) < 4:
        fail("usage: dep_profile.py PROFILE PROJECT_DIR SPEC...")
    with open(sys.argv[1]) as f:
        sites = json.load(f).get("sites", [])
    for s in sites:
        print("site %s:%d %s %s %s acquisitions=%d" % (
            s["file"], s["line"], s["function"], s["api"], s["expr"],
            s["acquisitions"]))
    used = set()
    for spec in sys.argv[3:]:
        rel, needle, fn, expr, acq = spec.split("|")
        line = line_of(os.path.join(sys.argv[2], rel), needle)
        hits = [i for i, s in enumerate(sites)
                if os.path.basename(s["file"]) == os.path.basename(rel)
                and s["line"] == line and s["api"] == "pthread_mutex_lock"]
        if len(hits) != 1:
            fail("%d lock sites at %s:%d, want 1" % (len(hits), rel, line))
        s = sites[hits[0]]
        got = (s["function"], s["expr"], s["acquisitions"])
        if got != (fn, expr, int(acq)):
            fail("%s:%d: (function, expr, acquisitions) = %r, want %r"
                 % (rel, line, got, (fn, expr, int(acq))))
        used.add(hits[0])
    extra = [s for i, s in enumerate(sites)
             if i not in used and s["api"] == "pthread_mutex_lock"
             and s["acquisitions"] > 0]
    if extra:
        fail("unexpected lock sites: %s"
             % [(s["file"], s["line"], s["acquisitions"]) for s in extra])
    print("dep_profile: ok (%d sites)" % len(used))


main()
