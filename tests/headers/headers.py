#!/usr/bin/env python3
"""headers.py -- end-to-end tests of project headers and compile databases
(issue #9). Each test writes a small project into its own scratch
directory, instruments it with the lockinstr CLI (or builds it with the
lockinstr-cc launcher), compiles, runs, and checks the profile (JSON) site
by site: one site per use line of a header lock macro, with the function
using it and its exact acquisition count; one site for a header inline
helper's call, with the sum over every file that calls it.

    headers.py --lockinstr L --runtime LIB --include DIR --work DIR
               --cc CC [--launcher LOCKINSTR_CC] [--cflags F] TEST
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

A = None  # the parsed arguments

LOCKUTIL_H = r"""/* The project's lock helpers. */
#ifndef LOCKUTIL_H
#define LOCKUTIL_H
#include <pthread.h>

#define MUTEX_LOCK(m) pthread_mutex_lock(m)
#define MUTEX_UNLOCK(m) pthread_mutex_unlock(m)
#define STAT_INC(s) do { MUTEX_LOCK(&(s)->mu); (s)->n++; MUTEX_UNLOCK(&(s)->mu); } while (0)

struct stat_ctr { pthread_mutex_t mu; long n; };

static inline void ctr_add(struct stat_ctr *c, long v) {
  pthread_mutex_lock(&c->mu);
  c->n += v;
  pthread_mutex_unlock(&c->mu);
}

