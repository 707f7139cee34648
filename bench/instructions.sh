#!/bin/sh
# instructions.sh [BUILD]: instructions per lock+unlock pair of every
# configuration and API, counted by callgrind over the measured loop
# function only (repeatable, unlike timings on a shared machine), in a
# single-threaded process and in a multi-threaded one (glibc's mutex takes
# a different path in each; see bench/overhead.c).
# BUILD defaults to build-bench/ (made by bench/run.sh).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
b=${1:-$root/build-bench}/bench/bench_overhead
n=100000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
apis="mutex rdlock wrlock spin mtx"
configs="plain|plain_ try-first|try_ default-rate|inst_ rate-1|inst_ LOCKINSTR_DISABLE=1|inst_ -DLOCKINSTR_DISABLE|off_ unsampled|inst_"
for mode in st mt; do
  printf '%-22s' "instructions/pair $mode"
  for a in $apis; do printf '%9s' "$a"; done
  echo
  i=0
  for c in $configs; do
    name=${c%|*} prefix=${c#*|}
    printf '%-22s' "$name"
    j=0
    for a in $apis; do
      LOCKINSTR_QUIET=1 LOCKINSTR_OUTPUT="$tmp/p.%p.json" \
        valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" \
        --toggle-collect="${prefix}${a}_pairs" "$b" once "$i" "$j" "$n" \
        $([ $mode = mt ] && echo mt) \
        >/dev/null 2>&1
      tot=$(awk '/^(summary|totals):/ {print $2; exit}' "$tmp/cg")
      awk -v t="$tot" -v n="$n" 'BEGIN { printf "%9.1f", t / n }'
      j=$((j + 1))
    done
    echo
    i=$((i + 1))
  done
done
