#!/bin/sh
# rewriter.sh LOCKINSTR [FILES LINES ROUNDS]: rewriter throughput (issue #6).
#
# Generates a deterministic corpus (gen_corpus.py; default 200 files x 2000
# lines) in a temporary directory, then alternates, for ROUNDS rounds:
#   clang -fsyntax-only over all files (the floor: one parse per file),
#   lockinstr -j1 and lockinstr -j2 over the same files.
# Prints files per second and the ratios, median of the rounds.
set -eu
tool=$1 files=${2:-200} lines=${3:-2000} rounds=${4:-3}
here=$(cd "$(dirname "$0")" && pwd)
clang=$(command -v clang-14 || command -v clang)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
python3 "$here/gen_corpus.py" "$work/src" "$files" "$lines"
cd "$work/src"

# secs CMD...: wall-clock seconds of one run of CMD (output discarded).
secs() {
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}

: >"$work/syntax" && : >"$work/j1" && : >"$work/j2"
r=0
while [ "$r" -lt "$rounds" ]; do
  secs "$clang" -fsyntax-only file*.c >>"$work/syntax"
  rm -rf "$work/out"
  secs "$tool" --quiet -j1 -o "$work/out" file*.c >>"$work/j1"
  rm -rf "$work/out"
  secs "$tool" --quiet -j2 -o "$work/out" file*.c >>"$work/j2"
  r=$((r + 1))
done

med() { sort -n "$1" | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
s=$(med "$work/syntax") j1=$(med "$work/j1") j2=$(med "$work/j2")
echo "== rewriter throughput: $files files x $lines lines, median of $rounds rounds =="
awk -v s="$s" -v j1="$j1" -v j2="$j2" -v n="$files" 'BEGIN {
  printf "  clang -fsyntax-only  %7.2f s  %7.1f files/s\n", s, n / s
  printf "  lockinstr -j1        %7.2f s  %7.1f files/s  x%.2f of clang -fsyntax-only\n", j1, n / j1, j1 / s
  printf "  lockinstr -j2        %7.2f s  %7.1f files/s  -j2 is %.2fx faster than -j1\n", j2, n / j2, j1 / j2
}'
