#!/bin/bash
# test_dot.sh — `lockinstr report --format dot` read by Graphviz: dot
# accepts the graph without a warning, cycle edges and same-class
# self-loops carry their ids and colours into the SVG, a consistent order
# has no cycle edge, and hostile names (quotes, backslash escapes such as
# \N, markup) come out as literal text.
#
# Usage: test_dot.sh DATADIR COMMAND...   (exit 77 = skipped: no graphviz)
set -u
data=$1; shift
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v dot >/dev/null || {
  echo "SKIP: dot is not installed (Debian package graphviz)"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# render FILE.dot -> FILE.svg; dot must not complain at all
render() {
  dot -Tsvg "$1.dot" >"$1.svg" 2>"$1.err" || fail "dot failed on $1.dot: $(cat "$1.err")"
  [ -s "$1.err" ] && fail "dot warned on $1.dot: $(cat "$1.err")"
  return 0
}
count() { grep -c -- "$1" "$2"; }

"$@" --format dot --merge-any -o "$tmp/abba.dot" "$data/order-abba.json" \
  "$data/order-nesting.json" || fail "report --format dot exited $?"
render "$tmp/abba"
svg=$tmp/abba.svg
[ "$(count '<g id="cycle_e' "$svg")" = 2 ] || fail "expected 2 cycle edges"
[ "$(count '<g id="nest_e' "$svg")" = 1 ] || fail "expected 1 same-class self-loop"
[ "$(count '<g id="e[0-9]' "$svg")" = 0 ] || fail "no edge should be off the cycle"
grep -q '>g_alpha</text>' "$svg" || fail "node g_alpha"
grep -q '>struct account.lock</text>' "$svg" || fail "node struct account.lock"
grep -q '>order.c:10 ab_worker &#45;&gt; order.c:11 ab_worker (5)</text>' "$svg" \
  || fail "site pair label of g_alpha -> g_beta"
grep -q '>order.c:20 ba_worker &#45;&gt; order.c:21 ba_worker (3)</text>' "$svg" \
  || fail "site pair label of g_beta -> g_alpha"
grep -q '>same class, 40 times</text>' "$svg" || fail "self-loop label"
grep -A3 '<g id="cycle_e' "$svg" | grep -q 'stroke="#c0392b"' || fail "cycle edge not red"
grep -A3 '<g id="nest_e' "$svg" | grep -q 'stroke-dasharray' || fail "self-loop not dashed"

"$@" --format dot -o "$tmp/cons.dot" "$data/order-consistent.json" || fail "consistent"
render "$tmp/cons"
[ "$(count '<g id="cycle_e' "$tmp/cons.svg")" = 0 ] || fail "a consistent order has a cycle edge"
[ "$(count '<g id="e[0-9]' "$tmp/cons.svg")" = 1 ] || fail "expected 1 plain edge"

"$@" --format dot -o "$tmp/evil.dot" "$data/order-hostile.json" || fail "hostile"
render "$tmp/evil"
grep -q '>evil&quot;class\\N\\G</text>' "$tmp/evil.svg" || fail "quote/backslash name"
grep -q '>&lt;script&gt;alert(1)&lt;/script&gt;\\x1b\[31m\\u202e</text>' "$tmp/evil.svg" \
  || fail "markup/escape name"
grep -q '<script' "$tmp/evil.svg" && fail "markup leaked into the SVG"
echo "ok"