static inline void ctr_bump(struct stat_ctr *c) {
  MUTEX_LOCK(&c->mu);
  c->n++;
  MUTEX_UNLOCK(&c->mu);
}
#endif
"""

A_C = r"""#include "lockutil.h"
#define A_LOCKED(x) do { MUTEX_LOCK(&ca.mu); x; MUTEX_UNLOCK(&ca.mu); } while (0)
struct stat_ctr ca = {PTHREAD_MUTEX_INITIALIZER, 0};
static void a_more(void) {
  A_LOCKED(ca.n += 2);
}
void a_work(int n) {
  for (int i = 0; i < n; i++) {
    MUTEX_LOCK(&ca.mu);
    ca.n++;
    MUTEX_UNLOCK(&ca.mu);
  }
  ctr_add(&ca, 1);
  a_more();
  a_more();
}
"""

B_C = r"""#include <stdio.h>
#include "lockutil.h"
extern struct stat_ctr ca;
void a_work(int n);
void c_work(void);
static void b_loop(void) {
  for (int i = 0; i < 5; i++) {
    MUTEX_LOCK(&ca.mu);
    MUTEX_UNLOCK(&ca.mu);
  }
}
int main(void) {
  a_work(3);
  b_loop();
  for (int i = 0; i < 2; i++)
    STAT_INC(&ca);
  for (int i = 0; i < 4; i++)
    ctr_add(&ca, 1);
  ctr_bump(&ca);
  ctr_bump(&ca);
  c_work();
  printf("n=%ld\n", ca.n);
  return 0;
}
"""

# Not instrumented, compiled against the header's copy: its macro use is
# the plain call (the copy's fallback), its inline helper call still the
# header's site.
C_C = r"""#include "lockutil.h"
extern struct stat_ctr ca;
void c_work(void) {
  MUTEX_LOCK(&ca.mu);
  ca.n++;
  MUTEX_UNLOCK(&ca.mu);
  ctr_add(&ca, 1);
}
"""


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def run(cmd, cwd, env=None, ok=True):
    e = dict(os.environ)
    for k in list(e):
        if k.startswith("LOCKINSTR_"):
            del e[k]
    if env:
        e.update(env)
    p = subprocess.run(cmd, cwd=cwd, env=e, capture_output=True, text=True)
    if ok and p.returncode != 0:
        fail("%s exited %d\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p


def scratch(name):
    d = os.path.join(A.work, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def write(d, rel, text):
    p = os.path.join(d, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(text)


def line_of(text, needle, nth=1):
    """1-based line of the nth line holding needle."""
    hits = [i + 1 for i, l in enumerate(text.splitlines()) if needle in l]
    if len(hits) < nth:
        fail("no line %d holding %r" % (nth, needle))
    return hits[nth - 1]


def cflags():
    return ["-Wall", "-Wextra", "-Werror", "-I" + A.include] + A.cflags.split()


def link(d, objs, out, cc=None):
    run([cc or A.cc] + A.cflags.split() + objs + [A.runtime, "-lpthread", "-lm", "-o", out], d)


def profile(d, prog):
    path = os.path.join(d, "profile.json")
    run([prog], d, {"LOCKINSTR_OUTPUT": path, "LOCKINSTR_QUIET": "1"})
    with open(path) as f:
        return json.load(f)


def sites_by_key(prof):
    """(file, line, api) -> site; fails on a duplicate."""
    out = {}
    for s in prof["sites"]:
        k = (s["file"], s["line"], s["api"])
        if k in out:
            fail("duplicate site in the profile: %s:%d %s" % k)
        out[k] = s
    return out


def expect(sites, file, line, api, function, acq):
    s = sites.get((file, line, api))
    if not s:
        fail("no site %s:%d %s; sites: %s" % (file, line, api, sorted(sites)))
    if s["function"] != function:
        fail("%s:%d: function %r, want %r" % (file, line, s["function"], function))
    if s["acquisitions"] != acq:
        fail("%s:%d %s: %d acquisitions, want %d" % (file, line, api, s["acquisitions"], acq))


def lock_project(d):
    write(d, "src/lockutil.h", LOCKUTIL_H)
    write(d, "src/a.c", A_C)
    write(d, "src/b.c", B_C)
    write(d, "other/c.c", C_C)


def check_lock_profile(prof, with_c):
    """The sites of the lock project, with or without other/c.c's calls."""
    s = sites_by_key(prof)
    lock, unlock = "pthread_mutex_lock", "pthread_mutex_unlock"
    a_use = line_of(A_C, "    MUTEX_LOCK(&ca.mu);")
    expect(s, "src/a.c", a_use, lock, "a_work", 3)
    # through a macro of a.c that uses the header's macro
    expect(s, "src/a.c", line_of(A_C, "A_LOCKED(ca.n"), lock, "a_more", 2)
    expect(s, "src/b.c", line_of(B_C, "MUTEX_LOCK(&ca.mu)"), lock, "b_loop", 5)
    expect(s, "src/b.c", line_of(B_C, "MUTEX_UNLOCK(&ca.mu)"), unlock, "b_loop", 0)
    expect(s, "src/b.c", line_of(B_C, "STAT_INC(&ca)"), lock, "main", 2)
    helper = line_of(LOCKUTIL_H, "pthread_mutex_lock(&c->mu)")
    # one site for the helper's call: a.c's 1 + b.c's 4 (+ c.c's 1)
    expect(s, "src/lockutil.h", helper, lock, "ctr_add", 6 if with_c else 5)
    expect(s, "src/lockutil.h", line_of(LOCKUTIL_H, "MUTEX_LOCK(&c->mu)"), lock, "ctr_bump", 2)
    files = sorted({k[0] for k in s})
    if files != ["src/a.c", "src/b.c", "src/lockutil.h"]:
        fail("sites in files %s (c.c must have none: it is not instrumented)" % files)
    n = len(s)
    # a.c: a_work's and a_more's lock+unlock; b.c: b_loop's and STAT_INC's;
    # header: ctr_add's and ctr_bump's
    if n != 12:
        fail("%d sites in the profile, want 12: %s" % (n, sorted(s)))


