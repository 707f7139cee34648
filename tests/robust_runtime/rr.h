/*
 * rr.h — small helpers shared by the robust_runtime test programs (issue
 * #7, the runtime half): failing loudly, the heap in use (to show memory
 * stays bounded), and waiting on an atomic counter.
 *
 * The programs are written in the shape of the rewriter's output (a static
 * site table, wrappers called with &S[i], the pthread epilogue last), are
 * linked with liblockinstr, and print what they computed; rr.py runs them
 * and checks their exit status, output, stderr and profiles.
 */
#ifndef RR_H
#define RR_H

#include <malloc.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Prints "FAIL: ..." on stderr and exits 99 (a value no test expects). */
static inline void rr_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("FAIL: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  fflush(stdout);
  _exit(99);
}

#define RR_CHECK(cond)                                                         \
  do {                                                                         \
    if (!(cond))                                                               \
      rr_fail("%s:%d: %s", __FILE__, __LINE__, #cond);                         \
  } while (0)

/* Sanitizer runtimes replace malloc; they report their heap here. */
extern size_t __sanitizer_get_current_allocated_bytes(void)
    __attribute__((weak));

/* Bytes of heap in use now (every malloc arena, mmapped chunks too). */
static inline size_t rr_heap(void) {
  struct mallinfo2 m;
  if (__sanitizer_get_current_allocated_bytes)
    return __sanitizer_get_current_allocated_bytes();
  m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

/* Spins (yielding) until *v >= want. */
static inline void rr_wait_at_least(unsigned long *v, unsigned long want) {
  while (__atomic_load_n(v, __ATOMIC_ACQUIRE) < want)
    sched_yield();
}

#endif
