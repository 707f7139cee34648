#!/usr/bin/env python3
"""Lock-order end-to-end tests (issue #8): small programs instrumented by
the real lockinstr CLI, compiled, linked with liblockinstr.a and run; then
`lockinstr report` on the profile they wrote, checked for the exact text.

Each test is `lockorder.py [options] TEST`; the programs are in progs/,
with the lines the checks name marked `/* @NAME */`. Exit 0 pass, 1 fail.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROGS = os.path.join(HERE, "progs")
BANK_ARGS = ["--tellers", "4", "--accounts", "16", "--transfers", "20000"]


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def run_ok(cmd, **kw):
    """Runs cmd; returns its stdout; fails with its output if it fails."""
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise Fail(f"{shlex.join(cmd)}: exit {p.returncode}\n{p.stdout}{p.stderr}")
    return p.stdout


def markers(path):
    """{NAME: line} of the `/* @NAME */` markers in a source file."""
    out = {}
    with open(path) as f:
        for n, text in enumerate(f, 1):
            for m in re.finditer(r"/\* @(\w+) \*/", text):
                out[m.group(1)] = n
    return out


def build(a, name, src_dir, srcs, extra=()):
    """Instruments srcs (run in src_dir, so sites name them as a user
    would) into the work dir and compiles the result. Returns the binary."""
    work = os.path.join(a.work, name)
    out = os.path.join(work, "li-out")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    run_ok([a.lockinstr, "--quiet"] + srcs + ["-o", out, "--", "-std=c11"]
           + list(extra), cwd=src_dir)
    exe = os.path.join(work, name)
    run_ok([a.cc, "-std=c11", "-O2", "-g", "-Wall", "-Wextra", "-Werror"]
           + shlex.split(a.cflags) + list(extra) + ["-I" + a.include]
           + [os.path.join(out, s) for s in srcs]
           + [a.runtime] + shlex.split(a.ldlibs) + ["-o", exe])
    return exe


def run(a, name, exe, args=()):
    """Runs exe with a fresh profile path and no inherited LOCKINSTR_*
    setting; returns (stdout, profile path, parsed profile)."""
    profile = os.path.join(a.work, name, "profile.json")
    if os.path.exists(profile):
        os.remove(profile)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCKINSTR_")}
    env["LOCKINSTR_OUTPUT"] = profile
    env["LOCKINSTR_QUIET"] = "1"
    out = run_ok([exe] + list(args), env=env, cwd=os.path.join(a.work, name))
    with open(profile) as f:
        return out, profile, json.load(f)


def report(a, profile, *opts):
    return run_ok([a.lockinstr, "report"] + list(opts) + [profile])


def program(a, name, tag=None):
    """Builds and runs progs/NAME.c in work dir TAG (default NAME); returns
    (markers, profile path, profile, report text)."""
    exe = build(a, tag or name, PROGS, [name + ".c"])
    _, path, prof = run(a, tag or name, exe)
    text = report(a, path)
    sys.stdout.write(text)
    return markers(os.path.join(PROGS, name + ".c")), path, prof, text


def site_id(prof, line):
    ids = [s["id"] for s in prof["sites"] if s["line"] == line]
    check(len(ids) == 1, f"expected one site at line {line}, got {ids}")
    return ids[0]


def edge_set(prof):
    """{(from line, to line): count} of the profile's edges."""
    lines = {s["id"]: s["line"] for s in prof["sites"]}
    return {(lines[e["from_site"]], lines[e["to_site"]]): e["count"]
            for e in prof["lock_order"]["edges"]}


def row_with(text, *cells):
    """The one report line containing every cell; fails otherwise."""
    rows = [l for l in text.splitlines() if all(c in l for c in cells)]
    check(len(rows) == 1, f"expected one row with {cells!r}, got {rows!r}")
    return rows[0]


def cycle_heads(text):
    return [l for l in text.splitlines() if l.startswith("cycle ")]


# ------------------------------------------------------------------ tests

