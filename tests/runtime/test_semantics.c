/*
 * test_semantics.c — what each kind of call counts: a failed trylock is a
 * try failure, not an acquisition; a timeout is counted; error returns
 * (EDEADLK, EPERM, EINVAL) pass through and count as errors; recursive
 * mutexes; robust mutexes whose owner died; rwlock read and write sites
 * kept apart; spinlocks; init and destroy; unlocks of locks not held;
 * errno left alone; hand annotation; the run-time off switch; reset.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"

/* ThreadSanitizer reports the program errors some tests make on purpose
 * (double unlock, unlock by a non-owner, destroy while locked): those
 * tests run in the other builds only. */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifdef UNDER_TSAN
#define MISUSE_TEST(f) cmocka_unit_test(skipped)
#define MISUSE __attribute__((unused))
static void skipped(void **state) {
  (void)state;
  skip();
}
#else
#define MISUSE_TEST(f) cmocka_unit_test(f)
#define MISUSE
#endif

#define S(api, line)                                                           \
  LOCKINSTR_SITE_INIT(api, 0, line, 5, "sem.c", "f", "&l", "l", "")
static struct lockinstr_site LI_SITE[] = {
    S(pthread_mutex_trylock, 100),      /* 0 */
    S(pthread_mutex_unlock, 101),       /* 1 */
    S(pthread_mutex_timedlock, 110),    /* 2 */
    S(pthread_mutex_unlock, 111),       /* 3 */
    S(pthread_mutex_lock, 120),         /* 4 */
    S(pthread_mutex_unlock, 121),       /* 5 */
    S(pthread_mutex_lock, 130),         /* 6 */
    S(pthread_mutex_unlock, 131),       /* 7 */
    S(pthread_rwlock_rdlock, 140),      /* 8 */
    S(pthread_rwlock_wrlock, 141),      /* 9 */
    S(pthread_rwlock_unlock, 142),      /* 10 */
    S(pthread_rwlock_tryrdlock, 143),   /* 11 */
    S(pthread_rwlock_trywrlock, 144),   /* 12 */
    S(pthread_rwlock_timedwrlock, 145), /* 13 */
    S(pthread_spin_lock, 150),          /* 14 */
    S(pthread_spin_unlock, 151),        /* 15 */
    S(pthread_spin_trylock, 152),       /* 16 */
    S(pthread_mutex_init, 160),         /* 17 */
    S(pthread_mutex_destroy, 161),      /* 18 */
    S(pthread_spin_destroy, 162),       /* 19 */
    S(pthread_mutex_clocklock, 170),    /* 20 */
    S(pthread_mutex_lock, 180),         /* 21 */
    S(pthread_mutex_unlock, 181),       /* 22 */
};

/* A deadline `ms` milliseconds from now on CLOCK_REALTIME. */
static struct timespec in_ms(long ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += ms * 1000000L;
  ts.tv_sec += ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  return ts;
}

static void failed_trylock_is_a_try_failure(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  json_t *p;
  (void)state;
  lockinstr_reset();
  pthread_mutex_lock(&mu); /* held, uninstrumented */
  assert_int_equal(lockinstr_pthread_mutex_trylock(&LI_SITE[0], &mu), EBUSY);
  pthread_mutex_unlock(&mu);
  assert_int_equal(lockinstr_pthread_mutex_trylock(&LI_SITE[0], &mu), 0);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu), 0);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_trylock", 100, "try_failures"),
                   1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_trylock", 100, "acquisitions"),
                   1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_trylock", 100, "contentions"),
                   0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 101, "releases"), 1);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
}

static pthread_mutex_t busy_mu = PTHREAD_MUTEX_INITIALIZER;
static int busy_state; /* 1 = holding, 2 = may release; atomic */

