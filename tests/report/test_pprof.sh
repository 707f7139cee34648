#!/bin/bash
# test_pprof.sh — `lockinstr report --format pprof` read by the real client,
# `go tool pprof` (Debian's golang-go): the sample types, period, the
# per-site values and locations, and per-function totals.
#
# Usage: test_pprof.sh DATADIR COMMAND...   (exit 77 = skipped: no go)
set -u
data=$1; shift
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! command -v go >/dev/null 2>&1; then
  echo "SKIP: go is not installed (Debian package golang-go)"; exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# go needs a writable HOME and build cache, whoever runs the tests
export HOME=$tmp GOCACHE=$tmp/gocache GOPATH=$tmp/gopath GOTOOLCHAIN=local \
       GOPROXY=off GOFLAGS=
out=$tmp/workq.pb.gz
"$@" --format pprof -o "$out" "$data/workq-run1.json" "$data/workq-run2.json" \
  || fail "report --format pprof exited $?"
[ "$(od -An -tx1 -N2 "$out" | tr -d ' ')" = 1f8b ] || fail "not gzip"

raw=$(go tool pprof -raw "$out" 2>"$tmp/err") || { cat "$tmp/err"; fail "pprof -raw"; }
echo "$raw" | grep -qx 'PeriodType: contentions count' || fail "period type"
echo "$raw" | grep -qx 'contentions/count delay/nanoseconds\[dflt\] acquisitions/count hold/nanoseconds' \
  || fail "sample types: $(echo "$raw" | grep nanoseconds)"
# queue_pop at queue.c:60, merged over two runs: 5200+800 contentions,
# 41.6+8.4 ms of wait, 200000+100000 acquisitions, 100+50 ms of hold.
id=$(echo "$raw" | sed -n 's/^ *6000 \+50000000 \+300000 \+150000000: \([0-9]\+\) *$/\1/p')
[ -n "$id" ] || fail "no sample 6000/50ms/300000/150ms in:
$raw"
echo "$raw" | grep -qE "^ +$id: 0x0 M=1 queue_pop queue.c:60 s=0$" \
  || fail "location $id is not queue_pop queue.c:60"
echo "$raw" | grep -q 'api:\[pthread_mutex_lock\] expr:\[&q->mu\] lock:\[struct queue.mu\]' \
  || fail "labels"

# per function: delay is the default sample type
top=$(go tool pprof -top "$out" 2>/dev/null) || fail "pprof -top"
echo "$top" | grep -qE '^ +60ms +53\.07% .* cache_refresh$' || fail "top delay:
$top"
echo "$top" | grep -qE '^ +50ms +44\.23% .* queue_pop$' || fail "top delay:
$top"
top=$(go tool pprof -top -sample_index=contentions "$out" 2>/dev/null)
# queue_push: 1500 at line 41 plus 12 re-acquiring after pthread_cond_wait
echo "$top" | grep -qE '^ +1512 .* queue_push$' || fail "top contentions:
$top"
top=$(go tool pprof -top -sample_index=acquisitions "$out" 2>/dev/null)
echo "$top" | grep -qE '^ +400000 .* stats_add$' || fail "top acquisitions:
$top"
# cache_refresh's recorded estimate, 500 ms from one 5 ms sample, is more
# than its 50 acquisitions can have held: shown clamped to 50 x 5 ms.
top=$(go tool pprof -top -sample_index=hold -unit=ms "$out" 2>/dev/null)
echo "$top" | grep -qE '^ +250ms .* cache_refresh$' || fail "top hold:
$top"
echo "ok"
