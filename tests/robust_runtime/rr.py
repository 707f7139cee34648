#!/usr/bin/env python3
"""The runtime inside someone else's process (issue #7): real programs
linked with liblockinstr (built by CMake from this directory, or, for the
dlopen case, instrumented by the real lockinstr at test time) are run in
hostile conditions; each test checks the exact stderr, the exit status,
what the program printed (its own result, unchanged), the profile's exact
counts and what is, and is not, on disk. docs/errors.md ("Runtime") lists
every case with its message.

    rr.py --bin DIR --work DIR [--lockinstr L --include I --cc CC
          --cflags F --rtdir D] TEST

Exit 0 pass, 1 fail, 77 skipped (with the reason on stdout).
"""
import argparse
import glob
import json
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile

NOBODY = 65534


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def eq(got, want, what):
    check(got == want, f"{what}: got {got!r}, want {want!r}")


A = None  # the parsed command line


def base_env(**extra):
    """The environment with no inherited LOCKINSTR_* and sanitizer-friendly
    settings, plus extra (a value of None removes the variable)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCKINSTR_")}
    env["LOCKINSTR_QUIET"] = "1"
    for k, v in extra.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def run(cmd, env, cwd, timeout=300, user=None):
    """Runs cmd; returns (exit status or -signal, stdout, stderr)."""
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}",
               "--clear-groups", "--"] + cmd
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def scratch(name):
    d = os.path.join(A.work, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    os.chmod(d, 0o755)
    return d


def prog(name):
    return os.path.join(A.bin, name)


def load(path):
    with open(path) as f:
        return json.load(f)


def site(prof, function, line, api=None):
    """The one site object of function at line (and api)."""
    got = [s for s in prof["sites"] if s["function"] == function
           and s["line"] == line and (api is None or s["api"] == api)]
    check(len(got) == 1, f"expected one site {function}:{line}, got {got}")
    return got[0]


def no_temp_files(d):
    left = [p for p in os.listdir(d) if p.endswith(".tmp")]
    check(not left, f"temporary files left in {d}: {left}")


def dropped_zero(prof):
    for k, v in prof["dropped"].items():
        eq(v, 0, f"dropped.{k}")


# ---------------------------------------------------------------- work.c

THREADS, ITERS = 4, 20000
RESULT = f"result={THREADS * ITERS}\n"


def work(d, env, action=None, user=None, exe=None):
    cmd = [exe or prog("work"), str(THREADS), str(ITERS)]
    if action:
        cmd.append(action)
    return run(cmd, env, d, user=user)


def check_work_counts(prof):
    eq(site(prof, "worker", 40)["acquisitions"], THREADS * ITERS,
       "work.c lock acquisitions")
    eq(site(prof, "worker", 42)["releases"], THREADS * ITERS,
       "work.c unlock releases")


def want_unchanged(rc, out):
    eq(rc, 0, "the program's exit status")
    eq(out, RESULT, "the program's output")


def msg(path, why):
    return f"lockinstr: error: cannot write the profile {path}: {why}\n"


# ------------------------------------------------------- case 1: output

def t_output_unwritable():
    """A directory the program cannot write to (mode 0555): as root the
    program runs as nobody (setpriv), since root writes anyway."""
    d = scratch("output_unwritable")
    user, exe = None, None
    if os.getuid() == 0:
        if not shutil.which("setpriv"):
            raise Skip("root without setpriv(1): permission bits cannot be tested")
        d = tempfile.mkdtemp(prefix="lockinstr-rr.")
        os.chmod(d, 0o755)
        exe = os.path.join(d, "work")
        shutil.copy(prog("work"), exe)  # nobody may not reach the build tree
        os.chmod(exe, 0o755)
        user = NOBODY
    try:
        ro = os.path.join(d, "ro")
        os.mkdir(ro)
        os.chmod(ro, 0o555)
        out = os.path.join(ro, "p.json")
        rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=out), user=user, exe=exe)
        want_unchanged(rc, o)
        eq(e, msg(out, "permission denied"), "stderr")
        eq(os.listdir(ro), [], "the unwritable directory's contents")
        # the summary says so too, when not quiet
        rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=out, LOCKINSTR_QUIET="0"),
                        user=user, exe=exe)
        want_unchanged(rc, o)
        check(e.startswith("lockinstr: no profile written (2 sites, 4 threads"),
              f"the summary's first line: {e!r}")
        eq(e.count(msg(out, "permission denied")), 1, "messages in " + e)
    finally:
        if user is not None:
            shutil.rmtree(d, ignore_errors=True)


def t_output_missing_dir():
    d = scratch("output_missing_dir")
    out = os.path.join(d, "nosuch", "sub", "p.%p.json")
    rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=out))
    want_unchanged(rc, o)
    want = (r"lockinstr: error: cannot write the profile "
            + re.escape(os.path.join(d, "nosuch", "sub", "p."))
            + r"\d+\.json: no such file or directory\n")
    check(re.fullmatch(want, e), f"stderr: {e!r}")
    check(not os.path.exists(os.path.join(d, "nosuch")), "nosuch was created")


def t_output_symlink():
    """A symbolic link at the output path is replaced, never followed: the
    file it points to is untouched, the profile is a regular file."""
    d = scratch("output_symlink")
    victim = os.path.join(d, "victim.txt")
    with open(victim, "w") as f:
        f.write("precious\n")
    out = os.path.join(d, "p.json")
    os.symlink(victim, out)
    dangling = os.path.join(d, "q.json")
    os.symlink(os.path.join(d, "nowhere", "x"), dangling)
    for path in (out, dangling):
        rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=path))
        want_unchanged(rc, o)
        eq(e, "", "stderr")
        st = os.lstat(path)
        check(stat.S_ISREG(st.st_mode), f"{path} is not a regular file now")
        check_work_counts(load(path))
    with open(victim) as f:
        eq(f.read(), "precious\n", "the symlink's target")
    check(not os.path.exists(os.path.join(d, "nowhere")), "followed the link")
    no_temp_files(d)


def t_output_tmp_symlink():
    """An attacker's symbolic links at the runtime's temporary names (they
    are predictable: .NAME.PID.N.tmp) are never opened through: the runtime
    skips to the next free name and the profile is written."""
    d = scratch("output_tmp_symlink")
    victim = os.path.join(d, "victim.txt")
    with open(victim, "w") as f:
        f.write("precious\n")
    out = os.path.join(d, "p.json")
    rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=out, RR_VICTIM=victim),
                    action="plant")
    want_unchanged(rc, o)
    eq(e, "", "stderr")
    with open(victim) as f:
        eq(f.read(), "precious\n", "the planted links' target")
    check(stat.S_ISREG(os.lstat(out).st_mode), "profile not a regular file")
    prof = load(out)
    check_work_counts(prof)
    planted = sorted(p for p in os.listdir(d) if p.endswith(".tmp"))
    eq(len(planted), 5, "planted links left alone")
    for p in planted:
        check(os.path.islink(os.path.join(d, p)), f"{p} replaced")
        check(p.startswith(f".p.json.{prof['pid']}."), f"{p}: pid")


def t_output_not_regular():
    """A FIFO (or device) at the output path is never replaced (root could
    rename over /dev/null); a directory there is not replaced: it gets a
    per-process lockinstr.PID.json inside."""
    d = scratch("output_not_regular")
    fifo = os.path.join(d, "fifo.json")
    os.mkfifo(fifo)
    rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=fifo))
    want_unchanged(rc, o)
    eq(e, msg(fifo, "not a regular file (a device, FIFO or socket is never "
              "replaced)"), "stderr")
    check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced")
    # a directory there is never replaced either: the profile goes inside
    dirp = os.path.join(d, "dir.json")
    os.mkdir(dirp)
    rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=dirp))
    want_unchanged(rc, o)
    eq(e, "", "stderr")
    inside = os.listdir(dirp)
    eq(len(inside), 1, "files in the directory")
    prof = load(os.path.join(dirp, inside[0]))
    eq(inside[0], f"lockinstr.{prof['pid']}.json", "the file's name")
    no_temp_files(d)


# ---------------------------------------------------- case 2: disk full

def t_disk_full_fsize():
    """RLIMIT_FSIZE of 256 bytes (SIGXFSZ at its default action, which
    kills): the write fails with EFBIG; one message; no profile, no
    temporary file; the program's status and output unchanged."""
    d = scratch("disk_full_fsize")
    out = os.path.join(d, "p.json")
    with open(out, "w") as f:  # an earlier profile stays whole
        f.write("earlier\n")
    rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=out), action="fsize")
    want_unchanged(rc, o)
    eq(e, msg(out, "file too large (RLIMIT_FSIZE)"), "stderr")
    eq(os.listdir(d), ["p.json"], "files left")
    with open(out) as f:
        eq(f.read(), "earlier\n", "the earlier profile")


