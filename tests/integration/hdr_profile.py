#!/usr/bin/env python3
"""hdr_profile.py — checks the profile of hdrproj/ (issue #9) site by site.

  hdr_profile.py PROFILE PROJECT_DIR [--a-excluded] [--helper-acq=N]

PROJECT_DIR holds the sources (line numbers are read from them). The
profile must hold exactly: one site per line that uses the header's LOCK
macro (src/a.c's in a_work, acquired 3 times; src/main.c's in b_twice, 2,
and in main, 1), each with its UNLOCK site (0 acquisitions), and one site
for the pthread_mutex_lock line of the header's inline helper locked_add,
acquired 5 times (a.c's 1 call + main.c's 4), with its unlock. With
--a-excluded, src/a.c was left alone by a configuration: none of its sites,
and the helper counts only main.c's 4 calls (a.c compiled the original
header); --helper-acq=N overrides the helper's count (CMake: every source
of the target, excluded or not, sees the instrumented header copy). Files
are matched by their base name (each is unique here): the
launcher names them relative to the working directory, CMake and header
directories outside the root by absolute path.
"""
import json
import os
import sys


def fail(msg):
    print("hdr_profile: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def line_of(path, needle, nth=1):
    with open(path) as f:
        hits = [i + 1 for i, l in enumerate(f) if needle in l]
    if len(hits) < nth:
        fail("%s: no line %d holding %r" % (path, nth, needle))
    return hits[nth - 1]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        fail("usage: hdr_profile.py PROFILE PROJECT_DIR [--a-excluded]")
    prof_path, proj = args
    a_excluded = "--a-excluded" in sys.argv
    helper = 4 if a_excluded else 5
    for a in sys.argv[1:]:
        if a.startswith("--helper-acq="):
            helper = int(a.split("=", 1)[1])
    with open(prof_path) as f:
        prof = json.load(f)
    src = lambda rel: os.path.join(proj, rel)
    lock, unlock = "pthread_mutex_lock", "pthread_mutex_unlock"
    want = []  # (file suffix, line, api, function, acquisitions)
    if not a_excluded:
        want += [("src/a.c", line_of(src("src/a.c"), "LOCK(&a_mu)"), lock, "a_work", 3),
                 ("src/a.c", line_of(src("src/a.c"), "UNLOCK(&a_mu)"), unlock, "a_work", 0)]
    m = src("src/main.c")
    want += [("src/main.c", line_of(m, "LOCK(&a_mu)", 1), lock, "b_twice", 2),
             ("src/main.c", line_of(m, "UNLOCK(&a_mu)", 1), unlock, "b_twice", 0),
             ("src/main.c", line_of(m, "LOCK(&a_mu)", 3), lock, "main", 1),
             ("src/main.c", line_of(m, "UNLOCK(&a_mu)", 2), unlock, "main", 0)]
    h = src("include/locks.h")
    want += [("include/locks.h", line_of(h, "pthread_mutex_lock(m)", 2), lock,
              "locked_add", helper),
             ("include/locks.h", line_of(h, "pthread_mutex_unlock(m)", 2), unlock,
              "locked_add", 0)]
    sites = prof.get("sites", [])
    for s in sites:
        print("site %s:%d %s %s acquisitions=%d" % (s["file"], s["line"], s["function"],
                                                   s["api"], s["acquisitions"]))
    used = set()
    for suffix, line, api, fn, acq in want:
        hits = [i for i, s in enumerate(sites)
                if os.path.basename(s["file"]) == os.path.basename(suffix)
                and s["line"] == line
                and s["api"] == api]
        if len(hits) != 1:
            fail("%d sites for %s:%d %s, want 1" % (len(hits), suffix, line, api))
        s = sites[hits[0]]
        if s["function"] != fn:
            fail("%s:%d: function %r, want %r" % (suffix, line, s["function"], fn))
        if s["acquisitions"] != acq:
            fail("%s:%d %s: %d acquisitions, want %d" % (suffix, line, api,
                                                         s["acquisitions"], acq))
        used.add(hits[0])
    extra = [sites[i] for i in range(len(sites)) if i not in used]
    if extra:
        fail("unexpected sites: %s" % ["%s:%d" % (s["file"], s["line"]) for s in extra])
    print("hdr_profile: ok (%d sites)" % len(sites))


if __name__ == "__main__":
    main()
