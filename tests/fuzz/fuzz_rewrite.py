#!/usr/bin/env python3
"""fuzz_rewrite.py -- mutation fuzzing of the rewriter (issue 20).

Takes the golden inputs of tests/rewrite (NAME.c and the local headers),
mutates one of them at a time with a seeded random generator (lines
deleted, duplicated, swapped; lock calls, macros, includes, line splices,
#if/#line, braces, invalid UTF-8, CR LF, NUL bytes inserted), runs
`lockinstr` on it and checks what the tool must never do:

  crash     the tool died of a signal (or a sanitizer's exit status)
  hang      the tool ran longer than --timeout seconds
  bad-out   the tool exited 0, the mutated input compiles, but one of
            the outputs (the .c file or a header copy) does not

Each failing case is kept under WORK/failures/N-KIND/ (the input, the
headers, the tool's stderr, the compiler's) with a one-line summary on
stderr; the exit status is 1 if any failed. The same --seed and --cases
give the same cases (the CTest run), --seconds bounds a longer run:

  tests/fuzz/fuzz_rewrite.py --lockinstr build/tool/lockinstr \\
      --include include --seeds tests/rewrite --work /tmp/fz \\
      --seed 7 --seconds 600

Inputs are compiled with `CC -fsyntax-only -w -DLOCKINSTR_INSTRUMENTED=1`
(the output defines it, and a program may test it) (gcc by default: the
compiler the instrumented build uses; the tool itself parses with
clang, so an input only clang rejects is refused by the tool, not a
failure).
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import time

# Text the mutator inserts at a line boundary: the constructs the
# rewriter handles specially, and ones that break it when misplaced.
SNIPPETS = [
    "pthread_mutex_lock(&fz_m);",
    "pthread_mutex_unlock(&fz_m);",
    "(void)pthread_mutex_trylock(&fz_m);",
    "pthread_rwlock_rdlock(&fz_rw);",
    "mtx_lock(&fz_c11);",
    "pthread_mutex_t fz_m = PTHREAD_MUTEX_INITIALIZER;",
    "pthread_rwlock_t fz_rw = PTHREAD_RWLOCK_INITIALIZER;",
    "#include <pthread.h>",
    "#include <threads.h>",
    "mtx_t fz_c11;",
    "#define FZ_LOCK(m) pthread_mutex_lock(m)",
    "#define FZ_WITH(m, s) do { pthread_mutex_lock(m); s; "
    "pthread_mutex_unlock(m); } while (0)",
    "#define FZ_CAT(a, b) a##b",
    "FZ_CAT(pthread_mutex_, lock)(&fz_m);",
    "FZ_LOCK(&fz_m);",
    "FZ_WITH(&fz_m, (void)0);",
    "#define FZ_STR(x) #x",
    "(void)FZ_STR(pthread_mutex_lock(&fz_m));",
    "pthread_mutex_un\\\nlock(&fz_m);",
    "#if 0", "#endif", "#if 1", "#else", "{", "}", ";",
    "#line 40 \"other.c\"",
    "#pragma once",
    "/* pthread_mutex_lock(&fz_m); */",
    "\"pthread_mutex_lock(\"",
    "static int fz_f(pthread_mutex_t *m) { return pthread_mutex_lock(m); }",
    "int (*fz_p)(pthread_mutex_t *) = pthread_mutex_lock;",
    "#define pthread_mutex_lock(m) 0",
    "#undef pthread_mutex_lock",
    "_Static_assert(1, \"x\");",
    "#include LOCKINSTR_FZ_MISSING",
]

RAW = [b"\xff", b"\xe9", b"\r\n", b"\x00", b"\\\n", b"??/\n", b"\xef\xbb\xbf"]


def seed_inputs(seeds):
    """Returns the seed sources: [(name, bytes)] and the headers."""
    cs, hs = [], []
    for f in sorted(os.listdir(seeds)):
        path = os.path.join(seeds, f)
        if f.endswith(".expected.c") or f.endswith(".expected.h"):
            continue
        with open(path, "rb") as fh:
            data = fh.read()
        if f.endswith(".c"):
            cs.append((f, data))
        elif f.endswith(".h"):
            hs.append((f, data))
    return cs, hs


def mutate(rng, data, headers):
    """Returns data with 1 to 4 random mutations applied."""
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        at = rng.randrange(len(lines) + 1)
        if op == 0 and lines:
            del lines[min(at, len(lines) - 1)]
        elif op == 1 and lines:
            i = min(at, len(lines) - 1)
            lines.insert(i, lines[i])
        elif op == 2 and len(lines) > 1:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3 and headers:
            h = rng.choice(headers)[0]
            lines.insert(at, b'#include "' + h.encode() + b'"')
        elif op == 4 and lines:
            i = min(at, len(lines) - 1)
            ln = lines[i]
            k = rng.randrange(len(ln) + 1)
            lines[i] = ln[:k] + rng.choice(RAW) + ln[k:]
        elif op == 5 and lines:  # a splice inside a word
            i = min(at, len(lines) - 1)
            ln = lines[i]
            if ln:
                k = rng.randrange(len(ln))
                lines[i] = ln[:k] + b"\\\n" + ln[k:]
        else:
            lines.insert(at, rng.choice(SNIPPETS).encode())
    return b"\n".join(lines)


def run(cmd, cwd, timeout):
    """Runs cmd; returns (status, stderr) with status None on a timeout.
    A program that cannot be started (being relinked during a long run)
    is tried again for up to a minute."""
    for attempt in range(60):
        try:
            p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=timeout)
            return p.returncode, p.stderr
        except subprocess.TimeoutExpired as e:
            return None, e.stderr or b""
        except OSError:
            if attempt == 59:
                raise
            time.sleep(1)
    return None, b""


def compiles(cc, path, cwd, incs):
    """Returns (ok, messages) for CC -fsyntax-only of path."""
    rc, err = run([cc, "-fsyntax-only", "-w", "-std=gnu11"] + incs + [path],
                  cwd, 60)
    return rc == 0, err


def check(a, d, name, data, headers):
    """Runs one case in directory d. Returns (kind, details) for a
    failure, ("ok", b"") when an output was compiled, or None (the tool
    or the compiler refused the input)."""
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for h, hd in headers:
        with open(os.path.join(d, h), "wb") as fh:
            fh.write(hd)
    with open(os.path.join(d, name), "wb") as fh:
        fh.write(data)
    rc, err = run([a.lockinstr, name, "-o", "out"], d, a.timeout)
    if rc is None:
        return "hang", err
    if rc < 0 or rc >= 2:  # 0 done, 1 a file failed (documented)
        return "crash", err
    # the output defines LOCKINSTR_INSTRUMENTED (docs/rewriter.md): the
    # input is compiled as the output's #if branches read it
    if rc != 0 or not compiles(a.cc, name, d,
                               ["-I.", "-DLOCKINSTR_INSTRUMENTED=1"])[0]:
        return None
    ok, cerr = compiles(a.cc, os.path.join("out", name), d,
                        ["-I" + a.include, "-I."])  # the original dir too
    if not ok:
        return "bad-out", err + b"\n--- " + a.cc.encode() + b":\n" + cerr
    return "ok", b""


def keep(a, n, kind, d, details):
    """Moves the failing case d to WORK/failures/N-KIND."""
    dest = os.path.join(a.work, "failures", "%d-%s" % (n, kind))
    shutil.rmtree(dest, ignore_errors=True)
    shutil.move(d, dest)
    with open(os.path.join(dest, "details.txt"), "wb") as fh:
        fh.write(details)
    return dest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lockinstr", required=True)
    ap.add_argument("--include", required=True, help="the include/ dir")
    ap.add_argument("--seeds", required=True, help="tests/rewrite")
    ap.add_argument("--work", required=True)
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=0, help="0: no limit")
    ap.add_argument("--seconds", type=float, default=0, help="0: no limit")
    ap.add_argument("--timeout", type=float, default=30)
    a = ap.parse_args()
    a.lockinstr = os.path.abspath(a.lockinstr)
    a.include = os.path.abspath(a.include)
    if not a.cases and not a.seconds:
        ap.error("give --cases or --seconds")
    cs, hs = seed_inputs(a.seeds)
    rng = random.Random(a.seed)
    os.makedirs(a.work, exist_ok=True)
    start, n, failed, compiled = time.monotonic(), 0, 0, 0
    d = os.path.join(a.work, "case")
    while (not a.cases or n < a.cases) and \
            (not a.seconds or time.monotonic() - start < a.seconds):
        name, data = rng.choice(cs)
        r = check(a, d, name, mutate(rng, data, hs), hs)
        n += 1
        compiled += r is not None and r[0] == "ok"
        if r and r[0] != "ok":
            failed += 1
            dest = keep(a, n, r[0], d, r[1])
            print("fuzz_rewrite: case %d (%s): %s: %s" %
                  (n, name, r[0], dest), file=sys.stderr)
    print("fuzz_rewrite: %d cases (%d outputs compiled), %d failed "
          "(seed %d, %.0f s)" % (n, compiled, failed, a.seed,
                                 time.monotonic() - start), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