def t_disk_full_tmpfs():
    """A real full file system: a 64 KiB tmpfs (needs root and mount in a
    private mount namespace; skipped otherwise), filled up by
    another file first; one message, nothing left behind."""
    if os.getuid() != 0 or not shutil.which("unshare"):
        raise Skip("mounting a small tmpfs needs root and unshare(1)")
    d = scratch("disk_full_tmpfs")
    mnt = os.path.join(d, "mnt")
    os.mkdir(mnt)
    out = os.path.join(mnt, "p.json")
    script = (f"mount -t tmpfs -o size=64k rr {shlex.quote(mnt)} || exit 77; "
              f"cat /dev/zero >{shlex.quote(mnt)}/filler 2>/dev/null; "
              f"{shlex.quote(prog('work'))} {THREADS} {ITERS}; rc=$?; "
              f"ls -A {shlex.quote(mnt)} >&2; exit $rc")
    rc, o, e = run(["unshare", "-m", "sh", "-c", script],
                   base_env(LOCKINSTR_OUTPUT=out), d)
    if rc == 77 or "unshare failed" in e or "Operation not permitted" in e:
        raise Skip(f"cannot mount a tmpfs here: {e.strip()}")
    want_unchanged(rc, o)
    eq(e, msg(out, "no space left on device") + "filler\n",
       "stderr (then the tmpfs's listing)")


