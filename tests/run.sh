#!/bin/sh
# The whole lockinstr test suite, from a fresh Debian 12 machine:
#   1. installs the dependencies (tests/install-deps.sh),
#   2. builds with gcc (-O2, NDEBUG, as shipped) and runs every CTest test,
#   3. builds with clang -Werror (the project's code must be warning-free
#      under both compilers), assert()s on, and runs every test again,
#   4. builds with ASan+UBSan and runs every test,
#   5. builds the runtime with TSan and runs the runtime's tests.
# Build trees go to build-test/ under the repository root. Exits non-zero on
# the first failing step.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tests/install-deps.sh"
jobs=$(nproc 2>/dev/null || echo 2)

# run NAME CTEST_ARGS -- CMAKE_ARGS...: configure, build and test one tree.
run() {
  name=$1 ctest_args=$2
  shift 3
  dir="$root/build-test/$name"
  echo "==> [$name] configure" >&2
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  echo "==> [$name] build" >&2
  cmake --build "$dir" -j "$jobs"
  echo "==> [$name] test" >&2
  # shellcheck disable=SC2086
  (cd "$dir" && ctest --output-on-failure -j "$jobs" $ctest_args)
}

# gcc: optimised as shipped (NDEBUG). The other passes keep assert()s on.
run gcc "" -- -DCMAKE_C_COMPILER=gcc
run clang "" -- -DCMAKE_C_COMPILER=clang-14 \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g"
run asan-ubsan "-LE no-sanitize" -- -DCMAKE_C_COMPILER=clang-14 \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g" \
  -DLOCKINSTR_SANITIZE=address,undefined
run tsan "-L runtime" -- -DCMAKE_C_COMPILER=clang-14 \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g" \
  -DLOCKINSTR_SANITIZE=thread -DLOCKINSTR_BUILD_TOOL=OFF
echo "==> all test passes succeeded" >&2
