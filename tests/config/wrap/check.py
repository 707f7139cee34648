#!/usr/bin/env python3
"""Checks the profile of tests/config/wrap (run.sh wrap): every call of a
configured wrapper is a site at its caller's line with exact counts, the
contentions found inside the wrappers' own bodies are the callers', a
site whose contention nobody could see says so ("contentions_known":
false), and no site lies inside the wrappers' implementation.

Usage: check.py PROFILE.json MAIN.c. The sites are found by the "S name"
comment on their line of main.c. Exit status 0, or 1 with the first
difference.
"""

import json
import sys

# name: (api, kind, class, acquisitions, releases, contentions,
#        try_failures, contentions known)
EXPECTED = {
    "new_lock": ("new_lock", "init", "new_lock", 0, 0, 0, 0, True),
    "stats_lock": ("STATS_LOCK", "acquire", "stats_lock", 10, 0, 0, 0, True),
    "stats_unlock": ("STATS_UNLOCK", "release", "stats_lock", 0, 10, 0, 0,
                     True),
    "holder_stats_lock": ("STATS_LOCK", "acquire", "stats_lock", 1, 0, 0, 0,
                          True),
    "holder_stats_unlock": ("STATS_UNLOCK", "release", "stats_lock", 0, 1, 0,
                            0, True),
    "stats_lock_contended": ("STATS_LOCK", "acquire", "stats_lock", 1, 0, 1,
                             0, True),
    "stats_unlock_contended": ("STATS_UNLOCK", "release", "stats_lock", 0, 1,
                               0, 0, True),
    "holder_possess": ("possess", "acquire", "possess_holder:l", 1, 0, 0, 0, True),
    "holder_release": ("release", "release", "possess_holder:l", 0, 1, 0, 0, True),
    "possess_contended": ("possess", "acquire", "main:l", 1, 0, 1, 0, True),
    "release_contended": ("release", "release", "main:l", 0, 1, 0, 0, True),
    "possess": ("possess", "acquire", "main:l", 3, 0, 0, 0, True),
    "release": ("release", "release", "main:l", 0, 3, 0, 0, True),
    "grab": ("grab", "acquire", "main:l", 2, 0, 0, 0, False),
    "drop": ("drop", "release", "main:l", 0, 2, 0, 0, True),
    "cache_lock": ("CACHE_LOCK", "acquire", "cache_lock", 2, 0, 0, 0, False),
    "cache_unlock": ("CACHE_UNLOCK", "release", "cache_lock", 0, 2, 0, 0,
                     True),
    "local_lock": ("pthread_mutex_lock", "acquire", "stats_lock", 3, 0, 0, 0,
                   True),
    "local_unlock": ("pthread_mutex_unlock", "release", "stats_lock", 0, 3,
                     0, 0, True),
    "item_lock": ("item_lock", "acquire", "item_locks[]", 1, 0, 0, 0, True),
    "item_trylock_busy": ("item_trylock", "try", "item_locks[]", 0, 0, 0, 1,
                          True),
    "item_unlock": ("item_unlock", "release", "item_locks[]", 0, 1, 0, 0,
                    True),
    "item_trylock": ("item_trylock", "try", "item_locks[]", 4, 0, 0, 0, True),
    "item_trylock_unlock": ("item_trylock_unlock", "release", "item_locks[]",
                            0, 4, 0, 0, True),
}


def lines_of(path):
    """Maps each "S name" comment of the file to its line."""
    out = {}
    for n, text in enumerate(open(path), 1):
        if "/* S " in text:
            out[text.split("/* S ")[1].split(" ")[0]] = n
    return out


def main():
    prof = json.load(open(sys.argv[1]))
    lines = lines_of(sys.argv[2])
    sites = {}
    for s in prof["sites"]:
        if s["file"] != "main.c":
            sys.exit(f"FAIL: a site outside main.c: {s['file']}:{s['line']} "
                     f"{s['api']} (inside a wrapper's implementation)")
        sites[s["line"]] = s
    if set(sites) != set(lines.values()):
        sys.exit(f"FAIL: sites at lines {sorted(sites)}, want "
                 f"{sorted(lines.values())}")
    for name, want in EXPECTED.items():
        s = sites[lines[name]]
        got = (s["api"], s["kind"], s["class"], s["acquisitions"],
               s["releases"], s["contentions"], s["try_failures"],
               s.get("contentions_known", True))
        if got != want:
            sys.exit(f"FAIL: main.c:{lines[name]} ({name}): {got}, "
                     f"want {want}")
        if s["contentions"] and s["wait"]["count"] != s["contentions"]:
            sys.exit(f"FAIL: {name}: {s['wait']['count']} waits")
    dropped = prof["dropped"]
    if dropped["unlock_not_held"]:
        sys.exit(f"FAIL: unlock_not_held {dropped['unlock_not_held']}")


main()