# ---------------------------------------------- case 3: garbage variables

GARBAGE = [
    ("LOCKINSTR_SAMPLE_RATE", "lots",
     'is not a whole number from 0 (off) to 1000000000; using the default (100)'),
    ("LOCKINSTR_OUTPUT", "",
     'is not a file name; using the default (lockinstr.%p.json)'),
    ("LOCKINSTR_QUIET", "maybe", 'is not 1 or 0; using the default (0)'),
    ("LOCKINSTR_DISABLE", "perhaps", 'is not 1 or 0; using the default (0)'),
    ("LOCKINSTR_INTERVAL", "-1",
     'is not a number of seconds (0 = no periodic dumps); using the default (0)'),
    ("LOCKINSTR_SIGNAL", "KILL",
     'is not a signal name or number a program may catch (e.g. USR2); using '
     'the default (none)'),
]

# More garbage per variable: each must give exactly its one warning.
MORE_GARBAGE = {
    "LOCKINSTR_SAMPLE_RATE": ["-5", "1e3", " 5", "5x", "99999999999999999999",
                              "1000000001", "0x10", "\u00e9"],
    "LOCKINSTR_QUIET": ["2", "yes please", "\u00e9"],
    "LOCKINSTR_DISABLE": ["-1", "TRUE!"],
    "LOCKINSTR_INTERVAL": ["nan", "inf", "1e99", "5s", "", "0x"],
    "LOCKINSTR_SIGNAL": ["SEGV", "0", "9", "99", "USR3", "SIGKILL", "-10"],
}


def warning(name, value, text):
    return f'lockinstr: warning: {name}="{value}" {text}\n'


def t_env_garbage():
    """Every LOCKINSTR_* variable with garbage at once: one warning each, in
    a fixed order, then the defaults (profile at lockinstr.PID.json in the
    working directory, sample rate 100, recording on, the summary, no
    periodic or signal dumps); the program's result unchanged."""
    d = scratch("env_garbage")
    env = base_env(**{k: v for k, v, _ in GARBAGE})
    env["LOCKINSTR_EXCLUDE"] = "[unclosed,,\u00e9*"  # any text is a glob list
    rc, o, e = work(d, env)
    want_unchanged(rc, o)
    lines = e.splitlines(True)
    want = [warning(k, v, t) for k, v, t in GARBAGE]
    eq(lines[:len(want)], want, "the warnings")
    profiles = glob.glob(os.path.join(d, "lockinstr.*.json"))
    eq(len(profiles), 1, "profiles at the default path")
    prof = load(profiles[0])
    eq(os.path.basename(profiles[0]), f"lockinstr.{prof['pid']}.json", "name")
    eq(prof["sample_rate"], 100, "sample_rate")
    check_work_counts(prof)  # recording on, nothing excluded
    eq(lines[len(want):], [],
       "after the warnings (no summary: stderr is not a terminal)")
    eq(prof["reason"], "exit", "reason")
    eq(os.listdir(d), [os.path.basename(profiles[0])], "files written")
    # each variable alone, with more garbage: exactly one warning
    for name, values in MORE_GARBAGE.items():
        for v in values:
            out = os.path.join(d, "one.json")
            env = base_env(LOCKINSTR_OUTPUT=out, **{name: v})
            rc, o, e = work(d, env)
            want_unchanged(rc, o)
            if name == "LOCKINSTR_INTERVAL" and v == "":
                want_e = warning(name, v, GARBAGE[4][2])
            else:
                want_e = warning(name, v, dict((k, t) for k, _, t in GARBAGE)[name])
            eq(e, want_e, f"stderr for {name}={v!r}")
            prof = load(out)
            eq(prof["sample_rate"], 100, f"sample_rate for {name}={v!r}")
            check_work_counts(prof)
            eq(prof["reason"], "exit", "reason")
    # valid but extreme: a dump every microsecond while the threads work;
    # the interval dumps stop once the exit dump begins
    out = os.path.join(d, "tiny.json")
    rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=out,
                                LOCKINSTR_INTERVAL="0.000001"))
    want_unchanged(rc, o)
    eq(e, "", "stderr for a 1 us interval")
    prof = load(out)
    eq(prof["reason"], "exit", "reason with a 1 us interval")
    check_work_counts(prof)
    no_temp_files(d)
    # unknown %-sequences and a trailing % are kept as written
    rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=os.path.join(d, "%q%")))
    want_unchanged(rc, o)
    eq(e, "", "stderr for %q%")
    check_work_counts(load(os.path.join(d, "%q%")))
    # an output pattern too long to expand: one message, no profile
    long_out = os.path.join(d, "x" * 5000 + ".json")
    rc, o, e = work(d, base_env(LOCKINSTR_OUTPUT=long_out))
    want_unchanged(rc, o)
    check(e.startswith("lockinstr: error: cannot write the profile ")
          and e.endswith(": file name too long\n") and e.count("\n") == 1,
          f"stderr: {e[:100]!r}...{e[-60:]!r}")