def test_abba(a):
    m, _, prof, text = program(a, "abba")
    eq_edges = {(m["ab_first"], m["ab_second"]): 1,
                (m["ba_first"], m["ba_second"]): 1}
    check(edge_set(prof) == eq_edges, f"edges {edge_set(prof)} != {eq_edges}")
    check("Potential deadlocks: lock-order cycles" in text, "no deadlock section")
    heads = cycle_heads(text)
    check(len(heads) == 1, f"expected one cycle, got {heads!r}")
    check(re.match(r"cycle 1: g_(alpha|beta) \(abba\.c\) -> g_(alpha|beta) "
                   r"\(abba\.c\) -> g_\1 \(abba\.c\) \(2 classes;", heads[0]),
          f"cycle line: {heads[0]!r}")
    row_with(text, "g_alpha (abba.c)", f"abba.c:{m['ab_first']} ab_worker",
             "g_beta (abba.c)", f"abba.c:{m['ab_second']} ab_worker")
    row_with(text, "g_beta (abba.c)", f"abba.c:{m['ba_first']} ba_worker",
             "g_alpha (abba.c)", f"abba.c:{m['ba_second']} ba_worker")


def test_abba_dot(a):
    m, path, _, _ = program(a, "abba", "abba-dot")
    dot = report(a, path, "--format", "dot")
    sys.stdout.write(dot)
    check("cycles: 1," in dot, "dot label does not count one cycle")
    for first, second, fn in (("ab_first", "ab_second", "ab_worker"),
                              ("ba_first", "ba_second", "ba_worker")):
        label = f"abba.c:{m[first]} {fn} -> abba.c:{m[second]} {fn} (1)"
        lines = [l for l in dot.splitlines() if label in l]
        check(len(lines) == 1 and re.search(r'n\d+ -> n\d+ \[id="cycle_e\d+"',
                                            lines[0]),
              f"no cycle edge labelled {label!r}: {lines!r}")
    if shutil.which("dot"):  # Graphviz accepts it
        p = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True,
                           text=True)
        check(p.returncode == 0 and "<svg" in p.stdout, f"dot: {p.stderr}")


def test_consistent(a):
    m, _, prof, text = program(a, "consistent")
    want = {(m["outer"], m["inner"]): 3000}  # exact over three threads
    check(edge_set(prof) == want, f"edges {edge_set(prof)} != {want}")
    check("Lock order: no cycle (2 classes, 1 edge)" in text,
          "no 'no cycle' line")
    check(not cycle_heads(text) and "Potential deadlocks" not in text,
          "a cycle was reported")


def test_trylock(a):
    m, _, prof, text = program(a, "trylock")
    want = {(m["fw_first"], m["fw_second"]): 2000}
    check(edge_set(prof) == want, f"edges {edge_set(prof)} != {want}")
    check(site_id(prof, m["rv_try"]) > 0, "the trylock site is missing")
    check("Lock order: no cycle (2 classes, 1 edge)" in text,
          "no 'no cycle' line")
    check(not cycle_heads(text), "a cycle was reported")


def test_ring3(a):
    m, _, prof, text = program(a, "ring3")
    want = {(m[p + "_first"], m[p + "_second"]): 1 for p in ("ab", "bc", "ca")}
    check(edge_set(prof) == want, f"edges {edge_set(prof)} != {want}")
    heads = cycle_heads(text)
    check(len(heads) == 1 and "(3 classes;" in heads[0],
          f"expected one 3-class cycle, got {heads!r}")
    for p, (x, y) in {"ab": ("a", "b"), "bc": ("b", "c"),
                      "ca": ("c", "a")}.items():
        row_with(text, f"g_{x} (ring3.c)", f"ring3.c:{m[p + '_first']} {p}",
                 f"g_{y} (ring3.c)", f"ring3.c:{m[p + '_second']} {p}")