def t_cli():
    """Two files and a header through the CLI; a third file not
    instrumented but compiled against the copy."""
    d = scratch("cli-" + os.path.basename(A.cc))
    lock_project(d)
    p = run([A.lockinstr, "--verbose", "src/a.c", "src/b.c", "-o", "out"], d)
    # 12 sites, and the unattributed entry of each of the 6 macro calls
    if "lockinstr: 18 sites in 3 of 3 files; 0 not instrumented" not in p.stderr:
        fail("summary: %s" % p.stderr)
    hdr = open(os.path.join(d, "out/src/lockutil.h")).read()
    if '#line 1 "src/lockutil.h"' not in hdr:
        fail("header copy has no #line naming the original")
    # lines never move: line k of the original is line k after #line 1
    body = hdr.split('#line 1 "src/lockutil.h"\n', 1)[1].splitlines()
    orig = LOCKUTIL_H.splitlines()
    for i, l in enumerate(orig):
        if "pthread_mutex" not in l and body[i] != l:
            fail("header line %d moved or changed: %r" % (i + 1, body[i]))
    objs = []
    for src in ["out/src/a.c", "out/src/b.c"]:
        o = os.path.basename(src) + ".o"
        run([A.cc] + cflags() + ["-c", src, "-o", o], d)
        objs.append(o)
    # c.c: plain compile against the copy (its -I flag first)
    run([A.cc] + cflags() + ["-Iout/src", "-Isrc", "-c", "other/c.c", "-o", "c.o"], d)
    link(d, objs + ["c.o"], "prog")
    check_lock_profile(profile(d, "./prog"), True)
    # a diagnostic inside the header copy points at the original header
    write(d, "src/warn.h", '#include <pthread.h>\nstatic inline int w(pthread_mutex_t *m) {\n  int unused_w = 0;\n  return pthread_mutex_lock(m);\n}\n')
    write(d, "src/w.c", '#include "warn.h"\nint ww(pthread_mutex_t *m) { return w(m); }\n')
    run([A.lockinstr, "src/w.c", "-o", "out"], d)
    p = run([A.cc, "-Wall", "-I" + A.include, "-c", "out/src/w.c", "-o", "w.o"], d)
    if not re.search(r"^src/warn\.h:3:7: warning: unused variable .unused_w", p.stderr, re.M):
        fail("diagnostic not on the original header:\n" + p.stderr)


def t_launcher():
    """The same program built with CC="lockinstr-cc CC"."""
    if not A.launcher:
        fail("no --launcher")
    d = scratch("launcher")
    lock_project(d)
    env = {"LOCKINSTR_TOOL": A.lockinstr, "LOCKINSTR_CC_STRICT": "1"}
    cc = [A.launcher, A.cc]
    for src in ["src/a.c", "src/b.c"]:
        run(cc + cflags() + ["-c", src, "-o", os.path.basename(src) + ".o"], d, env)
    run([A.cc] + cflags() + ["-Isrc", "-c", "other/c.c", "-o", "c.o"], d)
    # the launcher links the runtime itself
    run(cc + ["a.c.o", "b.c.o", "c.o", "-lpthread", "-o", "prog"], d, env)
    prof = profile(d, "./prog")
    s = sites_by_key(prof)
    # c.o was built from the original header: its ctr_add is not counted
    check_lock_profile(prof, False)
    del s


SDS_H = r"""/* %(d)s's own sds.h: a lock macro on a field only %(d)s has. */
#ifndef SDS_H
#define SDS_H
#include <pthread.h>
#include "config.h"
struct sds { pthread_mutex_t %(d)s_mu; int v; };
#define SDS_LOCK(s) pthread_mutex_lock(&(s)->%(d)s_mu)
#define SDS_UNLOCK(s) pthread_mutex_unlock(&(s)->%(d)s_mu)
static inline void sds_touch(struct sds *s) {
  SDS_LOCK(s);
  s->v += CONFIG_STEP;
  SDS_UNLOCK(s);
}
#endif
"""

CONFIG_H = "#define CONFIG_STEP %d\n#define CONFIG_NAME \"%s\"\n"

DIR_C = r"""#include <sds.h>
#include "config.h"
static struct sds s_%(d)s = {PTHREAD_MUTEX_INITIALIZER, 0};
int %(d)s_run(void) {
  for (int i = 0; i < CONFIG_STEP; i++) {
    SDS_LOCK(&s_%(d)s);
    SDS_UNLOCK(&s_%(d)s);
  }
  sds_touch(&s_%(d)s);
  return s_%(d)s.v;
}
"""