# ------------------------------------------- case 3b: setuid programs

SECURE_NOTE = ("lockinstr: warning: setuid or setgid program: LOCKINSTR_* "
               "variables ignored, no profile unless the program asks\n")


def setuid_copy(d):
    """A setuid-root copy of work in d, or Skip when that cannot be made
    and run by nobody here."""
    if os.getuid() != 0:
        raise Skip("needs root, to make a setuid-root program")
    if not shutil.which("setpriv"):
        raise Skip("needs setpriv(1), to run the program as nobody")
    if os.statvfs(d).f_flag & os.ST_NOSUID:
        raise Skip(f"{d} is on a nosuid file system")
    exe = os.path.join(d, "work")
    shutil.copy(prog("work"), exe)
    os.chown(exe, 0, 0)
    os.chmod(exe, 0o4755)
    return exe


def t_setuid():
    """A setuid-root program run by nobody, with every LOCKINSTR_* variable
    set, LOCKINSTR_OUTPUT aimed at a file only root may write: the runtime
    ignores them all (one note, no warning for the bad rate, no summary),
    the file keeps its content and mtime, and no profile is written
    anywhere, unless the program asks (lockinstr_dump, or
    lockinstr_set_default_output for its exit profile). Run by root (no
    secure execution) the same program honours LOCKINSTR_OUTPUT."""
    d = scratch("setuid")
    exe = setuid_copy(d)
    vault = os.path.join(d, "vault")
    os.mkdir(vault, 0o700)
    target = os.path.join(vault, "target")
    with open(target, "w") as f:
        f.write("precious\n")
    os.chmod(target, 0o600)
    before = os.stat(target).st_mtime_ns
    cwd = os.path.join(d, "cwd")
    os.mkdir(cwd)
    os.chmod(cwd, 0o777)  # the default lockinstr.%p.json would land here
    env = base_env(LOCKINSTR_OUTPUT=target, LOCKINSTR_QUIET="0",
                   LOCKINSTR_INTERVAL="0.0001", LOCKINSTR_SIGNAL="USR2",
                   LOCKINSTR_SAMPLE_RATE="lots", LOCKINSTR_DISABLE="1",
                   LOCKINSTR_EXCLUDE="*")
    rc, o, e = work(cwd, env, user=NOBODY, exe=exe)
    if rc in (126, 127) and e.startswith("setpriv"):
        raise Skip(f"nobody cannot run {exe}: {e.strip()}")
    want_unchanged(rc, o)
    eq(e, SECURE_NOTE, "stderr of the setuid program")
    with open(target) as f:
        eq(f.read(), "precious\n", "the root-only file's content")
    eq(os.stat(target).st_mtime_ns, before, "the root-only file's mtime")
    eq(os.listdir(vault), ["target"], "files in the root-only directory")
    eq(os.listdir(cwd), [], "files in the working directory")
    # the program asks: lockinstr_dump(path) is honoured, the environment
    # still is not (recording on, nothing excluded, rate 100)
    asked = os.path.join(cwd, "asked.json")
    rc, o, e = work(cwd, dict(env, RR_DUMP=asked), "dump", NOBODY, exe)
    want_unchanged(rc, o)
    eq(e, SECURE_NOTE, "stderr with lockinstr_dump")
    prof = load(asked)
    check_work_counts(prof)
    eq((prof["reason"], prof["sample_rate"]), ("request", 100), "profile")
    eq(os.stat(asked).st_uid, 0, "the asked-for profile's owner")
    os.unlink(asked)
    # ... and so is the program's own default output, for the exit profile
    mine = os.path.join(cwd, "mine.json")
    rc, o, e = work(cwd, dict(env, RR_DUMP=mine), "default", NOBODY, exe)
    want_unchanged(rc, o)
    eq(e, SECURE_NOTE, "stderr with lockinstr_set_default_output (no "
       "summary: stderr is not a terminal)")
    eq(load(mine)["reason"], "exit", "the exit profile's reason")
    os.unlink(mine)
    with open(target) as f:
        eq(f.read(), "precious\n", "the root-only file, after all runs")
    # the same program run by root is no secure execution: the variable
    # is honoured, so the runs above could have written the file
    rc, o, e = work(cwd, base_env(LOCKINSTR_OUTPUT=target), exe=exe)
    want_unchanged(rc, o)
    eq(e, "", "stderr run by root")
    check_work_counts(load(target))
    eq(os.listdir(cwd), [], "files in the working directory, run by root")


