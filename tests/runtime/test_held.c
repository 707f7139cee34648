/*
 * test_held.c — the held-lock stack is bounded (LI_HELD_MAX, 64): 1000
 * nested locks keep the 64 most recent (sampled holds included), the
 * oldest are dropped and counted (dropped.held_overflow), and releases in
 * any order lose or invent nothing else.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"

/* ThreadSanitizer's deadlock detector holds at most 64 locks per thread
 * (and aborts beyond that), so the TSan build nests fewer. */
#if defined(__SANITIZE_THREAD__)
#define DEPTH 48
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DEPTH 48
#endif
#endif
#ifndef DEPTH
#define DEPTH 1000
#endif

static struct lockinstr_site LI_SITE[] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 3, "held.c", "nest",
                        "&locks[i]", "locks[]", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 3, "held.c", "nest",
                        "&locks[i]", "locks[]", ""),
};

static pthread_mutex_t locks[DEPTH];

static void deep_nesting_any_order(void **state) {
  unsigned int base = li_held_depth(), kept = DEPTH < 64 ? DEPTH : 64;
  json_t *p;
  int i;
  (void)state;
  assert_int_equal(base, 0);
  lockinstr_set_sample_rate(1);
  lockinstr_reset();
  for (i = 0; i < DEPTH; i++) {
    pthread_mutex_init(&locks[i], NULL);
    assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[0], &locks[i]), 0);
  }
  assert_int_equal(li_held_depth(), kept);
  /* the even ones first, bottom up (out of order), then the odd ones */
  for (i = 0; i < DEPTH; i += 2)
    assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[1], &locks[i]), 0);
  for (i = DEPTH - 1; i > 0; i -= 2)
    assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[1], &locks[i]), 0);
  assert_int_equal(li_held_depth(), 0);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "acquisitions"),
                   DEPTH);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "hold.samples"),
                   kept);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 11, "releases"),
                   DEPTH);
  /* the dropped records' releases found nothing */
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), DEPTH - kept);
  assert_int_equal(t_u64(p, "dropped.held_overflow"), DEPTH - kept);
  assert_int_equal(t_u64(p, "dropped.stale_held"), 0);
  json_decref(p);
  lockinstr_set_sample_rate(100);
}

/* 1 when p starts a cache line. */
static int line_aligned(const void *p) {
  return (uintptr_t)p % 64 == 0;
}

/* What a fresh thread saw: whether each piece of its state started a
 * cache line, and its depth after taking and releasing 40 locks. */
struct fresh {
  int tls, acq, rel, cold, held, ext, held_grown;
  unsigned int depth_full, depth_after;
};

static void *fresh_thread_state(void *arg) {
  static pthread_mutex_t m[40];
  struct fresh *f = arg;
  int i;
  for (i = 0; i < 40; i++) {
    pthread_mutex_init(&m[i], NULL);
    if (lockinstr_pthread_mutex_lock(&LI_SITE[0], &m[i]) != 0)
      return NULL;
    if (i == 0) {
      f->tls = line_aligned(&li_tls);
      f->acq = line_aligned(li_tls.acq);
      f->rel = line_aligned(li_tls.rel);
      f->cold = line_aligned(li_tls.cold);
      f->held = line_aligned(li_tls.held - 1); /* the sentinel's slot */
      f->ext = line_aligned(li_tls.ext);
    }
  }
  /* 40 held: the stack grew from LI_HELD_INITIAL (16) twice */
  f->held_grown = line_aligned(li_tls.held - 1);
  f->depth_full = li_held_depth();
  for (i = 39; i >= 0; i--)
    lockinstr_pthread_mutex_unlock(&LI_SITE[1], &m[i]);
  f->depth_after = li_held_depth();
  return f;
}

/* What a thread writes on its fast and sampled paths starts a cache line
 * of its own (runtime/thread.c, line_calloc), on a fresh thread and after
 * its held stack grew; and its TLS block, li_tls, starts one. */
static void per_thread_state_in_whole_lines(void **state) {
  struct fresh f = {0};
  pthread_t t;
  void *ret = NULL;
  (void)state;
  assert_int_equal(pthread_create(&t, NULL, fresh_thread_state, &f), 0);
  assert_int_equal(pthread_join(t, &ret), 0);
  assert_ptr_equal(ret, &f);
  assert_true(line_aligned(&li_tls)); /* the main thread's too */
  assert_true(f.tls);
  assert_true(f.acq);
  assert_true(f.rel);
  assert_true(f.cold);
  assert_true(f.held);
  assert_true(f.ext);
  assert_true(f.held_grown);
  assert_int_equal(f.depth_full, 40);
  assert_int_equal(f.depth_after, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(deep_nesting_any_order),
      cmocka_unit_test(per_thread_state_in_whole_lines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