def t_compdb():
    """Two directories, each with its own config.h and sds.h, found through
    each entry's own -I and directory; a file listed twice."""
    d = scratch("compdb")
    for name, step in (("one", 2), ("two", 3)):
        write(d, name + "/inc/sds.h", SDS_H % {"d": name})
        write(d, name + "/config.h", CONFIG_H % (step, name))
        write(d, name + "/%s.c" % name, DIR_C % {"d": name})
    write(d, "main.c", '#include <stdio.h>\nint one_run(void);\nint two_run(void);\n'
          'int main(void) { printf("%d %d\\n", one_run(), two_run()); return 0; }\n')
    entries = []
    for name in ("one", "two"):
        entries.append({"directory": os.path.join(d, name),
                        "command": "gcc -I. -Iinc -O2 -c -o %s.o %s.c" % (name, name),
                        "file": name + ".c"})
    # one.c again with other flags (a debug build): first entry wins, noted
    entries.append({"directory": os.path.join(d, "one"),
                    "command": "gcc -I. -Iinc -O0 -DDEBUG -c -o one-dbg.o one.c",
                    "file": "one.c"})
    entries.append({"directory": d, "command": "gcc -c main.c", "file": "main.c"})
    entries.append({"directory": d, "command": "g++ -c x.cc", "file": "x.cc"})
    write(d, "build/compile_commands.json", json.dumps(entries, indent=1))
    p = run([A.lockinstr, "-p", "build", "-o", "out", "--list-sites"], d)
    if not re.search(r"one/one\.c: note: listed again in compile_commands\.json with other flags \(entry 3\); "
                     r"instrumented once, with the flags of entry 1", p.stderr):
        fail("no note for the file listed twice:\n" + p.stderr)
    # 8 sites, all in macros: each with its unattributed entry
    if "lockinstr: 16 sites in 4 of 5 files; 0 not instrumented" not in p.stderr:
        fail("summary:\n" + p.stderr)
    doc = json.loads(p.stdout)
    inputs = {i["input"]: i for i in doc["inputs"]}
    if sorted(inputs) != ["main.c", "one/one.c", "two/two.c"]:
        fail("inputs %s" % sorted(inputs))
    for name in ("one", "two"):
        flags = inputs[name + "/" + name + ".c"]["include_flags"]
        want = ["-I" + os.path.join(d, "out", name), "-I" + os.path.join(d, "out", name, "inc")]
        if flags != want:
            fail("%s: include flags %s, want %s" % (name, flags, want))
        hdr = open(os.path.join(d, "out", name, "inc", "sds.h")).read()
        if name + "_mu" not in hdr or ("two_mu" if name == "one" else "one_mu") in hdr:
            fail("out/%s/inc/sds.h is not %s's sds.h" % (name, name))
    exprs = {(s["input"], s["expr"]) for s in doc["sites"]}
    for name in ("one", "two"):
        if ("%s/%s.c" % (name, name), "&(&s_%s)->%s_mu" % (name, name)) not in exprs:
            fail("%s.c's site was parsed with the other directory's sds.h: %s" % (name, sorted(exprs)))
    objs = []
    for name in ("one", "two"):  # compile each with its include flags first
        fl = inputs[name + "/" + name + ".c"]["include_flags"]
        run([A.cc] + cflags() + fl + ["-I" + os.path.join(d, name), "-I" + os.path.join(d, name, "inc"),
             "-c", "out/%s/%s.c" % (name, name), "-o", name + ".o"], d)
        objs.append(name + ".o")
    run([A.cc] + cflags() + ["-c", "out/main.c", "-o", "main.o"], d)
    link(d, objs + ["main.o"], "prog")
    prof = profile(d, "./prog")
    s = sites_by_key(prof)
    use = line_of(DIR_C, "SDS_LOCK(&s_")
    touch = line_of(SDS_H, "SDS_LOCK(s);")
    for name, step in (("one", 2), ("two", 3)):
        expect(s, "%s/%s.c" % (name, name), use, "pthread_mutex_lock", name + "_run", step)
        expect(s, "%s/inc/sds.h" % name, touch, "pthread_mutex_lock", "sds_touch", 1)
        site = s[("%s/inc/sds.h" % name, touch, "pthread_mutex_lock")]
        if site["class"] != "struct sds.%s_mu" % name:
            fail("class %s" % site["class"])


