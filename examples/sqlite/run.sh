#!/bin/sh
# run.sh — lockinstr on a real program: the SQLite amalgamation (270,000
# lines of C) and a four-thread program using it (app.c).
#
#   examples/sqlite/run.sh
#
# 1. fetches SQLite 3 (the amalgamation shipped in the npm package
#    better-sqlite3@12.11.1; npm checks the tarball's integrity) into
#    build/demo/sqlite/, unless it is there already;
# 2. builds lockinstr (as examples/demo.sh does; LOCKINSTR_DEMO_PREBUILT=1
#    uses the build dir as it is);
# 3. instruments sqlite3.c twice: as any program (the pthread calls, all of
#    which sit in SQLite's mutex_unix.c), and with sqlite.lockinstr, which
#    declares SQLite's own mutex API so each of its call sites is a site;
# 4. builds and runs both, and the plain program;
# 5. checks that the three programs computed the same thing and that both
#    profiles count exactly the same number of acquisitions and releases
#    (every sqlite3_mutex_enter is one pthread_mutex_lock or trylock), and
#    shows the second profile by lock class.
# Needs npm (or curl) to fetch the package. Environment: LOCKINSTR_DEMO_BUILD
# (build dir, default build/), CC (cc).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${LOCKINSTR_DEMO_BUILD:-$root/build}
cc=${CC:-cc}
pkg=better-sqlite3-12.11.1.tgz
url=https://registry.npmjs.org/better-sqlite3/-/$pkg
out=$build/demo/sqlite

step() { printf '\n==> %s\n' "$*" >&2; }
show() { printf '$ %s\n' "$*" >&2; "$@"; }
fail() {
  echo "run.sh: error: $*" >&2
  exit 1
}

mkdir -p "$out"
src=$out/package/deps/sqlite3
if [ ! -f "$src/sqlite3.c" ]; then
  step "fetch SQLite (npm package better-sqlite3)"
  if command -v npm >/dev/null 2>&1; then
    (cd "$out" && show npm pack --silent better-sqlite3@12.11.1 >/dev/null)
  else
    show curl -fsSL -o "$out/$pkg" "$url"
  fi
  show tar -xzf "$out/$pkg" -C "$out" package/deps/sqlite3
fi

if [ -z "${LOCKINSTR_DEMO_PREBUILT:-}" ]; then
  step "build lockinstr"
  show cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  show cmake --build "$build" -j2 >/dev/null
fi
lockinstr=$build/tool/lockinstr
flags="-DSQLITE_THREADSAFE=1 -DSQLITE_OMIT_LOAD_EXTENSION"

# From SQLite's directory, so that sites say sqlite3.c:LINE.
cd "$src"
step "instrument sqlite3.c: the pthread calls"
# shellcheck disable=SC2086
show "$lockinstr" sqlite3.c -o "$out/pthread" -- $flags
step "instrument sqlite3.c: SQLite's own mutex API (sqlite.lockinstr)"
# shellcheck disable=SC2086
show "$lockinstr" --config "$here/sqlite.lockinstr" sqlite3.c -o "$out/api" \
  -- $flags

step "build: plain, pthread-level, API-level (sqlite3.c takes a while)"
for v in plain pthread api; do
  s=$src/sqlite3.c
  [ $v = plain ] || s=$out/$v/sqlite3.c
  # shellcheck disable=SC2086
  show "$cc" -O1 $flags -I"$src" -I"$root/include" "$s" "$here/app.c" \
    "$build/runtime/liblockinstr.a" -lpthread -lm -o "$out/app-$v" &
done
wait
for v in plain pthread api; do [ -x "$out/app-$v" ] || fail "app-$v did not build"; done

step "run them"
for v in plain pthread api; do
  show env LOCKINSTR_OUTPUT="$out/$v.json" LOCKINSTR_QUIET=1 "$out/app-$v" \
    >"$out/$v.out" || fail "app-$v failed"
  [ "$(cat "$out/$v.out")" = "rows=8000" ] || fail "app-$v: $(cat "$out/$v.out")"
done

step "check: both profiles count the same acquisitions and releases"
python3 - "$out/pthread.json" "$out/api.json" <<'PY'
import json, sys
def totals(path):
    p = json.load(open(path))
    acq = sum(s["acquisitions"] for s in p["sites"])
    rel = sum(s["releases"] for s in p["sites"])
    used = sum(1 for s in p["sites"] if s["acquisitions"] or s["releases"])
    return acq, rel, used, p["dropped"]["unlock_not_held"]
a, b = totals(sys.argv[1]), totals(sys.argv[2])
print(f"pthread level: {a[0]} acquisitions, {a[1]} releases, {a[2]} sites used")
print(f"API level:     {b[0]} acquisitions, {b[1]} releases, {b[2]} sites used")
if a[0] != a[1] or b[0] != b[1] or a[0] != b[0] or a[3] or b[3]:
    sys.exit("run.sh: error: the two profiles disagree")
PY

step "lockinstr report --by class (API level)"
show "$lockinstr" report --by class "$out/api.json"