# ------------------------------------------------ case 4: thread churn

def t_thread_churn():
    d = scratch("thread_churn")
    out = os.path.join(d, "p.json")
    rc, o, e = run([prog("churn"), os.path.join(d, "mid.json")],
                   base_env(LOCKINSTR_OUTPUT=out), d)
    eq((rc, e), (0, ""), "exit status and stderr")
    m = re.fullmatch(r"lockers=(\d+) short=(\d+) per_thread=(\d+) "
                     r"total=(\d+) heap_growth=(-?\d+)\n", o)
    check(m, f"output: {o!r}")
    lockers, short, per, total, growth = map(int, m.groups())
    eq(short, 1000, "short-lived threads")
    prof = load(out)
    eq(site(prof, "locker", 10)["acquisitions"], lockers, "locker acquisitions")
    eq(site(prof, "locker", 11)["releases"], lockers, "locker releases")
    eq(site(prof, "short_lived", 20)["acquisitions"], short * per,
       "short-lived acquisitions")
    eq(site(prof, "short_lived", 21)["releases"], short * per,
       "short-lived releases")
    eq(site(prof, "short_lived", 30)["acquisitions"], short, "own-lock acq")
    eq(site(prof, "main", 40)["acquisitions"], 1, "main's acquisition")
    eq(prof["threads"], 1 + 4 + short, "threads")
    dropped_zero(prof)
    # 950 threads came and went after the first measurement; each holds
    # ~10 KiB of runtime state while alive, so a leak would show ~9 MiB
    check(growth < 1 << 20, f"heap grew by {growth} bytes over 950 threads")


# -------------------------------------------- case 5: a million addresses