static void *hold_until_told(void *arg) {
  (void)arg;
  pthread_mutex_lock(&busy_mu);
  __atomic_store_n(&busy_state, 1, __ATOMIC_RELEASE);
  while (__atomic_load_n(&busy_state, __ATOMIC_ACQUIRE) != 2)
    t_sleep_ns(100000);
  pthread_mutex_unlock(&busy_mu);
  return NULL;
}

static void timeout_is_counted(void **state) {
  struct timespec dl, bad;
  pthread_t th;
  json_t *p;
  (void)state;
  lockinstr_reset();
  __atomic_store_n(&busy_state, 0, __ATOMIC_RELAXED);
  pthread_create(&th, NULL, hold_until_told, NULL);
  while (__atomic_load_n(&busy_state, __ATOMIC_ACQUIRE) != 1)
    t_sleep_ns(100000);
  dl = in_ms(20);
  assert_int_equal(
      lockinstr_pthread_mutex_timedlock(&LI_SITE[2], &busy_mu, &dl), ETIMEDOUT);
  /* an invalid deadline on a busy lock: EINVAL, an error, not a timeout */
  bad.tv_sec = dl.tv_sec;
  bad.tv_nsec = -1;
  assert_int_equal(
      lockinstr_pthread_mutex_timedlock(&LI_SITE[2], &busy_mu, &bad), EINVAL);
  __atomic_store_n(&busy_state, 2, __ATOMIC_RELEASE);
  pthread_join(th, NULL);
  dl = in_ms(1000);
  assert_int_equal(
      lockinstr_pthread_mutex_timedlock(&LI_SITE[2], &busy_mu, &dl), 0);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[3], &busy_mu), 0);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_timedlock", 110, "timeouts"),
                   1);
  assert_int_equal(
      t_site_u64(p, "pthread_mutex_timedlock", 110, "acquisitions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_timedlock", 110, "contentions"),
                   0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_timedlock", 110, "errors"), 1);
  json_decref(p);
}

MISUSE static void errors_pass_through(void **state) {
  pthread_mutexattr_t a;
  pthread_mutex_t mu;
  struct timespec dl = in_ms(1000);
  json_t *p;
  (void)state;
  lockinstr_reset();
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&mu, &a);
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[4], &mu), 0);
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[4], &mu), EDEADLK);
  assert_int_equal(lockinstr_pthread_mutex_timedlock(&LI_SITE[2], &mu, &dl),
                   EDEADLK);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[5], &mu), 0);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[5], &mu), EPERM);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 120, "acquisitions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 120, "errors"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 120, "contentions"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 120, "wait.count"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_timedlock", 110, "errors"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 121, "releases"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 121, "errors"), 1);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
  pthread_mutex_destroy(&mu);
  pthread_mutexattr_destroy(&a);
}

static void recursive_mutex(void **state) {
  pthread_mutexattr_t a;
  pthread_mutex_t mu;
  unsigned int depth = li_held_depth();
  int i;
  json_t *p;
  (void)state;
  lockinstr_reset();
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&mu, &a);
  for (i = 0; i < 3; i++)
    assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[6], &mu), 0);
  assert_int_equal(li_held_depth(), depth + 3);
  for (i = 0; i < 3; i++)
    assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[7], &mu), 0);
  assert_int_equal(li_held_depth(), depth);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 130, "acquisitions"), 3);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 130, "contentions"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 131, "releases"), 3);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
  pthread_mutex_destroy(&mu);
  pthread_mutexattr_destroy(&a);
}

