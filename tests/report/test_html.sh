#!/bin/bash
# test_html.sh — `lockinstr report --format html` rendered by headless
# Chromium: the script ran (marker attributes) without a console message,
# the lock table (with API and mode) and the lock-order graph are there,
# the page is no wider than a 1400-pixel window, sorting by a column works
# in a real browser, hostile names stay text (in the lock table, the
# lock-order cycles and the graph), no network resource is referenced, and
# the screenshot is a real picture, kept with the page in $LI_ARTIFACT_DIR
# (CTest: the build directory) for people to look at.
#
# Usage: test_html.sh DATADIR COMMAND...   (exit 77 = skipped: no chromium)
set -u
data=$1; shift
fail() {
  echo "FAIL: $*" >&2
  [ -s "${tmp:-}/chromium.log" ] && tail -5 "$tmp/chromium.log" >&2
  exit 1
}
browser=$(command -v chromium || command -v chromium-browser) || {
  echo "SKIP: chromium is not installed (Debian package chromium)"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
art=${LI_ARTIFACT_DIR:-$tmp}
page=$art/report-html.html
"$@" --format html --merge-any -o "$page" "$data/workq-run1.json" \
  "$data/hostile-names.json" "$data/order-ring.json" \
  || fail "report --format html exited $?"

# every run logs the page's console to stderr: any message is a failure
chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$tmp/profile" --enable-logging=stderr \
    --v=0 --window-size=1400,900 "$@" 2>>"$tmp/chromium.log"
}
no_console() {
  grep -q ':CONSOLE' "$tmp/chromium.log" \
    && fail "console messages: $(grep ':CONSOLE' "$tmp/chromium.log" | head -3)"
  return 0
}

# self-contained: nothing that could load from elsewhere (url(#id) names
# an element of the page itself: the graph's arrow heads)
grep -Eiq '<(link|img|iframe|object|embed)[ >]|<script [^>]*src|@import|url\([^#]|https?:' "$page" \
  && fail "the page references an external resource"

dom=$(chrome --dump-dom "file://$page") || fail "chromium --dump-dom failed"
echo "$dom" | grep -q 'data-li-ready="1"' || fail "the page script did not run"
no_console
echo "$dom" | grep -q 'data-li-rows="16"' || fail "expected 16 lock rows"
# within a 1400-pixel window: the page itself never scrolls sideways
echo "$dom" | grep -q 'data-li-viewport="1400"' || fail "window is not 1400 wide"
sw=$(echo "$dom" | grep -o 'data-li-scroll-width="[0-9]*"' | grep -o '[0-9]*')
[ -n "$sw" ] && [ "$sw" -le 1400 ] || fail "page scrollWidth ${sw:-?} > 1400"
# the table in its own box, with API and mode; the hold samples next to
# the estimate, a rough one marked
echo "$dom" | grep -q '<div class="tbox" id="locks-box"><table id="locks"' \
  || fail "lock table box"
echo "$dom" | grep -q '<td class="api">pthread_rwlock_tryrdlock</td><td class="mode">read</td>' \
  || fail "API and mode of the trylock site"
echo "$dom" | grep -q '<td class="api">pthread_rwlock_wrlock</td><td class="mode">write</td>' \
  || fail "API and mode of the wrlock site"
echo "$dom" | grep -q 'title="estimated from 1 sampled hold (few: a rough estimate)">~250ms</td><td class="n" data-v="1">1</td>' \
  || fail "rough hold estimate with its sample count"
# the lock-order graph: 3 classes, the ring's 3 cycle edges, drawn inline
echo "$dom" | grep -q '<svg id="lo-graph" class="lg"' || fail "no lock-order graph"
[ "$(echo "$dom" | grep -o '<g id="n[0-9]*" class="node cyc">' | wc -l)" = 3 ] \
  || fail "3 classes on a cycle in the graph"
[ "$(echo "$dom" | grep -o '<g id="cycle_e[0-9]*" class="edge cyc">' | wc -l)" = 3 ] \
  || fail "3 cycle edges in the graph"
