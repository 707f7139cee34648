#!/bin/bash
# test_html.sh — `lockinstr report --format html` rendered by headless
# Chromium: the script ran (marker attributes), sorting by a column works
# in a real browser, hostile names stay text (in the lock table and in the
# lock-order cycles), no network resource is referenced, and the
# screenshot is a real picture.
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
page=$tmp/report.html
"$@" --format html --merge-any -o "$page" "$data/workq-run1.json" \
  "$data/hostile-names.json" || fail "report --format html exited $?"

chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$tmp/profile" "$@" 2>>"$tmp/chromium.log"
}

# self-contained: nothing that could load from elsewhere
grep -Eiq '<(link|img|iframe|object|embed)[ >]|<script [^>]*src|@import|url\(|https?:' "$page" \
  && fail "the page references an external resource"

dom=$(chrome --dump-dom "file://$page") || fail "chromium --dump-dom failed"
echo "$dom" | grep -q 'data-li-ready="1"' || fail "the page script did not run"
echo "$dom" | grep -q 'data-li-rows="10"' || fail "expected 10 lock rows"
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
[ "$(echo "$dom" | grep -o '<script' | wc -l)" = 1 ] || fail "injected <script> in the cycle section"
printf '%s' "$dom" | grep -q $'\x1b' && fail "raw escape character in the cycle section"

# a screenshot that is a 1200x900 PNG with real content in it
chrome --screenshot="$tmp/shot.png" --window-size=1200,900 "file://$page" \
  >/dev/null || fail "chromium --screenshot failed"
[ "$(od -An -tx1 -N8 "$tmp/shot.png" | tr -d ' ')" = 89504e470d0a1a0a ] \
  || fail "not a PNG"
[ "$(od -An -tu1 -j16 -N8 "$tmp/shot.png" | tr -s ' ')" = " 0 0 4 176 0 0 3 132" ] \
  || fail "not 1200x900"
size=$(stat -c %s "$tmp/shot.png")
[ "$size" -gt 20000 ] || fail "screenshot of $size bytes: an empty page?"
echo "ok"