static void rwlock_read_and_write_apart(void **state) {
  pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
  struct timespec dl = in_ms(1000);
  json_t *p, *s;
  (void)state;
  lockinstr_reset();
  assert_int_equal(lockinstr_pthread_rwlock_rdlock(&LI_SITE[8], &rw), 0);
  assert_int_equal(lockinstr_pthread_rwlock_rdlock(&LI_SITE[8], &rw), 0);
  assert_int_equal(lockinstr_pthread_rwlock_trywrlock(&LI_SITE[12], &rw),
                   EBUSY);
  assert_int_equal(lockinstr_pthread_rwlock_unlock(&LI_SITE[10], &rw), 0);
  assert_int_equal(lockinstr_pthread_rwlock_unlock(&LI_SITE[10], &rw), 0);
  assert_int_equal(lockinstr_pthread_rwlock_wrlock(&LI_SITE[9], &rw), 0);
  assert_int_equal(lockinstr_pthread_rwlock_tryrdlock(&LI_SITE[11], &rw),
                   EBUSY);
  assert_int_equal(lockinstr_pthread_rwlock_unlock(&LI_SITE[10], &rw), 0);
  assert_int_equal(lockinstr_pthread_rwlock_timedwrlock(&LI_SITE[13], &rw, &dl),
                   0);
  assert_int_equal(lockinstr_pthread_rwlock_unlock(&LI_SITE[10], &rw), 0);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_rwlock_rdlock", 140, "acquisitions"),
                   2);
  assert_int_equal(t_site_u64(p, "pthread_rwlock_wrlock", 141, "acquisitions"),
                   1);
  assert_int_equal(
      t_site_u64(p, "pthread_rwlock_timedwrlock", 145, "acquisitions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_rwlock_unlock", 142, "releases"), 4);
  assert_int_equal(
      t_site_u64(p, "pthread_rwlock_tryrdlock", 143, "try_failures"), 1);
  assert_int_equal(
      t_site_u64(p, "pthread_rwlock_trywrlock", 144, "try_failures"), 1);
  s = t_site(p, "pthread_rwlock_rdlock", 140);
  assert_string_equal(json_string_value(json_object_get(s, "mode")), "read");
  s = t_site(p, "pthread_rwlock_wrlock", 141);
  assert_string_equal(json_string_value(json_object_get(s, "mode")), "write");
  s = t_site(p, "pthread_rwlock_unlock", 142);
  assert_string_equal(json_string_value(json_object_get(s, "mode")), "any");
  assert_string_equal(json_string_value(json_object_get(s, "kind")), "release");
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
}

MISUSE static void spinlock_try_and_double_unlock(void **state) {
  pthread_spinlock_t sp;
  json_t *p;
  (void)state;
  lockinstr_reset();
  pthread_spin_init(&sp, PTHREAD_PROCESS_PRIVATE);
  assert_int_equal(lockinstr_pthread_spin_lock(&LI_SITE[14], (void *)&sp), 0);
  assert_int_equal(lockinstr_pthread_spin_trylock(&LI_SITE[16], (void *)&sp),
                   EBUSY);
  assert_int_equal(lockinstr_pthread_spin_unlock(&LI_SITE[15], (void *)&sp), 0);
  /* A double unlock: the spinlock allows it; the runtime counts it. */
  assert_int_equal(lockinstr_pthread_spin_unlock(&LI_SITE[15], (void *)&sp), 0);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_spin_lock", 150, "acquisitions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_spin_trylock", 152, "try_failures"),
                   1);
  assert_int_equal(t_site_u64(p, "pthread_spin_unlock", 151, "releases"), 2);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 1);
  json_decref(p);
  pthread_spin_destroy(&sp);
}

static pthread_mutex_t handoff = PTHREAD_MUTEX_INITIALIZER;

static void *lock_and_leave(void *arg) {
  (void)arg;
  lockinstr_pthread_mutex_lock(&LI_SITE[21], &handoff);
  return NULL;
}

MISUSE static void unlock_by_another_thread_counted(void **state) {
  pthread_t th;
  json_t *p;
  (void)state;
  lockinstr_reset();
  pthread_create(&th, NULL, lock_and_leave, NULL);
  pthread_join(th, NULL);
  /* A normal mutex does not check its owner: this unlock succeeds. */
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[22], &handoff), 0);
  p = t_dump();
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 180, "acquisitions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 181, "releases"), 1);
  json_decref(p);
}

