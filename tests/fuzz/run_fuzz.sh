#!/bin/sh
# run_fuzz.sh — runs the profile-reader fuzzer for a bounded time over a
# copy of the committed seed corpus, in the build directory (libFuzzer adds
# the inputs it finds to its first corpus directory and writes crash
# artifacts; neither may land in the source tree).
#
# Usage: run_fuzz.sh FUZZER SEED_DIR DICT WORK_DIR [SECONDS]
set -eu
fuzzer=$1 seeds=$2 dict=$3 work=$4 secs=${5:-20}
rm -rf "$work/corpus"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$seeds"/*.json "$work/corpus/"
cd "$work"
exec "$fuzzer" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
  -max_len=65536 -dict="$dict" -artifact_prefix="$work/artifacts/" \
  -print_final_stats=1 "$work/corpus"