def test_bank(a):
    src = os.path.join(a.examples, "bank")
    exe = build(a, "bank", src, ["bank.c"], ["-I" + src])
    out, path, prof = run(a, "bank", exe, BANK_ARGS)
    check("FAILED" not in out, "bank failed its own checks")
    pair = {s["api"]: s for s in prof["sites"]
            if s["function"] == "lock_pair" and s["kind"] in ("acquire", "timed")}
    first, second = pair["pthread_mutex_lock"], pair["pthread_mutex_timedlock"]
    text = report(a, path)
    sys.stdout.write(text)
    lines = text.splitlines()
    head = [i for i, l in enumerate(lines) if l.startswith("Same-class nesting")]
    check(len(head) == 1, "no Same-class nesting section")
    row = row_with("\n".join(lines[head[0]:]), "struct account.lock",
                   f"bank.c:{first['line']} lock_pair",
                   f"bank.c:{second['line']} lock_pair")
    check(not cycle_heads(text), "a cycle between different classes")
    print("nesting row:", row)


# ---------------------------------------- lock identity (issue #14)

def instance_edges(prof):
    """[(from line, to line, from, to, from_instance, to_instance, count)]
    of the profile's edges, sorted."""
    lines = {s["id"]: s["line"] for s in prof["sites"]}
    return sorted((lines[e["from_site"]], lines[e["to_site"]], e["from"],
                   e["to"], e.get("from_instance", 0),
                   e.get("to_instance", 0), e["count"])
                  for e in prof["lock_order"]["edges"])


def test_pair(a):
    m, _, prof, text = program(a, "pair")
    f, s = m["first"], m["second"]
    want = [(f, s, "g_left (pair.c)", "g_right (pair.c)", 0, 0, 1),
            (f, s, "g_right (pair.c)", "g_left (pair.c)", 0, 0, 1)]
    check(instance_edges(prof) == want,
          f"edges {instance_edges(prof)} != {want}")
    check(prof["version"] == 2, "profile version")
    check(prof["lock_order"]["instances_dropped"] == 0, "instances dropped")
    heads = cycle_heads(text)
    check(len(heads) == 1, f"expected one cycle, got {heads!r}")
    check(re.match(r"cycle 1: g_left \(pair\.c\) -> g_right \(pair\.c\) -> "
                   r"g_left \(pair\.c\) \(2 classes;", heads[0]),
          f"cycle line: {heads[0]!r}")
    for x, y in (("left", "right"), ("right", "left")):
        row = (rf"^\s+1\s+g_{x} \(pair\.c\)\s+pair\.c:{f} lock_pair\s+"
               rf"g_{y} \(pair\.c\)\s+pair\.c:{s} lock_pair\s+\d+$")
        rows = [l for l in text.splitlines() if re.match(row, l)]
        check(len(rows) == 1, f"no edge row g_{x} -> g_{y}")


def test_getter(a):
    m, _, prof, text = program(a, "getter")
    edges = instance_edges(prof)
    check(len(edges) == 2, f"edges {edges}")
    (f1, t1, *_), (f2, t2, *_) = edges
    check((f1, t1, f2, t2) == (m["zo_first"], m["zo_second"], m["oz_first"],
                               m["oz_second"]), f"edge sites {edges}")
    # both ends named by the init site's class; the instances tell them apart
    name = "g_locks[] (getter.c)"
    check(all(e[2] == e[3] == name for e in edges), f"names {edges}")
    check(edges[0][4:6] == edges[1][4:6][::-1] and edges[0][4] != edges[0][5]
          and 0 not in edges[0][4:6], f"instances {edges}")
    heads = cycle_heads(text)
    check(len(heads) == 1 and "(2 classes;" in heads[0]
          and heads[0].count(name + " #") == 3, f"cycles {heads!r}")
    check("Same-class nesting" not in text, "listed as same-class nesting")


def test_ring3pair(a):
    m, _, prof, text = program(a, "ring3pair")
    edges = instance_edges(prof)
    check(len(edges) == 3 and all(e[:2] == (m["first"], m["second"])
                                  and e[6] == 1 for e in edges),
          f"edges {edges}")
    # unnamed: each lock is the class of the site that first took it
    names = {(e[2], e[4]) for e in edges} | {(e[3], e[5]) for e in edges}
    check(len(names) == 3 and all(i > 0 for _, i in names), f"ends {names}")
    heads = cycle_heads(text)
    check(len(heads) == 1 and "(3 classes;" in heads[0], f"cycles {heads!r}")
    check("lock_pair:x #" in heads[0] and "lock_pair:y #" in heads[0],
          f"cycle names: {heads[0]!r}")