def t_outside_root():
    """A header outside the root is not the project's (noted); with
    --header-dir it is, copied under OUTDIR/_abs, and found through -I."""
    d = scratch("outside-root")
    write(d, "ext/ext.h", "#include <pthread.h>\nstatic inline int ext_lock(pthread_mutex_t *m) {\n"
          "  return pthread_mutex_lock(m);\n}\n")
    write(d, "proj/p.c", "#include <ext.h>\npthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;\n"
          "int main(void) { ext_lock(&pm); return pthread_mutex_unlock(&pm); }\n")
    proj = os.path.join(d, "proj")
    p = run([A.lockinstr, "--verbose", "p.c", "-o", "../out1", "--", "-I../ext"], proj)
    if not re.search(r"ext\.h:3:10: note: not instrumented: call to pthread_mutex_lock in function "
                     r"'ext_lock' of header .*ext\.h, which is not a project header", p.stderr):
        fail("no note for the header outside the root:\n" + p.stderr)
    if "1 sites in 1 of 1 files; 1 not instrumented" not in p.stderr:
        fail("summary:\n" + p.stderr)
    p = run([A.lockinstr, "--header-dir", "../ext", "--print-include-flags", "p.c", "-o", "../out2",
             "--", "-I../ext"], proj)
    copy = os.path.join(d, "out2", "_abs" + os.path.join(d, "ext"))
    if p.stdout != "-I%s\n" % copy:
        fail("--print-include-flags printed %r, want %r" % (p.stdout, "-I" + copy + "\n"))
    if "2 sites in 2 of 2 files; 0 not instrumented" not in p.stderr:
        fail("summary:\n" + p.stderr)
    run([A.cc] + cflags() + p.stdout.split() + ["-I../ext", "../out2/p.c", "-o", "../prog",
         A.runtime, "-lpthread", "-lm"], proj)
    s = sites_by_key(profile(d, "./prog"))
    # outside the current directory: named by its absolute path
    expect(s, os.path.join(d, "ext/ext.h"), 3, "pthread_mutex_lock", "ext_lock", 1)


def t_vendored():
    """lockinstr's own headers, vendored under the root, are never
    instrumented (their wrappers call the real functions)."""
    d = scratch("vendored")
    shutil.copytree(A.include, os.path.join(d, "vendor/include"))
    write(d, "v.c", "#include <lockinstr.h>\n#include <pthread.h>\npthread_mutex_t vm = PTHREAD_MUTEX_INITIALIZER;\n"
          "int main(void) { pthread_mutex_lock(&vm); return pthread_mutex_unlock(&vm); }\n")
    p = run([A.lockinstr, "v.c", "-o", "out", "--", "-Ivendor/include"], d)
    if os.path.exists(os.path.join(d, "out/vendor")):
        fail("lockinstr's own headers were copied: %s" % os.listdir(os.path.join(d, "out/vendor/include")))
    if "2 sites in 1 of 1 files; 0 not instrumented" not in p.stderr:
        fail("summary:\n" + p.stderr)
    run([A.cc] + cflags() + ["out/v.c", "-o", "prog", A.runtime, "-lpthread", "-lm"], d)
    s = sites_by_key(profile(d, "./prog"))
    expect(s, "v.c", 4, "pthread_mutex_lock", "main", 1)


def t_progress():
    """Plain progress lines when stderr is not a terminal; none with
    --quiet."""
    d = scratch("progress")
    names = []
    for i in range(250):
        n = "f%03d.c" % i
        write(d, n, "#include <pthread.h>\nint f%d(pthread_mutex_t *m) { return pthread_mutex_lock(m); }\n" % i)
        names.append(n)
    p = run([A.lockinstr, "-j", "2"] + names + ["-o", "out"], d)
    got = [l for l in p.stderr.splitlines() if "/250 files" in l]
    if got != ["lockinstr: 100/250 files, 100 sites", "lockinstr: 200/250 files, 200 sites"]:
        fail("progress lines: %s" % got)
    if "lockinstr: 250 sites in 250 of 250 files; 0 not instrumented" not in p.stderr:
        fail("summary:\n" + p.stderr)
    p = run([A.lockinstr, "-j", "2", "--quiet"] + names + ["-o", "out2"], d)
    if p.stderr:
        fail("--quiet printed: " + p.stderr)


TESTS = {"cli": t_cli, "launcher": t_launcher, "compdb": t_compdb,
         "outside-root": t_outside_root, "progress": t_progress,
         "vendored": t_vendored}


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("--lockinstr", required=True)
    ap.add_argument("--runtime", required=True)
    ap.add_argument("--include", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--launcher")
    ap.add_argument("--cflags", default="")
    ap.add_argument("test", choices=sorted(TESTS))
    A = ap.parse_args()
    TESTS[A.test]()


if __name__ == "__main__":
    main()
