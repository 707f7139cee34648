#!/bin/sh
# demo.sh — the README's demo: from a fresh checkout, build lockinstr,
# instrument an example with the CLI, build and run it, and show where its
# threads waited and what they held.
#
#   examples/demo.sh [bank|workqueue|rwcache] [program options...]
#
# Steps (each command is printed before it runs):
#   1. tests/install-deps.sh (installs missing Debian packages; a no-op when
#      everything is there),
#   2. cmake -S . -B build && cmake --build build -j2,
#   3. lockinstr on the example's sources into build/demo/<example>/li-out,
#   4. compile the rewritten sources, link liblockinstr.a,
#   5. run the program with LOCKINSTR_OUTPUT=build/demo/<example>/lockinstr.json,
#   6. lockinstr report on that profile. Should the report command fail
#      (not built in this checkout), it shows the sites lockinstr
#      instrumented and a summary of the raw profile instead.
# Environment: LOCKINSTR_DEMO_BUILD (build dir, default build/), CC (cc),
# CFLAGS (added to the example's compile),
# LOCKINSTR_DEMO_PREBUILT=1 (skip steps 1-2: use the build dir as it is; the
# end-to-end test e2e.demo runs the demo this way).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${LOCKINSTR_DEMO_BUILD:-$root/build}
example=${1:-bank}
[ $# -gt 0 ] && shift
cc=${CC:-cc}

case $example in
bank) srcs="bank.c" ;;
workqueue) srcs="workqueue.c queue.c" ;;
rwcache) srcs="rwcache.c" ;;
*) echo "demo.sh: error: unknown example '$example' (bank, workqueue, rwcache)" >&2
   exit 2 ;;
esac

# step TEXT: a heading; show CMD...: print a command, then run it.
step() { printf '\n==> %s\n' "$*" >&2; }
show() { printf '$ %s\n' "$*" >&2; "$@"; }

if [ -z "${LOCKINSTR_DEMO_PREBUILT:-}" ]; then
  if [ -x "$root/tests/install-deps.sh" ]; then
    step "dependencies"
    show "$root/tests/install-deps.sh"
  fi
  step "build lockinstr"
  show cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  show cmake --build "$build" -j2 >/dev/null
fi
lockinstr=$build/tool/lockinstr
runtime=$build/runtime/liblockinstr.a

out=$build/demo/$example
rm -rf "$out"
mkdir -p "$out"
cd "$root/examples/$example"

step "instrument examples/$example ($srcs)"
# shellcheck disable=SC2086
show "$lockinstr" $srcs -o "$out/li-out" -- -std=c11 -I.

step "build the instrumented program"
rewritten=""
for s in $srcs; do rewritten="$rewritten $out/li-out/$s"; done
# shellcheck disable=SC2086
show "$cc" -std=c11 -O2 -g ${CFLAGS:-} -I. -I"$root/include" $rewritten \
  "$runtime" -lpthread -lm -o "$out/$example"

step "run it"
export LOCKINSTR_OUTPUT="$out/lockinstr.json"
show env LOCKINSTR_OUTPUT="$LOCKINSTR_OUTPUT" "$out/$example" "$@"

step "lockinstr report"
if show "$lockinstr" report "$out/lockinstr.json"; then
  printf '\nprofile: %s\n' "$out/lockinstr.json" >&2
  exit 0
fi

# The report command is not available: show what there is.
echo "demo.sh: lockinstr report failed; the instrumented sites and the raw profile instead" >&2
# shellcheck disable=SC2086
show "$lockinstr" --list-sites $srcs -- -std=c11 -I. || true
python3 - "$out/lockinstr.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
print(f"{p['program']}: {p['threads']} threads, {p['duration_ns'] / 1e6:.1f} ms, "
      f"sample rate 1/{p['sample_rate']}")
print(f"{'acquired':>10} {'contended':>10} {'wait ms':>9} {'max hold ms':>11}  site")
for s in sorted(p["sites"], key=lambda s: -s["wait"]["total_ns"]):
    if s["acquisitions"]:
        print(f"{s['acquisitions']:>10} {s['contentions']:>10} "
              f"{s['wait']['total_ns'] / 1e6:>9.3f} {s['hold']['max_ns'] / 1e6:>11.3f}  "
              f"{s['file']}:{s['line']} {s['function']}() {s['class']}")
PY
