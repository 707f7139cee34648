#!/bin/sh
# check_exports.sh SHARED_LIB [STATIC_LIB]: liblockinstr.so, and
# liblockinstr.a when given, export exactly the public API and the
# internals the inline wrappers use (everything else is hidden in the .so,
# local in the .a: a program may use any other name); neither calls
# getenv (the runtime reads its environment with li_env_get only, which
# ignores it in setuid programs).
set -eu
want="li_acquired li_anon_lock li_cond_enter li_cond_leave li_inner li_unprobed li_sem_done li_sem_posted
li_shared li_failed li_forget li_now_mono li_released_at li_tls li_wait_begin li_waited
lockinstr_dump lockinstr_enable lockinstr_enabled lockinstr_get_sample_rate
lockinstr_now_ns lockinstr_reset lockinstr_set_default_output
lockinstr_set_default_quiet lockinstr_set_sample_rate lockinstr_strerror
track_acquire track_cond_enter track_cond_leave track_describe track_failed
track_release"
exp=$(printf '%s\n' "$want" | tr ' ' '\n' | grep . | sort | tr '\n' ' ')

# same WHAT GOT: GOT (a list of names) is the allow-list, or fail.
same() {
  got=$(printf '%s\n' "$2" | grep . | sort | tr '\n' ' ')
  if [ "$got" != "$exp" ]; then
    echo "$1 exports: $got" >&2
    echo "expected: $exp" >&2
    exit 1
  fi
}

# no_getenv WHAT UNDEFINED: fail when getenv is among the undefined names.
no_getenv() {
  if printf '%s\n' "$2" | grep -qx getenv; then
    echo "$1 calls getenv: every LOCKINSTR_* read must go through" \
      "li_env_get (runtime/env.c)" >&2
    exit 1
  fi
}

same "$1" "$(nm -D --defined-only "$1" | awk '{print $3}')"
no_getenv "$1" "$(nm -D --undefined-only "$1" | awk '{print $2}' | sed 's/@.*//')"
if [ $# -ge 2 ]; then
  same "$2" "$(nm -g --defined-only "$2" | awk 'NF == 3 {print $3}')"
  no_getenv "$2" "$(nm -u "$2" | awk '{print $2}')"
fi

# li_shared (what every wrapper reads) must be alone on its cache line.
line=$(nm -D -S --defined-only "$1" | awk '$4 == "li_shared" {print $1, $2}')
addr=${line% *} size=${line#* }
if [ $((0x$addr % 64)) -ne 0 ] || [ $((0x$size)) -ne 64 ]; then
  echo "li_shared at 0x$addr, size 0x$size: not one whole cache line" >&2
  exit 1
fi