MISUSE static void init_destroy_and_forget(void **state) {
  pthread_mutex_t mu;
  pthread_spinlock_t sp;
  unsigned int depth = li_held_depth();
  json_t *p;
  (void)state;
  lockinstr_reset();
  assert_int_equal(lockinstr_pthread_mutex_init(&LI_SITE[17], &mu, NULL), 0);
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[4], &mu), 0);
  assert_int_equal(lockinstr_pthread_mutex_destroy(&LI_SITE[18], &mu), EBUSY);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[5], &mu), 0);
  assert_int_equal(lockinstr_pthread_mutex_destroy(&LI_SITE[18], &mu), 0);
  /* A spinlock destroyed while held: its address is forgotten. */
  pthread_spin_init(&sp, PTHREAD_PROCESS_PRIVATE);
  assert_int_equal(lockinstr_pthread_spin_lock(&LI_SITE[14], (void *)&sp), 0);
  assert_int_equal(li_held_depth(), depth + 1);
  assert_int_equal(lockinstr_pthread_spin_destroy(&LI_SITE[19], (void *)&sp),
                   0);
  assert_int_equal(li_held_depth(), depth);
  p = t_dump();
  assert_non_null(t_site(p, "pthread_mutex_init", 160));
  assert_int_equal(t_site_u64(p, "pthread_mutex_destroy", 161, "errors"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_init", 160, "errors"), 0);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
}

static pthread_mutex_t robust;

static void *lock_and_die(void *arg) {
  (void)arg;
  pthread_mutex_lock(&robust);
  return NULL; /* exits holding it: the owner is dead */
}

MISUSE static void robust_owner_dead_is_an_acquisition(void **state) {
  pthread_mutexattr_t a;
  pthread_t th;
  json_t *p;
  (void)state;
  lockinstr_reset();
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(&robust, &a);
  pthread_create(&th, NULL, lock_and_die, NULL);
  pthread_join(th, NULL);
  /* the try takes the lock with EOWNERDEAD: no blocking call after it */
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[21], &robust),
                   EOWNERDEAD);
  assert_int_equal(pthread_mutex_consistent(&robust), 0);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[22], &robust), 0);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 180, "acquisitions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 180, "errors"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 181, "releases"), 1);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
  pthread_mutex_destroy(&robust);
  pthread_mutexattr_destroy(&a);
}

static void clocklock_is_an_acquisition(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  struct timespec dl;
  json_t *p;
  (void)state;
  lockinstr_reset();
  clock_gettime(CLOCK_MONOTONIC, &dl);
  dl.tv_sec += 1;
  assert_int_equal(lockinstr_pthread_mutex_clocklock(&LI_SITE[20], &mu,
                                                     CLOCK_MONOTONIC, &dl),
                   0);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu), 0);
  p = t_dump();
  assert_int_equal(
      t_site_u64(p, "pthread_mutex_clocklock", 170, "acquisitions"), 1);
  json_decref(p);
}

static void errno_left_alone(void **state) {
  static struct lockinstr_site fresh[] = {S(pthread_mutex_lock, 190),
                                          S(pthread_mutex_unlock, 191)};
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  (void)state;
  errno = 4242; /* first use of these sites: the slow path runs */
  assert_int_equal(lockinstr_pthread_mutex_lock(&fresh[0], &mu), 0);
  assert_int_equal(errno, 4242);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&fresh[1], &mu), 0);
  assert_int_equal(errno, 4242);
}

/* The site of a custom API in the profile, by its function. */
static json_t *custom_site(json_t *p, const char *function) {
  json_t *it;
  size_t i;
  json_array_foreach(json_object_get(p, "sites"), i, it) {
    if (strcmp(json_string_value(json_object_get(it, "function")), function) ==
        0)
      return it;
  }
  fail_msg("no site in %s", function);
  return NULL;
}

