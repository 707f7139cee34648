#!/bin/sh
# check_exports.sh LIB: liblockinstr.so exports exactly the public API and
# the internals the inline wrappers use (everything else is hidden).
set -eu
want="li_acquired li_cond_enter li_cond_leave
li_shared li_failed li_forget li_now_mono li_released li_tls li_waited
lockinstr_dump lockinstr_enable lockinstr_enabled lockinstr_get_sample_rate
lockinstr_now_ns lockinstr_reset lockinstr_set_default_output
lockinstr_set_default_quiet lockinstr_set_sample_rate lockinstr_strerror
track_acquire track_cond_enter track_cond_leave track_describe track_failed
track_release"
got=$(nm -D --defined-only "$1" | awk '{print $3}' | sort | tr '\n' ' ')
exp=$(printf '%s\n' "$want" | tr ' ' '\n' | grep . | sort | tr '\n' ' ')
if [ "$got" != "$exp" ]; then
  echo "exported: $got" >&2
  echo "expected: $exp" >&2
  exit 1
fi
# li_shared (what every wrapper reads) must be alone on its cache line.
line=$(nm -D -S --defined-only "$1" | awk '$4 == "li_shared" {print $1, $2}')
addr=${line% *} size=${line#* }
if [ $((0x$addr % 64)) -ne 0 ] || [ $((0x$size)) -ne 64 ]; then
  echo "li_shared at 0x$addr, size 0x$size: not one whole cache line" >&2
  exit 1
fi