def t_million_locks():
    d = scratch("million_locks")
    out = os.path.join(d, "p.json")
    # ThreadSanitizer's deadlock detector tracks at most 64 locks held by
    # one thread (it stops with a CHECK failure beyond); its race
    # detection stays on
    tsan = (os.environ.get("TSAN_OPTIONS", "") + " detect_deadlocks=0").strip()
    rc, o, e = run([prog("million"), os.path.join(d, "mid.json")],
                   base_env(LOCKINSTR_OUTPUT=out, LOCKINSTR_SAMPLE_RATE="1",
                            TSAN_OPTIONS=tsan), d, timeout=280)
    eq((rc, e), (0, ""), "exit status and stderr")
    n, stride, deep = 1000000, 1000, 10000
    nested = 2 * (n // 2 // stride)
    m = re.fullmatch(r"sum=(\d+) heap_growth=(-?\d+)\n", o)
    check(m, f"output: {o!r}")
    eq(int(m.group(1)), n * (n - 1) // 2 + nested, "the program's sum")
    growth = int(m.group(2))
    prof = load(out)
    outer = site(prof, "sweep", 20)
    eq(outer["acquisitions"], n, "distinct-lock acquisitions")
    eq(outer["hold"]["samples"], n, "their sampled holds (rate 1)")
    eq(site(prof, "sweep", 23)["releases"], n, "their releases")
    eq(site(prof, "sweep", 21)["acquisitions"], nested, "nested acquisitions")
    eq(site(prof, "deep", 30)["acquisitions"], deep, "deep acquisitions")
    eq(site(prof, "deep", 31)["releases"], deep, "deep releases")
    eq(site(prof, "teardown", 40)["errors"], 0, "destroy errors")
    # the held-lock record is bounded (64 entries): the deep nest keeps its
    # 64 most recent locks; the older records are dropped, and so their
    # releases find nothing
    bound = 64
    eq({k: v for k, v in prof["dropped"].items() if v},
       {"held_overflow": deep - bound, "unlock_not_held": deep - bound},
       "dropped")
    ids = {s["id"]: s["line"] for s in prof["sites"]}
    edges = {(ids[e["from_site"]], ids[e["to_site"]]): e["count"]
             for e in prof["lock_order"]["edges"]}
    eq(edges, {(20, 21): nested, (30, 30): deep - 1}, "lock-order edges")
    # nothing per address: the held stack (64 entries) is the only growth; 1,000,000 tracked addresses would be >= 16 MiB
    check(growth < 2 << 20, f"heap grew by {growth} bytes")


# ---------------------------------------- case 6: exit() from a thread

def t_exit_thread():
    d = scratch("exit_thread")
    out = os.path.join(d, "p.json")
    for i in range(10):  # the workers are at a different point each time
        if os.path.exists(out):
            os.remove(out)
        rc, o, e = run([prog("exit_thread")], base_env(LOCKINSTR_OUTPUT=out),
                       d, timeout=120)
        eq(rc, 42, f"run {i}: exit status (exit(42) from the quitter)")
        eq(o, f"quitter={500 * 499 // 2}\n", f"run {i}: output")
        eq(e, "", f"run {i}: stderr")
        prof = load(out)
        eq(prof["reason"], "exit", "reason")
        eq(site(prof, "quitter", 20)["acquisitions"], 501, "quitter's acq")
        eq(site(prof, "quitter", 21)["releases"], 500, "quitter's releases")
        # the workers run on while the profile is written: each site's
        # count is read at its own moment, so only the floor is known
        acq = site(prof, "worker", 10)["acquisitions"]
        rel = site(prof, "worker", 11)["releases"]
        check(acq >= 4 * 1000 and rel >= 4 * 1000 - 4,
              f"workers: {acq} acquisitions, {rel} releases")
        eq(prof["threads"], 5, "threads")
        no_temp_files(d)


# ------------------------------------------------------- case 7: fork

def t_fork():
    d = scratch("fork")
    rc, o, e = run([prog("forker")],
                   base_env(LOCKINSTR_OUTPUT=os.path.join(d, "p.%p.json")), d)
    # LeakSanitizer's own note in a child forked from a multi-threaded
    # process (it cannot suspend the parent's threads): not lockinstr's
    e = re.sub(r"(?m)^==\d+==Running thread \d+ was not suspended\. "
               r"False leaks are possible\.\n", "", e)
    eq((rc, e), (0, ""), "exit status and stderr")
    children = re.findall(r"^child (\d+) (\d+) (\d+)$", o, re.M)
    eq(len(children), 10, "children")
    for pid, f, r in children:
        f = int(f)
        eq(int(r), 1000 * (f + 1), f"child {f}'s result")
        prof = load(os.path.join(d, f"p.{pid}.json"))
        eq(prof["pid"], int(pid), "child pid")
        eq(site(prof, "child", 30)["acquisitions"], 1000 * (f + 1),
           f"child {f}: its own acquisitions")
        eq(site(prof, "child", 31)["releases"], 1000 * (f + 1),
           f"child {f}: its own releases")
        eq(site(prof, "main", 21)["releases"], 1, f"child {f}: gate released")
        for line in (10, 20):
            s = [x for x in prof["sites"] if x["line"] == line]
            check(all(x["acquisitions"] == 0 for x in s),
                  f"child {f}: the parent's acquisitions at line {line}: {s}")
        eq(prof["threads"], 1, f"child {f}: threads")
        dropped_zero(prof)
    m = re.search(r"^parent (\d+) workers=(\d+) forks=10$", o, re.M)
    check(m, f"output: {o!r}")
    prof = load(os.path.join(d, f"p.{m.group(1)}.json"))
    eq(site(prof, "worker", 10)["acquisitions"], int(m.group(2)),
       "parent: workers' acquisitions")
    eq(site(prof, "main", 20)["acquisitions"], 10, "parent: gate acquisitions")
    eq(site(prof, "main", 21)["releases"], 10, "parent: gate releases")
    s = [x for x in prof["sites"] if x["function"] == "child"]
    check(all(x["acquisitions"] == 0 and x["releases"] == 0 for x in s),
          f"parent: the children's counts leaked in: {s}")
    eq(prof["threads"], 5, "parent: threads")
    dropped_zero(prof)
    eq(len(glob.glob(os.path.join(d, "p.*.json"))), 11, "profiles")
    no_temp_files(d)


# --------------------------------------------- case 8: signal handlers

def sig_run(mode, **env):
    if mode != "signal":
        # the program's handler calls lockinstr_dump, which is not
        # async-signal-safe (that is the case tested): ThreadSanitizer
        # would say so
        env["TSAN_OPTIONS"] = (os.environ.get("TSAN_OPTIONS", "")
                               + " report_signal_unsafe=0").strip()
    d = scratch("signal_" + mode)
    path = os.path.join(d, "p.json")
    exitp = os.path.join(d, "exit.json") if mode != "signal" else path
    rc, o, e = run([prog("sig"), mode, path],
                   base_env(LOCKINSTR_OUTPUT=exitp, **env), d, timeout=120)
    eq((rc, e), (0, ""), "exit status and stderr")
    m = re.search(r"^workers=(\d+)$", o, re.M)
    check(m, f"output: {o!r}")
    workers = int(m.group(1))
    prof = load(exitp)
    eq(site(prof, "worker", 10)["acquisitions"], workers, "exit: acquisitions")
    eq(site(prof, "worker", 11)["releases"], workers, "exit: releases")
    return d, path, o, workers


def t_signal_dump():
    """LOCKINSTR_SIGNAL=USR2 while four threads lock: one profile per signal,
    each complete, with counts that only grow; the exit profile exact."""
    d, path, o, workers = sig_run("signal", LOCKINSTR_SIGNAL="USR2")
    check("signal dumps=5\n" in o, f"output: {o!r}")
    last = 0
    for k in range(5):
        prof = load(f"{path}.{k}")
        eq(prof["reason"], "signal", f"dump {k}: reason")
        acq = site(prof, "worker", 10)["acquisitions"]
        check(last <= acq <= workers, f"dump {k}: {acq} after {last}, "
              f"final {workers}")
        last = acq
    no_temp_files(d)


def t_handler_dump():
    """The program's own handler calls lockinstr_dump while the thread it
    interrupted waits in sigsuspend (outside the runtime): it works."""
    d, path, o, workers = sig_run("handler")
    check("handler rc=0\n" in o, f"output: {o!r}")
    prof = load(path + ".inner")
    eq(prof["reason"], "request", "reason")
    check(site(prof, "worker", 10)["acquisitions"] <= workers, "counts")


def t_handler_reenter():
    """A handler that runs inside a dump on the same thread and dumps again
    gets -EDEADLK at once (it would deadlock on the dump mutex); the
    interrupted dump completes."""
    d, path, o, workers = sig_run("reenter")
    m = re.search(r"^outer rc=(-?\d+) inner rc=(-?\d+) edeadlk=(-?\d+) "
                  r"handled=1$", o, re.M)
    check(m, f"output: {o!r}")
    eq(int(m.group(1)), 0, "the interrupted dump's result")
    eq(int(m.group(2)), int(m.group(3)), "the handler's dump's result")
    eq(load(path)["reason"], "request", "reason")
    check(not os.path.exists(path + ".inner"), "the inner dump wrote")
    no_temp_files(d)


# ------------------------------------- case 9: destroyed, memory reused

def t_reuse():
    d = scratch("reuse")
    out = os.path.join(d, "p.json")
    rc, o, e = run([prog("reuse")],
                   base_env(LOCKINSTR_OUTPUT=out, LOCKINSTR_SAMPLE_RATE="1"), d)
    eq((rc, e, o), (0, "", "sum=116100\n"), "status, stderr, the program's sum")
    prof = load(out)
    a = site(prof, "phase_a", 11)
    eq((a["acquisitions"], a["hold"]["samples"]), (101, 100),
       "phase A: acquisitions, holds (the last one was forgotten)")
    eq(site(prof, "phase_a", 12)["releases"], 100, "phase A releases")
    w = site(prof, "phase_b", 21)
    r = site(prof, "phase_b", 22)
    eq((w["acquisitions"], w["hold"]["samples"], w["mode"]), (100, 100, "write"),
       "phase B write locks")
    eq((r["acquisitions"], r["hold"]["samples"], r["mode"]), (50, 50, "read"),
       "phase B read locks")
    eq(site(prof, "phase_b", 23)["releases"], 150, "phase B releases")
    c = site(prof, "phase_c", 31)
    eq((c["acquisitions"], c["hold"]["samples"]), (100, 100), "phase C")
    eq(site(prof, "phase_d", 40)["acquisitions"], 1, "phase D")
    for s in prof["sites"]:
        eq(s["errors"], 0, f"errors at line {s['line']}")
    dropped_zero(prof)  # unlock_not_held would count the stale entry
    ids = {s["id"]: s["line"] for s in prof["sites"]}
    edges = [(ids[e["from_site"]], ids[e["to_site"]], e["count"])
             for e in prof["lock_order"]["edges"]]
    eq(edges, [(40, 41, 1)], "lock-order edges (none from the stale entry)")


# --------------------------------------------- case 10: dlopen/dlclose

def dl_check(d, o, path, exitp, n, m, outer, inner, custom):
    """outer/inner: (function, line) of the plugin's lock sites; custom:
    (function, line) of its hand-annotated site or None."""
    want = {k: 2 * k + 2 * 1000000 * ((k + 9) // 10) for k in (n, m)}
    eq(o, f"r1={want[n]} r2={want[m]} dump=0\n", "output")
    for p, rounds in ((path, n), (exitp, n + m)):
        prof = load(p)
        s = site(prof, *outer, api="pthread_mutex_lock")
        eq(s["acquisitions"], 2 * rounds, f"{p}: outer acquisitions")
        check(s["file"].endswith(".c") and s["expr"] == "&plug_mu"
              and "plug_mu" in s["class"], f"{p}: outer names: {s}")
        i = site(prof, *inner, api="pthread_mutex_lock")
        inner_rounds = (n + 9) // 10 + ((m + 9) // 10 if p == exitp else 0)
        eq(i["acquisitions"], 2 * inner_rounds, f"{p}: inner acquisitions")
        check("plug_inner" in i["class"], f"{p}: inner names: {i}")
        edges = prof["lock_order"]["edges"]
        eq([(e["from_site"], e["to_site"], e["from"], e["to"], e["count"])
            for e in edges],
           [(s["id"], i["id"], s["class"], i["class"], i["acquisitions"])],
           f"{p}: lock-order edges")
        if custom:
            c = site(prof, *custom)
            eq((c["api"], c["acquisitions"]),
               ("plug_spin_lock", 2 if p == path else 4), f"{p}: custom site")
        # the plugin loaded twice has one site object per call site
        keys = [(x["file"], x["line"], x["column"], x["api"]) for x in prof["sites"]]
        eq(len(keys), len(set(keys)), f"{p}: duplicated sites")
    eq(load(path)["reason"], "request", "reason")
    no_temp_files(d)


def dl_run(name, main, plugin, n=1000, m=300, summary=None):
    """Runs main; with summary (a regular expression for a line the exit
    summary must hold) the summary is on, and read from the plugin's
    sites too."""
    d = scratch(name)
    path, exitp = os.path.join(d, "p.json"), os.path.join(d, "exit.json")
    rc, o, e = run([main, "liblockinstr.so.0", plugin, str(n), str(m), path],
                   base_env(LOCKINSTR_OUTPUT=exitp,
                            LOCKINSTR_QUIET="0" if summary else "1"), d)
    eq(rc, 0, "exit status")
    if summary:
        check(e.startswith(f"lockinstr: profile written to {exitp} (")
              and re.search(summary, e, re.M), f"the exit summary: {e!r}")
    else:
        eq(e, "", "stderr")
    return d, o, path, exitp, n, m


def markers(path, pattern):
    """{name: line} of the lines of path matching pattern (one group)."""
    out = {}
    with open(path) as f:
        for k, text in enumerate(f, 1):
            for name in re.findall(pattern, text):
                out[name] = k
    return out


def custom_line():
    """The line of plugin.c's LOCKINSTR_SITE_CUSTOM for spin_site (the one
    after its declaration): the macro records __LINE__."""
    here = os.path.dirname(os.path.abspath(__file__))
    return markers(os.path.join(here, "plugin.c"),
                   r"^static struct lockinstr_site (spin_site) =")[
                       "spin_site"] + 1


def t_dlclose():
    """The plugin brings liblockinstr.so in; the runtime must outlive it."""
    args = dl_run("dlclose", prog("dlmain"), prog("librr_plugin.so"))
    dl_check(*args, ("plug_loop", 10), ("plug_loop", 12),
             ("plug_loop", custom_line()))


def t_dlclose_linked():
    """The program is linked with liblockinstr.so; the plugin comes and goes."""
    args = dl_run("dlclose_linked", prog("dlmain_linked"),
                  prog("librr_plugin.so"),
                  summary=r"^lockinstr: .* 2600 .*  plugin\.c:10 plug_loop\(\) "
                  r"plug_mu \[pthread_mutex_lock\]$")
    dl_check(*args, ("plug_loop", 10), ("plug_loop", 12),
             ("plug_loop", custom_line()))


def t_dlclose_rewriter():
    """The same with a plugin instrumented by the real lockinstr."""
    if not A.lockinstr:
        raise Skip("needs the lockinstr tool")
    d = scratch("dlclose_rewriter_build")
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(d, "li-out")
    rc, o, e = run([A.lockinstr, "--quiet", "plugin_src.c", "-o", out, "--",
                    "-std=c11"], base_env(), here)
    eq((rc, e), (0, ""), "lockinstr")
    so = os.path.join(d, "plugin_src.so")
    rc, o, e = run([A.cc, "-std=c11", "-O2", "-g", "-fPIC", "-shared", "-Wall",
                    "-Wextra", "-Werror"] + shlex.split(A.cflags)
                   + ["-I" + A.include, os.path.join(out, "plugin_src.c"),
                      "-L" + A.rtdir, "-Wl,-rpath," + A.rtdir, "-llockinstr",
                      "-lpthread", "-o", so], base_env(), d)
    eq((rc, e), (0, ""), "compiling the instrumented plugin")
    lines = markers(os.path.join(here, "plugin_src.c"), r"/\* @(\w+) \*/")
    args = dl_run("dlclose_rewriter", prog("dlmain"), so)
    dl_check(*args, ("plug_loop", lines["outer"]), ("plug_loop", lines["inner"]),
             None)


TESTS = {name[2:]: fn for name, fn in globals().items()
         if name.startswith("t_") and callable(fn)}


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--lockinstr", default="")
    ap.add_argument("--include", default="")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--cflags", default="")
    ap.add_argument("--rtdir", default="")
    ap.add_argument("test", choices=sorted(TESTS))
    A = ap.parse_args()
    os.makedirs(A.work, exist_ok=True)
    try:
        TESTS[A.test]()
    except Skip as s:
        print(f"SKIP: {s}")
        return 77
    except (Fail, subprocess.TimeoutExpired) as f:
        print(f"FAIL: {f}", file=sys.stderr)
        return 1
    print(f"PASS: {A.test}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