static void hand_annotation(void **state) {
  static struct lockinstr_site acq =
      LOCKINSTR_SITE_CUSTOM("my_lock", "&q->lock", "struct queue.lock");
  static struct lockinstr_site rel =
      LOCKINSTR_SITE_CUSTOM("my_unlock", "&q->lock", "struct queue.lock");
  int lock = 0;
  json_t *p, *s;
  (void)state;
  lockinstr_reset();
  track_acquire(&acq, &lock, LOCKINSTR_MODE_WRITE, 1, 123456);
  track_release(&rel, &lock);
  track_acquire(&acq, &lock, LOCKINSTR_MODE_WRITE, 0, 0);
  track_release(&rel, &lock);
  p = t_dump();
  s = custom_site(p, "my_lock");
  assert_string_equal(json_string_value(json_object_get(s, "api")), "custom");
  assert_string_equal(json_string_value(json_object_get(s, "kind")), "acquire");
  assert_string_equal(json_string_value(json_object_get(s, "mode")), "write");
  assert_int_equal(t_u64(s, "acquisitions"), 2);
  assert_int_equal(t_u64(s, "contentions"), 1);
  assert_int_equal(t_u64(s, "wait.total_ns"), 123456);
  s = custom_site(p, "my_unlock");
  assert_string_equal(json_string_value(json_object_get(s, "kind")), "release");
  assert_int_equal(t_u64(s, "releases"), 2);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
}

/* The lock and the unlock call of one macro use of configured APIs: the
 * rewriter gives both sites the same descriptor (the use's line, column,
 * function, expression), api "custom"; their descriptions keep them apart. */
static void one_macro_use_two_custom_sites(void **state) {
  /* both on one line, as a macro use's two sites are */
  /* clang-format off */
  static struct lockinstr_site s[2] = {LOCKINSTR_SITE_CUSTOM("use", "&l", "l"), LOCKINSTR_SITE_CUSTOM("use", "&l", "l")};
  /* clang-format on */
  int lock = 0, i;
  json_t *p, *it, *sites;
  size_t k;
  (void)state;
  lockinstr_reset();
  for (i = 0; i < 3; i++) {
    if (!__atomic_load_n(&s[0].id, __ATOMIC_RELAXED))
      track_describe(&s[0], "spin_lock", LOCKINSTR_KIND_ACQUIRE,
                     LOCKINSTR_MODE_EXCL);
    if (!li_fast_acquire_(&s[0], &lock, 1)) /* as LI_BODY_TRY_ */
      li_acquired(&s[0], &lock, 0, 0);
    if (!__atomic_load_n(&s[1].id, __ATOMIC_RELAXED))
      track_describe(&s[1], "spin_unlock", LOCKINSTR_KIND_RELEASE,
                     LOCKINSTR_MODE_EXCL);
    if (!li_fast_release_(&s[1], &lock) && li_release_slow_())
      li_released_at(&s[1], &lock, li_now()); /* as LI_BODY_RELEASE_ */
  }
  assert_int_not_equal(s[0].id, s[1].id);
  p = t_dump();
  sites = json_object_get(p, "sites");
  i = 0;
  json_array_foreach(sites, k, it) {
    const char *api = json_string_value(json_object_get(it, "api"));
    if (strcmp(json_string_value(json_object_get(it, "function")), "use"))
      continue;
    i++;
    if (strcmp(api, "spin_lock") == 0) {
      assert_int_equal(t_u64(it, "acquisitions"), 3);
      assert_int_equal(t_u64(it, "releases"), 0);
    } else {
      assert_string_equal(api, "spin_unlock");
      assert_int_equal(t_u64(it, "acquisitions"), 0);
      assert_int_equal(t_u64(it, "releases"), 3);
    }
  }
  assert_int_equal(i, 2);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
}

