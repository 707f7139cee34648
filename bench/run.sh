#!/bin/sh
# run.sh [--quick]: builds and runs every benchmark of issue #6 and prints
# the figures recorded in docs/performance.md. Not part of the test suite.
#
#   bench_overhead         (static runtime) pairs, contended, scale, sharing, memory
#   bench_overhead_shared  (shared runtime) pairs
#   bench_threads          per-thread memory and thread start, many sites
#   bench_anatomy          what each part of the fast path costs (a model)
#   rewriter.sh            rewriter throughput against clang -fsyntax-only
#
# --quick runs a tenth of the work (for checking that it runs, not for
# figures). Build tree: build-bench/ under the repository root.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
quick=""
rounds=11
corpus="200 2000 3"
if [ "${1:-}" = "--quick" ]; then
  quick="--quick" rounds=3 corpus="20 500 1"
fi
"$root/tests/install-deps.sh"
b="$root/build-bench"
cmake -S "$root" -B "$b" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
  -DLOCKINSTR_BUILD_BENCH=ON >/dev/null
cmake --build "$b" -j "$(nproc)" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
export LOCKINSTR_QUIET=1 LOCKINSTR_OUTPUT="$b/bench/profile.%e.%p.json"
"$b/bench/bench_overhead" all --rounds "$rounds" $quick
"$b/bench/bench_overhead_shared" pairs --rounds "$rounds" $quick
"$b/bench/bench_threads" $quick
"$b/bench/bench_anatomy" --rounds "$rounds" $quick
# shellcheck disable=SC2086
"$root/bench/rewriter.sh" "$b/tool/lockinstr" $corpus
