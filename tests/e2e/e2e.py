#!/usr/bin/env python3
"""End-to-end tests: instrument the examples with the lockinstr CLI, build
them, run them, and check their profiles and reports against what the
programs themselves say they did.

Each example prints a `stats: key=value ...` line with the lock calls it
made (counted by the program, under its own locks), so acquisition counts
are checked EXACTLY, even where they depend on scheduling (bank's
back-offs, workqueue's condition waits). The only timing check is the one
issue #4 asks for: a hold of a known length (bank's audit, 200 ms, sample
rate 1) must be reported within 10 %.

Profiles are parsed with Python's json module rather than a C checker with
jansson: python3 is already a dependency of the suite (tests/install-deps.sh),
the checks read like the spec, and a second, independent JSON parser is a
better test of the runtime's output than the project's own C.

Usage: e2e.py [options] TEST   (see main() for the options and TESTS for
the test names). Exit status: 0 pass, 1 fail, 77 skipped (CTest
SKIP_RETURN_CODE) when a part it needs is not built yet.
"""

import argparse
import gzip
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

SKIP = 77


class Skip(Exception):
    """The test cannot run yet (a missing part); CTest shows it skipped."""


class Fail(Exception):
    """A check failed."""


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def eq(actual, expected, what):
    check(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")


# ---------------------------------------------------------------- building

EXAMPLES = {
    "bank": ["bank.c"],
    "workqueue": ["workqueue.c", "queue.c"],
    "rwcache": ["rwcache.c"],
}


def run(cmd, cwd=None, env=None, timeout=300):
    """Runs cmd; returns (returncode, stdout, stderr) as text."""
    print("+ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def run_ok(cmd, **kw):
    rc, out, err = run(cmd, **kw)
    if rc != 0:
        raise Fail(f"{cmd[0]} exited {rc}\n--- stdout\n{out}\n--- stderr\n{err}")
    return out, err


def example_dir(args, name):
    return os.path.join(args.examples, name)


def binary(args, name):
    return os.path.join(args.work, name, "li-out", name)


def build(args, name):
    """Instruments the example with the CLI (run in the example's directory,
    so sites name `bank.c` as a user would) and compiles the output with the
    project's compiler, warnings as errors."""
    src_dir = example_dir(args, name)
    out_dir = os.path.join(args.work, name, "li-out")
    shutil.rmtree(out_dir, ignore_errors=True)
    srcs = EXAMPLES[name]
    run_ok([args.lockinstr] + srcs + ["-o", out_dir, "--", "-std=c11",
                                      "-I" + src_dir], cwd=src_dir)
    for s in srcs:
        text = open(os.path.join(out_dir, s)).read()
        check("lockinstr_" in text and "LI_SITE" in text,
              f"{out_dir}/{s} does not look instrumented")
    run_ok([args.cc, "-std=c11", "-O2", "-g", "-Wall", "-Wextra", "-Werror"]
           + shlex.split(args.cflags)
           + ["-I" + src_dir, "-I" + args.include]
           + [os.path.join(out_dir, s) for s in srcs]
           + [args.runtime] + shlex.split(args.ldlibs)
           + ["-o", binary(args, name)])


# ---------------------------------------------------------------- running

def run_example(args, name, prog_args, tag, sample_rate=None):
    """Runs the instrumented example with LOCKINSTR_OUTPUT in the build dir
    and no other LOCKINSTR_* setting from the caller's environment (but
    LOCKINSTR_SAMPLE_RATE when sample_rate is given). Returns (the stats:
    line as a dict, the profile, the profile's path)."""
    exe = binary(args, name)
    if not os.path.exists(exe):
        raise Fail(f"{exe} missing: the e2e.build_{name} test (fixture e2e_{name}) failed")
    run_dir = os.path.join(args.work, name, tag)
    os.makedirs(run_dir, exist_ok=True)
    profile = os.path.join(run_dir, "lockinstr.json")
    if os.path.exists(profile):
        os.remove(profile)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LOCKINSTR_")}
    env["LOCKINSTR_OUTPUT"] = profile
    if sample_rate is not None:
        env["LOCKINSTR_SAMPLE_RATE"] = str(sample_rate)
    out, err = run_ok([exe] + prog_args, cwd=run_dir, env=env)
    sys.stdout.write(out)
    check("FAILED" not in out, f"{name} failed its own checks")
    stats = parse_stats(out)
    check(os.path.exists(profile),
          f"no profile at {profile} (LOCKINSTR_OUTPUT); stderr:\n{err}")
    with open(profile) as f:
        prof = json.load(f)
    return stats, prof, profile


def parse_stats(out):
    """The program's `stats: k=v ...` line as a dict of ints."""
    for line in out.splitlines():
        if line.startswith("stats: "):
            return {k: int(v) for k, v in
                    (kv.split("=", 1) for kv in line[7:].split())}
    raise Fail("the program printed no stats: line")


# ---------------------------------------------------------------- profile

def check_header(prof, program):
    eq(prof.get("format"), "lockinstr-profile", "format")
    eq(prof.get("version"), 2, "version")
    eq(prof.get("program"), program, "program")
    eq(prof.get("reason"), "exit", "reason")
    for k, v in prof.get("dropped", {}).items():
        eq(v, 0, f"dropped.{k}")
    for s in prof["sites"]:
        check(s["contentions"] <= s["acquisitions"],
              f"site {where(s)}: more contentions than acquisitions")
        eq(s["wait"]["count"], s["contentions"],
           f"site {where(s)}: wait.count (every contended acquisition is timed)")


def eq_class(site, name, what):
    """The lock class is `name`; for a file-scope static the rewriter adds
    its file (`g_ledger_lock (bank.c)`), which is accepted too."""
    cls = site["class"]
    check(cls == name or (cls.startswith(name + " (") and cls.endswith(")")),
          f"{what}: expected class {name!r} (or {name} (FILE)), got {cls!r}")


def where(s):
    return f"{s['file']}:{s['line']} {s['function']} {s['api']}"


def sites(prof, function, api, macro=None):
    """The sites in `function` calling `api` (optionally through `macro`)."""
    return [s for s in prof["sites"] if s["function"] == function
            and s["api"] == api and (macro is None or s["macro"] == macro)]


def one_site(prof, function, api, macro=None):
    found = sites(prof, function, api, macro)
    eq(len(found), 1, f"number of {api} sites in {function}()")
    return found[0]


def count(prof, function, api, key, macro=None):
    """Sum of `key` over the matching sites (0 when none executed: a site
    that never ran is not in the profile)."""
    return sum(s[key] for s in sites(prof, function, api, macro))


def expect_count(prof, function, api, key, expected, macro=None):
    eq(count(prof, function, api, key, macro), expected,
       f"{key} of {api} in {function}()")


FUNC_NAME = re.compile(r"^[A-Za-z_][^(;=]*?\b([A-Za-z_]\w*)\s*\(")


def enclosing_function(lines, lineno):
    """Name of the function whose definition starts last at or before
    lineno: a line at column 0 naming `ident(` whose declaration reaches a
    `{` before any `;` (the examples start every definition at column 0)."""
    for i in range(lineno - 1, -1, -1):
        m = FUNC_NAME.match(lines[i])
        if not m or lines[i].startswith("#"):
            continue
        for j in range(i, min(i + 8, len(lines))):
            body = lines[j].split("//")[0]
            if "{" in body and ";" not in body.split("{")[0]:
                return m.group(1)
            if ";" in body:
                break
    return ""


def check_sites_match_source(args, name, prof):
    """Every site's line and column point at the call (or the macro use) in
    the ORIGINAL source, its expression is written there, and its function
    is the one that line is in."""
    check(prof["sites"], "profile has no sites")
    for s in prof["sites"]:
        path = os.path.join(example_dir(args, name), s["file"])
        check(os.path.exists(path), f"site file {s['file']} is not an "
              f"original source of {name} ({path})")
        lines = open(path).read().split("\n")
        check(1 <= s["line"] <= len(lines), f"{where(s)}: line out of range")
        text = lines[s["line"] - 1]
        callee = s["macro"] or s["api"]
        check(text[s["column"] - 1:].startswith(callee),
              f"{where(s)} col {s['column']}: `{callee}` not there in "
              f"{s['file']}:{s['line']}: {text!r}")
        if not s["macro"]:
            check(s["expr"] in text, f"{where(s)}: expr {s['expr']!r} "
                  f"not on the line {text!r}")
        eq(s["function"], enclosing_function(lines, s["line"]),
           f"function of {where(s)}")


# ---------------------------------------------------------------- the tests

BANK_ARGS = ["--tellers", "4", "--accounts", "16", "--transfers", "20000"]


def check_bank_counts(prof, st):
    x, b = st["transfers"], st["backoffs"]
    first = one_site(prof, "lock_pair", "pthread_mutex_lock")
    eq(first["class"], "struct account.lock", "class of &from->lock")
    eq(first["acquisitions"], x + b, "acquisitions of from->lock "
       "(transfers + back-offs)")
    second = one_site(prof, "lock_pair", "pthread_mutex_timedlock")
    eq(second["class"], "struct account.lock", "class of &to->lock")
    eq(second["kind"], "timed", "kind of pthread_mutex_timedlock")
    eq(second["acquisitions"], x, "acquisitions of to->lock")
    eq(second["timeouts"], b, "timeouts of to->lock (back-offs)")
    expect_count(prof, "lock_pair", "pthread_mutex_unlock", "releases", b)
    eq(len(sites(prof, "transfer", "pthread_mutex_unlock")), 2,
       "unlock sites in transfer()")
    for s in sites(prof, "transfer", "pthread_mutex_unlock"):
        eq(s["releases"], x, f"releases at {where(s)}")
    ledger = one_site(prof, "ledger_record", "pthread_mutex_lock",
                      "LOCK_LEDGER")
    eq_class(ledger, "g_ledger_lock", "class of the ledger lock")
    eq(ledger["acquisitions"], st["ledger_appends"], "ledger acquisitions")
    expect_count(prof, "ledger_record", "pthread_mutex_unlock", "releases",
                 st["ledger_appends"], "UNLOCK_LEDGER")
    audit = one_site(prof, "audit_ledger", "pthread_mutex_lock")
    eq(audit["acquisitions"], st["audits"], "audit acquisitions")
    eq(audit["class"], ledger["class"], "class of the audit's lock (the "
       "same lock as LOCK_LEDGER's)")
    expect_count(prof, "audit_ledger", "pthread_mutex_unlock", "releases",
                 st["audits"])
    return ledger, audit


def test_bank_counts(args):
    st, prof, _ = run_example(args, "bank", BANK_ARGS, "counts")
    check_header(prof, "bank")
    check_sites_match_source(args, "bank", prof)
    ledger, _ = check_bank_counts(prof, st)
    # Forced: the other tellers start while the audit holds the ledger.
    check(ledger["contentions"] >= 1, "no contention on g_ledger_lock, but "
          "the tellers start while the audit holds it for 20 ms")


def within(actual, expected, frac, what):
    check(abs(actual - expected) <= frac * expected,
          f"{what}: {actual} ns is not within {frac:.0%} of {expected} ns")


def test_bank_hold(args):
    # 200 ms: preemption between the runtime's timestamps and the program's
    # (it measures inside the wrappers' span) was seen to reach 12 ms with
    # five CPU hogs on two cores; 10 % of 200 ms leaves room for that.
    hold_us = 200000
    st, prof, _ = run_example(args, "bank", ["--tellers", "3", "--accounts",
                                             "16", "--transfers", "5000",
                                             "--hold-us", str(hold_us)],
                              "hold", sample_rate=1)
    check_header(prof, "bank")
    eq(prof["sample_rate"], 1, "sample_rate (LOCKINSTR_SAMPLE_RATE=1)")
    check_bank_counts(prof, st)
    for s in prof["sites"]:
        if s["kind"] in ("acquire", "try", "timed"):
            eq(s["hold"]["samples"], s["acquisitions"],
               f"hold samples at rate 1 of {where(s)}")
    audit = one_site(prof, "audit_ledger", "pthread_mutex_lock")
    measured = st["audit_hold_ns"]
    check(measured >= hold_us * 1000, "the program slept less than asked")
    for key in ("max_ns", "total_ns_est", "sampled_total_ns"):
        within(audit["hold"][key], hold_us * 1000, 0.10,
               f"audit hold.{key} vs --hold-us")
        within(audit["hold"][key], measured, 0.10,
               f"audit hold.{key} vs the program's own measurement")


def test_workqueue_counts(args):
    st, prof, _ = run_example(args, "workqueue",
                              ["--producers", "2", "--consumers", "3",
                               "--items", "20000", "--capacity", "16"],
                              "counts")
    check_header(prof, "workqueue")
    check_sites_match_source(args, "workqueue", prof)
    # Producers, consumers, and main (queue_close, queue_stats).
    eq(prof["threads"], st["producers"] + st["consumers"] + 1, "threads")
    # No lock is ever taken while another is held (a condition wait
    # re-acquires the only lock it held).
    eq(prof["lock_order"]["edges"], [], "lock-order edges")
    api = "pthread_mutex_lock"
    push = one_site(prof, "queue_push", api)
    eq(push["class"], "struct queue.mu", "class of &q->mu")
    eq(push["acquisitions"], st["pushed"], "queue_push acquisitions")
    eq(one_site(prof, "queue_pop", api)["acquisitions"],
       st["popped"] + st["consumers"], "queue_pop acquisitions (one final "
       "pop per consumer finds the queue closed)")
    total = sum(s["acquisitions"] for s in prof["sites"]
                if s["api"] == api and s["class"] == "struct queue.mu")
    eq(total, st["queue_lock_calls"], "struct queue.mu acquisitions")
    expect_count(prof, "queue_push", "pthread_mutex_unlock", "releases",
                 st["pushed"])
    expect_count(prof, "queue_pop", "pthread_mutex_unlock", "releases",
                 st["popped"] + st["consumers"])
    for fn, waits in (("queue_push", "full_waits"),
                      ("queue_pop", "empty_waits")):
        cw = sites(prof, fn, "pthread_cond_wait")
        eq(sum(s["cond"]["count"] for s in cw), st[waits],
           f"condition waits in {fn}() ({waits})")
        # Each wait re-acquires the mutex once on the way out.
        eq(sum(s["acquisitions"] for s in cw), st[waits],
           f"re-acquisitions after the condition waits in {fn}()")
        for s in cw:
            eq(s["class"], "struct queue.mu", f"class of {where(s)}")
    flush = one_site(prof, "flush_totals", "mtx_lock")
    eq_class(flush, "g_totals_lock", "class of the C11 mutex")
    eq(flush["acquisitions"], st["totals_flushes"], "mtx_lock acquisitions")
    expect_count(prof, "flush_totals", "mtx_unlock", "releases",
                 st["totals_flushes"])


def test_rwcache_counts(args):
    st, prof, _ = run_example(args, "rwcache",
                              ["--readers", "3", "--lookups", "100000",
                               "--refresh-us", "100"], "counts")
    check_header(prof, "rwcache")
    check_sites_match_source(args, "rwcache", prof)
    rd = one_site(prof, "cache_lookup", "pthread_rwlock_rdlock",
                  "CACHE_READ_LOCK")
    eq(rd["class"], "struct cache.lock", "class of the read lock")
    eq(rd["mode"], "read", "mode of rdlock")
    eq(rd["acquisitions"], st["lookups"], "read-lock acquisitions")
    expect_count(prof, "cache_lookup", "pthread_rwlock_unlock", "releases",
                 st["lookups"], "CACHE_UNLOCK")
    wr = one_site(prof, "cache_refresh", "pthread_rwlock_wrlock")
    eq(wr["class"], "struct cache.lock", "class of the write lock")
    eq(wr["mode"], "write", "mode of wrlock")
    eq(wr["acquisitions"], st["refreshes"], "write-lock acquisitions")
    expect_count(prof, "cache_refresh", "pthread_rwlock_unlock", "releases",
                 st["refreshes"])
    expect_count(prof, "flush_stats", "mtx_lock", "acquisitions",
                 st["stats_flushes"])
    eq(prof["lock_order"]["edges"], [], "lock-order edges (no nesting)")


def test_bank_lock_order(args):
    """Lock order (issue #8): every transfer takes from->lock, then to->lock
    (same class: `struct account.lock` -> itself) and then the ledger while
    holding both, so the edges are exactly
        from-lock site -> to-lock site       (same-class nesting)
        from-lock site -> LOCK_LEDGER site
        to-lock site   -> LOCK_LEDGER site
    each taken once per transfer; the audit takes the ledger holding
    nothing. No cycle between different classes."""
    st, prof, path = run_example(args, "bank", BANK_ARGS, "lock-order")
    edges = prof["lock_order"]["edges"]
    if not edges:
        raise Skip("the runtime records no lock-order edges yet")
    first = one_site(prof, "lock_pair", "pthread_mutex_lock")
    second = one_site(prof, "lock_pair", "pthread_mutex_timedlock")
    ledger = one_site(prof, "ledger_record", "pthread_mutex_lock")
    got = {(e["from_site"], e["to_site"]): e for e in edges}
    want = {(first["id"], second["id"]), (first["id"], ledger["id"]),
            (second["id"], ledger["id"])}
    eq(sorted(got), sorted(want), "lock-order edges (from_site, to_site)")
    for key, e in got.items():
        eq(e["count"], st["transfers"], f"count of edge {key}")
    same = got[(first["id"], second["id"])]
    eq((same["from"], same["to"]),
       ("struct account.lock", "struct account.lock"), "same-class edge")
    out = report(args, [path])
    sys.stdout.write(out)
    lines = out.splitlines()
    head = next((i for i, l in enumerate(lines)
                 if l.startswith("Same-class nesting")), None)
    check(head is not None, "the report has no Same-class nesting section")
    rows = [l for l in lines[head + 2:head + 6]
            if "struct account.lock" in l]
    check(any(f"bank.c:{first['line']} lock_pair" in l and
              f"bank.c:{second['line']} lock_pair" in l for l in rows),
          f"same-class nesting row for bank.c:{first['line']} -> "
          f"bank.c:{second['line']} missing: {rows!r}")
    check(not any(l.startswith("cycle ") for l in lines),
          "the report shows a cycle, but the bank's class order is acyclic")


def report(args, argv):
    """Runs `lockinstr report ARGV`; skips while the report is a stub."""
    rc, out, err = run([args.lockinstr, "report"] + argv)
    if rc != 0 and "not built yet" in out + err:
        raise Skip("lockinstr report is not built yet")
    if rc != 0:
        raise Fail(f"lockinstr report exited {rc}\n{out}\n{err}")
    return out


def test_report_top(args):
    st, prof, path = run_example(args, "workqueue",
                                 ["--items", "20000"], "report")
    pop = one_site(prof, "queue_pop", "pthread_mutex_lock")
    out = report(args, ["--by", "site", "--sort", "acquisitions",
                        "--top", "1", path])
    sys.stdout.write(out)
    # The first line naming a site of queue.c must be queue_pop's lock: it
    # has popped + consumers acquisitions, queue_push one per item.
    first = next((l for l in out.splitlines() if "queue.c:" in l), "")
    check(f"queue.c:{pop['line']}" in first and "queue_pop" in first,
          f"top site should be queue.c:{pop['line']} queue_pop; first site "
          f"line is {first!r}")
    full = report(args, [path])
    check("queue_pop" in full and "struct queue.mu" in full,
          "the default report does not show queue_pop / struct queue.mu")


def test_diff_gate(args):
    """`lockinstr diff` as a CI gate on a real program: the bank run twice
    unchanged passes; run with the audit's critical section made 100 ms
    longer (--hold-us), the diff names the audit's lock site first by hold
    change and the gate fails (exit 1) naming it and nothing else. One
    teller: with several, tellers blocked on the ledger hold their account
    locks longer too (true, but then the audit is not the only change).
    Rate 1: the audit's one acquisition is always timed. The threshold is
    absolute (+50 ms), so preemption inside other holds on a loaded machine
    cannot cross it."""
    bank_args = ["--tellers", "1", "--accounts", "16", "--transfers", "2000"]
    paths = {}
    for tag, hold in (("diff-base1", 0), ("diff-base2", 0), ("diff-new", 100000)):
        _, _, paths[tag] = run_example(args, "bank",
                                       bank_args + ["--hold-us", str(hold)],
                                       tag,
                                       sample_rate=1)
    gate = [args.lockinstr, "diff", "--sort", "hold", "--fail-if", "hold>+50ms"]
    rc, out, err = run(gate + [paths["diff-base1"], paths["diff-base2"]])
    sys.stdout.write(out + err)
    eq(rc, 0, "exit status of the diff of two unchanged runs")
    eq(err, "", "stderr of the diff of two unchanged runs")
    rc, out, err = run(gate + [paths["diff-base1"], paths["diff-new"]])
    sys.stdout.write(out + err)
    eq(rc, 1, "exit status of the diff with the longer critical section")
    first = next((l for l in out.splitlines() if "bank.c:" in l), "")
    check("audit_ledger" in first,
          f"the first row should be the audit's lock site, got {first!r}")
    regressions = [l for l in err.splitlines()
                   if l.startswith("lockinstr: regression: ")]
    eq(len(regressions), 1, "number of regressions")
    check("audit_ledger: hold +" in regressions[0],
          f"the regression should name audit_ledger's hold: {regressions[0]!r}")


def test_pprof(args):
    _, prof, path = run_example(args, "bank", BANK_ARGS, "pprof")
    go = shutil.which("go")
    check(go, "go (Debian golang-go) is not installed: tests/install-deps.sh")
    pb = os.path.join(os.path.dirname(path), "bank.pb.gz")
    report(args, ["--format", "pprof", "-o", pb, path])
    with gzip.open(pb) as f:
        check(len(f.read()) > 0, "empty pprof profile")
    env = dict(os.environ)
    scratch = os.path.join(args.work, "go-home")
    env.update(HOME=scratch, GOCACHE=os.path.join(scratch, "cache"),
               GOPATH=os.path.join(scratch, "path"), GOFLAGS="-mod=mod",
               PPROF_TMPDIR=scratch)
    ledger = one_site(prof, "ledger_record", "pthread_mutex_lock")
    for index in ("contentions", "delay"):
        out, _ = run_ok([go, "tool", "pprof", "-top",
                         "-sample_index=" + index, pb], env=env)
        sys.stdout.write(out)
        check("ledger_record" in out, f"go tool pprof -top "
              f"-sample_index={index}: ledger_record (where tellers wait "
              f"for g_ledger_lock) missing")
    out, _ = run_ok([go, "tool", "pprof", "-top", "-lines",
                     "-sample_index=acquisitions", pb], env=env)
    check(f"bank.c:{ledger['line']}" in out, "go tool pprof -lines does not "
          f"show bank.c:{ledger['line']}")


def test_html(args):
    _, prof, path = run_example(args, "bank", BANK_ARGS, "html")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    check(browser, "chromium is not installed: tests/install-deps.sh")
    html = os.path.join(os.path.dirname(path), "bank.html")
    report(args, ["--format", "html", "-o", html, path])
    text = open(html).read()
    check(not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text),
          "the HTML report loads something from the network")
    profile_dir = os.path.join(args.work, "chromium-profile")
    out, _ = run_ok([browser, "--headless", "--no-sandbox", "--disable-gpu",
                     "--user-data-dir=" + profile_dir, "--dump-dom",
                     "file://" + html], timeout=120)
    for fn in ("ledger_record", "audit_ledger", "lock_pair"):
        check(fn in out, f"rendered HTML report does not mention {fn}()")
    check("g_ledger_lock" in out, "rendered HTML does not name g_ledger_lock")


def test_make(args):
    """The plain Makefile path: `make instrumented` with the build's tool,
    into the build directory, then a short run."""
    out_dir = os.path.join(args.work, "make-bank")
    shutil.rmtree(out_dir, ignore_errors=True)
    run_ok(["make", "-C", example_dir(args, "bank"), "instrumented",
            "LI_OUT=" + out_dir, "LOCKINSTR=" + args.lockinstr,
            "LOCKINSTR_LIB=" + args.runtime, "LOCKINSTR_INCLUDE=" + args.include,
            "CC=" + args.cc, "CFLAGS=-O2 -g -Wall -Wextra -Werror " + args.cflags,
            "LOCKINSTR_LIBS=" + args.ldlibs])
    env = dict(os.environ, LOCKINSTR_OUTPUT=os.path.join(out_dir, "p.json"))
    out, _ = run_ok([os.path.join(out_dir, "bank"), "--transfers", "1000",
                     "--hold-us", "0"], cwd=out_dir, env=env)
    st = parse_stats(out)
    prof = json.load(open(os.path.join(out_dir, "p.json")))
    check_bank_counts(prof, st)


def test_cmake(args):
    """The CMake path: examples/ configured standalone against this build's
    tool, runtime and headers; every instrumented example built and run."""
    bdir = os.path.join(args.work, "cmake-examples")
    run_ok(["cmake", "-S", args.examples, "-B", bdir,
            "-DCMAKE_C_COMPILER=" + args.cc,
            "-DCMAKE_C_FLAGS=-Wall -Wextra -Werror " + args.cflags,
            "-DCMAKE_EXE_LINKER_FLAGS=" + args.cflags,
            "-DLOCKINSTR_EXECUTABLE=" + args.lockinstr,
            "-DLOCKINSTR_LIBRARY=" + args.runtime,
            "-DLOCKINSTR_INCLUDE_DIR=" + args.include])
    run_ok(["cmake", "--build", bdir, "-j2"], timeout=600)
    small = {"bank": ["--transfers", "1000", "--hold-us", "0"],
             "workqueue": ["--items", "1000"],
             "rwcache": ["--lookups", "10000"]}
    for name, argv in small.items():
        exe = os.path.join(bdir, name, "li-out", name)
        prof_path = os.path.join(bdir, name, "p.json")
        env = dict(os.environ, LOCKINSTR_OUTPUT=prof_path)
        out, _ = run_ok([exe] + argv, env=env)
        check("FAILED" not in out, f"{name} failed its own checks")
        prof = json.load(open(prof_path))
        eq(prof["program"], name, "program name of the CMake-built example")
        check_sites_match_source(args, name, prof)


def test_tsan(args):
    """The examples themselves are race-free: built WITHOUT lockinstr under
    ThreadSanitizer and run with examples/tsan.supp (which only covers the
    C11 mtx_* calls TSan does not intercept)."""
    small = {"bank": ["--tellers", "4", "--accounts", "8",
                      "--transfers", "5000", "--hold-us", "1000"],
             "workqueue": ["--producers", "2", "--consumers", "3",
                           "--items", "5000", "--capacity", "4"],
             "rwcache": ["--readers", "3", "--lookups", "20000",
                         "--refresh-us", "10"]}
    out_dir = os.path.join(args.work, "tsan")
    os.makedirs(out_dir, exist_ok=True)
    supp = os.path.join(args.examples, "tsan.supp")
    env = dict(os.environ, TSAN_OPTIONS=f"suppressions={supp} "
               "halt_on_error=1 exitcode=66")
    for name, argv in small.items():
        exe = os.path.join(out_dir, name)
        run_ok([args.cc, "-std=c11", "-O1", "-g", "-fsanitize=thread",
                "-Wall", "-Wextra", "-Werror"]
               + [os.path.join(example_dir(args, name), s)
                  for s in EXAMPLES[name]] + ["-lpthread", "-o", exe])
        rc, out, err = run([exe] + argv, env=env)
        if "FATAL: ThreadSanitizer" in err and "memory" in err:
            raise Skip("ThreadSanitizer cannot run here: " + err[:200])
        check(rc == 0 and "WARNING: ThreadSanitizer" not in err,
              f"{name} under TSan exited {rc}:\n{err[-4000:]}")


def test_demo(args):
    """The README's demo, minus installing and building (the build tree is
    this one): instruments bank, runs it, prints the report."""
    build = os.path.dirname(os.path.dirname(os.path.abspath(args.lockinstr)))
    env = dict(os.environ, LOCKINSTR_DEMO_PREBUILT="1",
               LOCKINSTR_DEMO_BUILD=build, CC=args.cc, CFLAGS=args.cflags)
    out, err = run_ok(["sh", os.path.join(args.examples, "demo.sh"), "bank",
                       "--transfers", "20000"], env=env)
    sys.stdout.write(out + err)
    check("bank: total balance" in out and "FAILED" not in out,
          "the demo's program did not run its checks")
    for want in ("lockinstr report: program bank", "ledger_record",
                 "struct account.lock"):
        check(want in out, f"the demo's report does not show {want!r}")


def build_quiet(args):
    """tests/e2e/progs/quiet.c built plain and instrumented (the CLI, then
    the project's compiler); returns (plain, instrumented) executables."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "progs")
    work = os.path.join(args.work, "quiet")
    shutil.rmtree(work, ignore_errors=True)
    out_dir = os.path.join(work, "li-out")
    run_ok([args.lockinstr, "quiet.c", "-o", out_dir], cwd=src)
    exes = []
    for name, c in (("plain", os.path.join(src, "quiet.c")),
                    ("instr", os.path.join(out_dir, "quiet.c"))):
        exes.append(os.path.join(work, name))
        run_ok([args.cc, "-O1", "-Wall", "-Werror"] + shlex.split(args.cflags)
               + ["-I" + args.include, c]
               + ([args.runtime] if name == "instr" else [])
               + shlex.split(args.ldlibs) + ["-o", exes[-1]])
    return exes


def run_bytes(cmd, cwd, env):
    """Runs cmd with stdout and stderr as pipes; returns (rc, out, err) as
    bytes."""
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def test_quiet(args):
    """Issue #18 items 6 and 7: the instrumented program behaves as the
    plain one. Its stdout and stderr (pipes, as under a test suite) are the
    plain build's, byte for byte; --version (no lock taken) leaves no file;
    a run with locks writes lockinstr.<pid>.json in the working directory,
    or in the directory LOCKINSTR_OUTPUT names; the summary appears only
    when asked (LOCKINSTR_SUMMARY=1)."""
    plain, instr = build_quiet(args)
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("LOCKINSTR_")}
    for argv in (["--version"], []):
        cwd = os.path.join(args.work, "quiet", "run" + "".join(argv))
        os.makedirs(cwd)
        want = run_bytes([plain] + argv, cwd, base)
        got = run_bytes([instr] + argv, cwd, base)
        eq(got, want, f"rc, stdout, stderr of quiet {' '.join(argv)}")
        files = os.listdir(cwd)
        if argv:
            eq(files, [], "files left by --version")
            continue
        eq(len(files), 1, "profiles written")
        with open(os.path.join(cwd, files[0])) as f:
            prof = json.load(f)
        eq(files[0], f"lockinstr.{prof['pid']}.json", "the profile's name")
        eq(sum(s["acquisitions"] for s in prof["sites"]
               if s["api"] == "pthread_mutex_lock"), 2000, "acquisitions")
    # LOCKINSTR_OUTPUT naming a directory: one file per process inside
    outdir = os.path.join(args.work, "quiet", "profiles")
    os.makedirs(outdir)
    for _ in range(2):
        rc, out, err = run_bytes([instr], args.work,
                                 dict(base, LOCKINSTR_OUTPUT=outdir + "/"))
        eq((rc, err), (0, b"quiet: done\n"), "rc and stderr")
    eq(len(os.listdir(outdir)), 2, "per-process profiles in the directory")
    rc, out, err = run_bytes([instr, "--version"], args.work,
                             dict(base, LOCKINSTR_OUTPUT=outdir))
    eq(len(os.listdir(outdir)), 2, "profiles after --version")
    # asked for: the summary
    rc, out, err = run_bytes([instr], args.work,
                             dict(base, LOCKINSTR_OUTPUT=outdir,
                                  LOCKINSTR_SUMMARY="1"))
    check(err.startswith(b"quiet: done\nlockinstr: profile written to "
                         + outdir.encode() + b"/lockinstr."),
          f"the summary with LOCKINSTR_SUMMARY=1: {err!r}")


TESTS = {
    "build-bank": lambda a: build(a, "bank"),
    "build-workqueue": lambda a: build(a, "workqueue"),
    "build-rwcache": lambda a: build(a, "rwcache"),
    "bank-counts": test_bank_counts,
    "bank-hold": test_bank_hold,
    "bank-lock-order": test_bank_lock_order,
    "workqueue-counts": test_workqueue_counts,
    "rwcache-counts": test_rwcache_counts,
    "report-top": test_report_top,
    "diff-gate": test_diff_gate,
    "pprof": test_pprof,
    "html": test_html,
    "make": test_make,
    "cmake": test_cmake,
    "tsan": test_tsan,
    "demo": test_demo,
    "quiet": test_quiet,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lockinstr", required=True, help="the lockinstr command")
    ap.add_argument("--runtime", required=True, help="liblockinstr.a")
    ap.add_argument("--include", required=True, help="lockinstr's include dir")
    ap.add_argument("--examples", required=True, help="the examples/ dir")
    ap.add_argument("--work", required=True, help="scratch dir (build tree)")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--cflags", default="", help="extra compile+link flags "
                    "(the build's sanitizer flags)")
    ap.add_argument("--ldlibs", default="-lpthread")
    ap.add_argument("test", choices=sorted(TESTS))
    args = ap.parse_args()
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    try:
        TESTS[args.test](args)
    except Skip as e:
        print(f"SKIP: {e}")
        return SKIP
    except Fail as e:
        print(f"FAIL: {e}")
        return 1
    print(f"PASS: {args.test}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