static void hand_annotation_failures_conds_names(void **state) {
  static struct lockinstr_site try_site =
      LOCKINSTR_SITE_CUSTOM("my_try", "&l", "l");
  static struct lockinstr_site lock_site =
      LOCKINSTR_SITE_CUSTOM("my_cond_lock", "&l", "l");
  static struct lockinstr_site wait_site =
      LOCKINSTR_SITE_CUSTOM("my_wait", "&l", "l");
  static struct lockinstr_site unlock_site =
      LOCKINSTR_SITE_CUSTOM("my_cond_unlock", "&l", "l");
  int lock = 0, entered;
  json_t *p, *s;
  (void)state;
  lockinstr_reset();
  track_describe(&try_site, "spin_trylock", LOCKINSTR_KIND_TRY,
                 LOCKINSTR_MODE_EXCL);
  track_describe(&wait_site, "uv_cond_timedwait", LOCKINSTR_KIND_CONDTIMEDWAIT,
                 LOCKINSTR_MODE_EXCL);
  track_failed(&try_site, LOCKINSTR_OUTCOME_BUSY);
  track_failed(&try_site, LOCKINSTR_OUTCOME_BUSY);
  track_failed(&try_site, LOCKINSTR_OUTCOME_TIMEDOUT);
  track_failed(&try_site, LOCKINSTR_OUTCOME_ERROR);
  track_failed(&try_site, LOCKINSTR_OUTCOME_OK); /* records nothing */
  track_acquire(&lock_site, &lock, LOCKINSTR_MODE_EXCL, 0, 0);
  entered = track_cond_enter(&wait_site, &lock);
  assert_int_equal(entered, 1);
  track_cond_leave(&wait_site, &lock, entered, LOCKINSTR_OUTCOME_TIMEDOUT,
                   777000);
  track_release(&unlock_site, &lock);
  p = t_dump();
  s = custom_site(p, "my_try");
  assert_string_equal(json_string_value(json_object_get(s, "api")),
                      "spin_trylock");
  assert_string_equal(json_string_value(json_object_get(s, "kind")), "try");
  assert_int_equal(t_u64(s, "try_failures"), 2);
  assert_int_equal(t_u64(s, "timeouts"), 1);
  assert_int_equal(t_u64(s, "errors"), 1);
  assert_int_equal(t_u64(s, "acquisitions"), 0);
  s = custom_site(p, "my_wait");
  assert_string_equal(json_string_value(json_object_get(s, "api")),
                      "uv_cond_timedwait");
  assert_string_equal(json_string_value(json_object_get(s, "kind")),
                      "condtimedwait");
  assert_int_equal(t_u64(s, "cond.count"), 1);
  assert_int_equal(t_u64(s, "cond.total_ns"), 777000);
  assert_int_equal(t_u64(s, "timeouts"), 1);
  assert_int_equal(t_u64(s, "acquisitions"), 1);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
}

static void off_switch_and_reset(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  json_t *p;
  (void)state;
  lockinstr_reset();
  lockinstr_enable(0);
  assert_int_equal(lockinstr_enabled(), 0);
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[4], &mu), 0);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[5], &mu), 0);
  lockinstr_enable(1);
  assert_int_equal(lockinstr_enabled(), 1);
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[4], &mu), 0);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[5], &mu), 0);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 120, "acquisitions"), 1);
  json_decref(p);
  lockinstr_reset();
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 120, "acquisitions"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 121, "releases"), 0);
  json_decref(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(failed_trylock_is_a_try_failure),
      cmocka_unit_test(timeout_is_counted),
      MISUSE_TEST(errors_pass_through),
      cmocka_unit_test(recursive_mutex),
      cmocka_unit_test(rwlock_read_and_write_apart),
      MISUSE_TEST(spinlock_try_and_double_unlock),
      MISUSE_TEST(unlock_by_another_thread_counted),
      MISUSE_TEST(init_destroy_and_forget),
      MISUSE_TEST(robust_owner_dead_is_an_acquisition),
      cmocka_unit_test(clocklock_is_an_acquisition),
      cmocka_unit_test(errno_left_alone),
      cmocka_unit_test(hand_annotation),
      cmocka_unit_test(one_macro_use_two_custom_sites),
      cmocka_unit_test(hand_annotation_failures_conds_names),
      cmocka_unit_test(off_switch_and_reset),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
