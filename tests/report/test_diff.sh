#!/bin/bash
# test_diff.sh — `lockinstr diff` on synthetic profiles (data/diff-*.json):
# sites matched by identity although their lines moved and their file is
# spelled as another build system spells it; added and removed sites; the
# --fail-if gate with its noise floor and exact messages; per-run and
# per-second comparison of runs of different lengths; directories as sides;
# usage errors (exit 2).
#
# Usage: test_diff.sh DATADIR LOCKINSTR
set -u
data=$1
li=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# diff ARGS...: runs `lockinstr diff`; stdout in $tmp/out, stderr in
# $tmp/err, exit status in $rc.
diff_() {
  rc=0
  "$li" diff "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}
want_rc() { [ "$rc" = "$1" ] || { cat "$tmp/out" "$tmp/err"; fail "exit $rc, want $1"; }; }
has() { grep -qF -- "$1" "$tmp/$2" || { cat "$tmp/$2"; fail "$2 lacks: $1"; }; }

# Moved lines, an absolute file name, one site added and one removed; the
# queue_pop site at old line 60 got 4x the wait.
diff_ "$data/diff-base.json" "$data/diff-new.json" --fail-if 'wait>+50%'
want_rc 1
has "totals compared per run, as recorded" out
has "3 matched, 1 added, 1 removed" out
first=$(sed -n 5p "$tmp/out")
case $first in
*"10.0ms    40.0ms   +300%"*"src/queue.c:67 queue_pop (was line 60)  struct queue.mu") ;;
*) fail "first row: $first" ;;
esac
grep -q '^+ .* src/new.c:12 new_path  g_new$' "$tmp/out" || fail "new.c not added"
grep -q '^- .* src/old.c:90 old_path  g_old$' "$tmp/out" || fail "old.c not removed"
grep -q '/home/ci' "$tmp/out" && fail "the absolute spelling leaked into a row"
cat >"$tmp/want" <<'EOF'
lockinstr: regression: src/queue.c:67 queue_pop (was line 60): wait +300% (10.0ms -> 40.0ms), over wait>+50%
lockinstr: regression: src/new.c:12 new_path: wait +inf (0ns -> 3.00ms), over wait>+50%
EOF
cmp -s "$tmp/err" "$tmp/want" || { diff -u "$tmp/want" "$tmp/err"; fail "regressions"; }

# The second identical call (old line 64) matched the second, not the first.
grep -q 'src/queue.c:71 queue_pop (was line 64)' "$tmp/out" || fail "rank 2"

# Noise floor: stats_add's wait went 500us -> 510us (+2%), under 1ms.
diff_ "$data/diff-base.json" "$data/diff-new.json" --fail-if 'wait>+1%' \
  --fail-if 'contention-rate>+0.5pp'
want_rc 1
grep -q stats_add "$tmp/err" && fail "stats_add crossed under the noise floor"
has "queue_pop (was line 60): contention-rate +150% (1.00% -> 2.50%), over contention-rate>+0.5pp" err
diff_ "$data/diff-base.json" "$data/diff-new.json" --fail-if 'wait>+1%' \
  --min-wait 100us
has "src/stats.c:20 stats_add: wait +2% (500µs -> 510µs), over wait>+1%" err
diff_ "$data/diff-base.json" "$data/diff-new.json" --fail-if 'wait>+100ms'
want_rc 0
[ -s "$tmp/err" ] && fail "stderr without a crossing: $(cat "$tmp/err")"

# Twice as long, twice the totals: per run everything doubled, per second
# nothing changed.
diff_ "$data/diff-base.json" "$data/diff-long.json" --fail-if 'acquisitions>+50%'
want_rc 1
diff_ "$data/diff-base.json" "$data/diff-long.json" --per second \
  --fail-if 'acquisitions>+1%' --fail-if 'wait>+1%' --fail-if 'hold>+1%'
want_rc 0
has "totals compared per second of run" out
has "4 matched, 0 added, 0 removed" out
[ "$(grep -c '  0%  ' "$tmp/out")" = 4 ] || fail "per second: not all 0%"

# By class, as JSON; sides given as directories of profiles.
mkdir "$tmp/b" "$tmp/n"
cp "$data/diff-base.json" "$tmp/b/1.json"
cp "$data/diff-base.json" "$tmp/b/2.json"
cp "$data/diff-new.json" "$tmp/n/1.json"
diff_ --by class --format json "$tmp/b" "$tmp/n"
want_rc 0
has '"compared": "per_run"' out
has '"by": "class"' out
[ "$(grep -c '"status": "changed"' "$tmp/out")" = 2 ] || fail "class rows"
python3 - "$tmp/out" <<'EOF' || fail "json values"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["base"]["profiles"] == 2 and d["new"]["profiles"] == 1, d["base"]
q = [r for r in d["rows"] if r["lock"] == "struct queue.mu"][0]
# base: two profiles merged, 2 x (10.0ms + 0.2ms); new: 40.0ms + 0.21ms
assert q["base"]["wait"] == 20400000 and q["new"]["wait"] == 40210000, q
EOF

# Usage errors: exit 2, one line and a pointer to --help.
diff_ "$data/diff-base.json"
want_rc 2
has "lockinstr: error: needs BASE and NEW" err
diff_ --fail-if 'wait>20%' "$data/diff-base.json" "$data/diff-new.json"
want_rc 2
has "--fail-if needs METRIC>+N% or METRIC>+VALUE" err
diff_ --fail-if 'contention-rate>+3' "$data/diff-base.json" "$data/diff-new.json"
want_rc 2
diff_ --sortt hold "$data/diff-base.json" "$data/diff-new.json"
want_rc 2
has "unknown option '--sortt'; did you mean '--sort'?" err
diff_ "$data/diff-base.json" "$data/malformed.json"
want_rc 2
has "malformed.json" err
"$li" diff --help | grep -q '^usage: lockinstr diff ' || fail "--help"
echo PASS
