#!/usr/bin/env python3
"""Checks the profile of tests/config/custom/custom.c (run.sh run): every
call of a custom lock API is a site at its caller's line, named after the
API, with exact counts (acquisitions, releases, contentions, try failures).
With `hdr`, the profile of tests/config/hdr (run.sh run-hdr): the calls
written in queue.h's static inline helpers are one site each, with the
counts of both files that call them; those in its macros are sites of the
line using the macro (a.c, or queue.h's own queue_len()).

Usage: profile.py custom|hdr PROFILE.json [RATE]: RATE is the sample rate
the program ran with (default 1 for custom, the [runtime] of
custom/.lockinstr, and 100 for hdr; at 0 every uncontended acquisition and
its release take the inline fast path). Exit status 0, or 1 with the
first difference on stderr. The expected counts are what the programs'
main() do; the lines are found in the sources themselves (the text of
each call is unique in its file), so editing their comments does not
break the test.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (text on the line, column-ordered index of the call on that line, api,
#  kind, acquisitions, releases, contentions, try failures)
EXPECTED = [
    ("  spin_lock(&g_spin);\n  before", 0, "spin_lock", "acquire", 1, 0, 0, 0),
    ("  spin_unlock(&g_spin);\n  return NULL", 0, "spin_unlock", "release",
     0, 1, 0, 0),
    ("    spin_lock(&g_spin);\n    spin_unlock", 0, "spin_lock", "acquire",
     1000, 0, 0, 0),
    ("    spin_unlock(&g_spin);\n  }", 0, "spin_unlock", "release",
     0, 1000, 0, 0),
    ("    if (my_trylock(&g_spin) &&", 0, "my_trylock", "try", 1000, 0, 0, 0),
    ("    if (my_trylock(&g_spin) &&", 1, "spin_unlock", "release",
     0, 1000, 0, 0),
    ("  spin_lock(&g_spin);\n  for (int i = 0; i < 3", 0, "spin_lock",
     "acquire", 1, 0, 0, 0),
    # the lock is held: three try failures, no acquisition
    ("    taken += my_trylock(&g_spin)", 0, "my_trylock", "try", 0, 0, 0, 3),
    ("  spin_unlock(&g_spin);\n  return taken", 0, "spin_unlock", "release",
     0, 1, 0, 0),
    ("    uvx_mutex_lock(&g_uvx), uvx", 0, "uvx_mutex_lock", "acquire",
     5, 0, 0, 0),
    ("    uvx_mutex_lock(&g_uvx), uvx", 1, "uvx_mutex_unlock", "release",
     0, 5, 0, 0),
    ("  uvx_mutex_lock(&g_uvx);\n  uvx_mutex_init", 0, "uvx_mutex_lock",
     "acquire", 1, 0, 0, 0),
    ("  uvx_mutex_init(&g_uvx);", 0, "uvx_mutex_init", "init", 0, 0, 0, 0),
    ("  spin_lock(&g_spin); /* no edge", 0, "spin_lock", "acquire",
     1, 0, 0, 0),
    ("  spin_unlock(&g_spin); /* after the re-init", 0, "spin_unlock",
     "release", 0, 1, 0, 0),
    # taken while holder() holds it: the try fails, one contention
    ("  spin_lock(&g_spin);\n  spin_unlock(&g_spin);\n  pthread_join", 0,
     "spin_lock", "acquire", 1, 0, 1, 0),
    ("  spin_unlock(&g_spin);\n  pthread_join", 0, "spin_unlock", "release",
     0, 1, 0, 0),
]


# hdr: (file, text around the line (a '|' marks the line's start when the
#       text starts earlier), api, kind, function, macro, acquisitions,
#       releases); class struct queue.lock, no contention, no try failure
EXPECTED_HDR = [
    ("queue.h", "  spin_lock(&q->lock);\n  q->n++;", "spin_lock", "acquire",
     "queue_push", "", 8, 0),  # 3 from a.c, 5 from b.c
    ("queue.h", "  q->n++;\n|  spin_unlock(&q->lock);", "spin_unlock",
     "release", "queue_push", "", 0, 8),
    ("queue.h", "  QUEUE_LOCK(q);", "spin_lock", "acquire", "queue_len",
     "QUEUE_LOCK", 1, 0),
    ("queue.h", "  QUEUE_UNLOCK(q);", "spin_unlock", "release", "queue_len",
     "QUEUE_UNLOCK", 0, 1),
    ("queue.h", "  spin_lock(&q->lock);\n  q->n = 0;", "spin_lock", "acquire",
     "queue_clear", "", 1, 0),
    ("queue.h", "  q->n = 0;\n|  spin_unlock(&q->lock);", "spin_unlock",
     "release", "queue_clear", "", 0, 1),
    ("a.c", "  QUEUE_LOCK(&g_queue);", "spin_lock", "acquire", "a_run",
     "QUEUE_LOCK", 1, 0),
    ("a.c", "  QUEUE_UNLOCK(&g_queue);", "spin_unlock", "release", "a_run",
     "QUEUE_UNLOCK", 0, 1),
]


def line_of(text, marker):
    plain = marker.replace("|", "")
    at = text.index(plain) + max(marker.find("|"), 0)
    assert text.count(plain) == 1, f"marker {marker!r} is not unique"
    return text.count("\n", 0, at) + 1


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def check_hdr(prof):
    """Every site of the hdr program, exactly; nothing from odd.h."""
    if prof["lock_order"]["edges"]:
        fail(f"lock-order edges {prof['lock_order']['edges']}, want none")
    sites = {(s["file"], s["line"]): s for s in prof["sites"]}
    if len(sites) != len(prof["sites"]):
        fail(f"two sites on one line: {prof['sites']}")
    for f, marker, api, kind, fn, macro, acq, rel in EXPECTED_HDR:
        line = line_of(open(os.path.join(HERE, "hdr", f)).read(), marker)
        s = sites.pop((f, line), None)
        if s is None:
            fail(f"no site at {f}:{line} ({marker.strip()})")
        got = (s["api"], s["kind"], s["function"], s["macro"],
               s["acquisitions"], s["releases"], s["contentions"],
               s["try_failures"], s["class"])
        want = (api, kind, fn, macro, acq, rel, 0, 0, "struct queue.lock")
        if got != want:
            fail(f"{f}:{line}: got {got}, want {want}")
    if sites:
        fail(f"unexpected sites: {sorted(sites)}")
    print(f"ok: {len(EXPECTED_HDR)} sites of project headers' calls")


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in ("custom", "hdr"):
        fail("usage: profile.py custom|hdr PROFILE.json [RATE]")
    default = 1 if sys.argv[1] == "custom" else 100
    rate = int(sys.argv[3]) if len(sys.argv) == 4 else default
    prof = json.load(open(sys.argv[2]))
    if prof["sample_rate"] != rate:
        fail(f"sample_rate {prof['sample_rate']}, want {rate}")
    if sys.argv[1] == "hdr":
        check_hdr(prof)
        return
    src = open(os.path.join(HERE, "custom", "custom.c")).read()
    # g_uvx was forgotten when re-initialised while held (kind init): the
    # spinlock taken after it is nested in nothing
    if prof["lock_order"]["edges"]:
        fail(f"lock-order edges {prof['lock_order']['edges']}, want none")
    by_line = {}
    for s in prof["sites"]:
        if s["function"] in ("uvx_mutex_lock", "uvx_mutex_unlock",
                             "my_trylock"):
            fail(f"a site inside the definition of {s['function']}: {s}")
        by_line.setdefault((s["file"], s["line"]), []).append(s)
    for v in by_line.values():
        v.sort(key=lambda s: s["column"])
    seen = 0
    for marker, k, api, kind, acq, rel, cont, tryf in EXPECTED:
        line = line_of(src, marker)
        sites = by_line.get(("custom.c", line), [])
        if k >= len(sites):
            fail(f"custom.c:{line}: no site #{k} (have {sites})")
        s = sites[k]
        got = (s["api"], s["kind"], s["acquisitions"], s["releases"],
               s["contentions"], s["try_failures"], s["class"])
        want = (api, kind, acq, rel, cont, tryf, "g_uvx (custom.c)"
                if "uvx" in marker else "g_spin (custom.c)")
        if got != want:
            fail(f"custom.c:{line} site #{k}: got {got}, want {want}")
        seen += 1
    if seen != len(prof["sites"]):
        fail(f"{len(prof['sites'])} sites in the profile, want {seen}")
    extra = [s for s in prof["sites"] if s["file"] != "custom.c"]
    if extra:
        fail(f"sites outside custom.c: {extra}")
    print(f"ok: {seen} custom sites with exact counts")


main()