def test_hashed(a):
    m, _, prof, text = program(a, "hashed")
    edges = instance_edges(prof)
    counts = sorted(e[6] for e in edges)
    check(counts == [1, 1, 100], f"edge counts {edges}")
    heads = cycle_heads(text)
    check(len(heads) == 1 and "(2 classes;" in heads[0]
          and "g_buckets[] (hashed.c) #" in heads[0], f"cycles {heads!r}")


def test_reuse(a):
    m, _, prof, text = program(a, "reuse")
    edges = instance_edges(prof)
    check(len(edges) == 2 and all(e[6] == 10 for e in edges),
          f"edges {edges}")
    insts = [e[4:6] for e in edges]
    check(len({i for p in insts for i in p}) == 4,
          f"the two lives share an instance: {insts}")
    check(not cycle_heads(text), "a cycle across two lives of one address")


def test_bound(a):
    m, _, prof, text = program(a, "bound")
    lo = prof["lock_order"]
    check(lo["instances_dropped"] == 17, f"instances_dropped {lo}")
    edges = instance_edges(prof)
    by_inst = [e for e in edges if e[5] != 0]
    by_site = [e for e in edges if e[5] == 0]
    check(len(by_inst) == 16383 and all(e[6] == 1 for e in by_inst),
          f"{len(by_inst)} instance edges")
    check(by_site == [(m["outer"], m["take"], "g_outer (bound.c)", "take:m",
                       0, 0, 17)], f"site-level edges {by_site}")
    check(not cycle_heads(text), "a cycle")


def test_handoff(a):
    """Issue #14 part 3: hand-offs and mismatched keys leave no untrue
    record: no false cycle, no invented edge, the counts and warnings."""
    src = os.path.join(PROGS, "handoff")
    m = markers(os.path.join(src, "handoff.c"))
    _, path, prof = run(a, "handoff", build(a, "handoff", src, ["handoff.c"]))
    text = report(a, path)
    sys.stdout.write(text)
    # item_lock's class (main:hv) is weak: one instance edge per hash
    lines = {s["id"]: s["line"] for s in prof["sites"]}
    edges = {}
    for e in prof["lock_order"]["edges"]:
        k = (lines[e["from_site"]], lines[e["to_site"]])
        edges[k] = edges.get(k, 0) + e["count"]
    eq_edges = {(m["third_other"], m["third_gate"]): 1,
                (m["item_lock"], m["inner"]): 200}
    check(edges == eq_edges, f"edges {edges} != {eq_edges}")
    check(not cycle_heads(text), "a cycle through the handed-off gate")
    d = prof["dropped"]
    check((d["stale_held"], d["unlock_not_held"], d["held_overflow"])
          == (1000, 1000, 0), f"dropped {d}")
    rel = [s for s in prof["sites"] if s["line"] == m["item_unlock"]]
    check(len(rel) == 1 and rel[0]["key_mismatches"] == 200
          and rel[0]["releases"] == 200, f"item_unlock site {rel}")
    row_with(text, "warning: 200 releases by item_unlock at handoff.c:"
             f"{m['item_unlock']}", "named a lock their thread did not hold")
    row_with(text, "note: 1000 held-lock records were found untrue")


TESTS = {"handoff": test_handoff, "pair": test_pair, "bound": test_bound, "getter": test_getter, "ring3pair": test_ring3pair,
         "hashed": test_hashed, "reuse": test_reuse,
         "abba": test_abba, "abba-dot": test_abba_dot,
         "consistent": test_consistent, "trylock": test_trylock,
         "ring3": test_ring3, "bank": test_bank}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lockinstr", required=True)
    ap.add_argument("--runtime", required=True, help="liblockinstr.a")
    ap.add_argument("--include", required=True)
    ap.add_argument("--examples", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--cflags", default="")
    ap.add_argument("--ldlibs", default="-lpthread -lm")
    ap.add_argument("test", choices=sorted(TESTS))
    a = ap.parse_args()
    try:
        TESTS[a.test](a)
    except Fail as e:
        print(f"FAIL {a.test}: {e}", file=sys.stderr)
        return 1
    print(f"PASS {a.test}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
