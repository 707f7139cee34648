#!/usr/bin/env python3
"""Checks the profile of tests/config/custom/custom.c (run.sh run): every
call of a custom lock API is a site at its caller's line, named after the
API, with exact counts (acquisitions, releases, contentions, try failures).

Usage: profile.py custom PROFILE.json [RATE]: RATE is the sample rate the
program ran with (default 1, the [runtime] of custom/.lockinstr; at 0
every uncontended acquisition and its release take the inline fast path).
Exit status 0, or 1 with the first difference on stderr. The expected counts are what custom.c's main() does;
the lines are found in custom.c itself (the text of each call is unique on
its line), so editing the comments of custom.c does not break the test.
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


def line_of(text, marker):
    at = text.index(marker)
    assert text.count(marker) == 1, f"marker {marker!r} is not unique"
    return text.count("\n", 0, at) + 1


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1] != "custom":
        fail("usage: profile.py custom PROFILE.json [RATE]")
    rate = int(sys.argv[3]) if len(sys.argv) == 4 else 1
    src = open(os.path.join(HERE, "custom", "custom.c")).read()
    prof = json.load(open(sys.argv[2]))
    if prof["sample_rate"] != rate:
        fail(f"sample_rate {prof['sample_rate']}, want {rate}")
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