echo "$dom" | grep -q '<title>g_alpha → g_beta: 9 times&#10;ring.c:10 t1 → ring.c:11 t1 (9)</title>' \
  || echo "$dom" | grep -q '<title>g_alpha → g_beta: 9 times
ring.c:10 t1 → ring.c:11 t1 (9)</title>' \
  || fail "edge tooltip naming the sites"
first_row() { echo "$1" | grep -o '<tr id="row-[0-9]*"><td class="loc">[^<]*' \
  | head -1 | sed 's/.*>//'; }
[ "$(first_row "$dom")" = "cache.c:80 cache_refresh" ] \
  || fail "first row by wait: $(first_row "$dom")"
echo "$dom" | grep -q '<td class="n" data-v="41600000">41.6ms</td>' \
  || fail "queue_pop wait total cell"
echo "$dom" | grep -q '<td class="n" data-v="32768">32.8µs</td>' \
  || fail "queue_pop wait p99 cell"

# hostile names are text, not markup: one script element, the page's own
echo "$dom" | grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' || fail "escaped function name"
echo "$dom" | grep -q '&lt;img src=x onerror=alert(2)&gt;' || fail "escaped lock expression"
echo "$dom" | grep -q '<img' && fail "an <img> element was injected"
[ "$(echo "$dom" | grep -o '<script' | wc -l)" = 1 ] || fail "injected <script>"
printf '%s' "$dom" | grep -q $'\x1b' && fail "raw escape character in the page"

# sorting in the browser: #sort=acq sorts by acquisitions on load
dom=$(chrome --dump-dom "file://$page#sort=acq") || fail "chromium --dump-dom #sort"
echo "$dom" | grep -q 'data-li-sorted="locks:acq:desc"' || fail "sort not applied"
[ "$(first_row "$dom")" = "stats.c:20 stats_add" ] \
  || fail "first row by acquisitions: $(first_row "$dom")"
dom=$(chrome --dump-dom "file://$page#sort=acq:asc")
[ "$(first_row "$dom")" = '&quot;quoted&quot;.c:9 f&#39;g' ] \
  || [ "$(first_row "$dom")" = "\"quoted\".c:9 f'g" ] \
  || fail "first row by acquisitions ascending: $(first_row "$dom")"

# the lock-order section in the browser: the cycle is there, its hostile
# class names (quotes, <script>, ESC, U+202E) are text, no script added
"$@" --format html -o "$tmp/order.html" "$data/order-hostile.json" \
  || fail "report --format html (order-hostile) exited $?"
dom=$(chrome --dump-dom "file://$tmp/order.html") || fail "chromium --dump-dom order"
echo "$dom" | grep -q '<div class="cycle" id="cycle-1"><h3>Cycle 1: &lt;script&gt;alert(1)&lt;/script&gt;' \
  || fail "cycle heading with escaped class name"
echo "$dom" | grep -q '<td class="loc">order.c:20 ba_worker</td>' || fail "cycle site row"
echo "$dom" | grep -q '<g id="n0" class="node cyc"><title>&lt;script&gt;alert(1)&lt;/script&gt;' \
  || fail "graph node with escaped class name"
[ "$(echo "$dom" | grep -o '<script' | wc -l)" = 1 ] || fail "injected <script> in the cycle section"
printf '%s' "$dom" | grep -q $'\x1b' && fail "raw escape character in the cycle section"

no_console

# a screenshot that is a 1400x1800 PNG with real content in it
shot=$art/report-html.png
chrome --screenshot="$shot" --window-size=1400,1800 "file://$page" \
  >/dev/null || fail "chromium --screenshot failed"
[ "$(od -An -tx1 -N8 "$shot" | tr -d ' ')" = 89504e470d0a1a0a ] \
  || fail "not a PNG"
[ "$(od -An -tu1 -j16 -N8 "$shot" | tr -s ' ')" = " 0 0 5 120 0 0 7 8" ] \
  || fail "not 1400x1800"
size=$(stat -c %s "$shot")
[ "$size" -gt 20000 ] || fail "screenshot of $size bytes: an empty page?"
no_console
[ "$art" = "$tmp" ] || echo "artifacts: $shot $page"
echo "ok"
