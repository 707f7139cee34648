/*
 * test_handoff.c — the held-lock record stays true (issue #14, part 3):
 *   - hand-offs: a binary semaphore used as a lock (a configured API) is
 *     taken by main and released by a helper 10,000 times; main's record
 *     never holds more than the dead entry and the lock it takes next, so
 *     its cost is flat, every stale entry is counted once, and no edge
 *     comes from it: with another thread taking other -> gate, the only
 *     edge is that one (no false cycle other -> gate -> other);
 *   - mismatched keys: a configured API locked by hash and unlocked by
 *     pointer: the record does not grow, no edge is invented, and the
 *     unlock's site counts every mismatch (key_mismatches).
 * The wrappers are written as lockinstr writes them for a configuration's
 * [api NAME] sections (LI_WRAPPER_ with LI_CONFIG).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"

#define HANDOFFS 10000
#define ITEMS 1000

/* Sites 0-7: the hand-off; 8-11: the mismatched keys. */
static struct lockinstr_site LI_SITE[] = {
    LOCKINSTR_SITE_INIT(CUSTOM, 0, 20, 3, "handoff.c", "main", "&gate",
                        "g_gate", ""),
    LOCKINSTR_SITE_INIT(CUSTOM, 0, 21, 3, "handoff.c", "helper", "&gate",
                        "g_gate", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 22, 3, "handoff.c", "main",
                        "&other", "g_other", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 23, 3, "handoff.c", "main",
                        "&other", "g_other", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 24, 3, "handoff.c", "third",
                        "&other", "g_other", ""),
    LOCKINSTR_SITE_INIT(CUSTOM, 0, 25, 3, "handoff.c", "third", "&gate",
                        "g_gate", ""),
    LOCKINSTR_SITE_INIT(CUSTOM, 0, 26, 3, "handoff.c", "third", "&gate",
                        "g_gate", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 27, 3, "handoff.c", "third",
                        "&other", "g_other", ""),
    LOCKINSTR_SITE_INIT(CUSTOM, 0, 30, 3, "items.c", "work", "hv",
                        "item_locks[]", ""),
    LOCKINSTR_SITE_INIT(CUSTOM, 0, 31, 3, "items.c", "work", "lock",
                        "item_locks[]", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 32, 3, "items.c", "work",
                        "&inner", "g_inner", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 33, 3, "items.c", "work",
                        "&inner", "g_inner", ""),
};

/* ---- a binary semaphore used as a lock: [api gate_lock] etc. ---- */
static sem_t gate;
static int gate_lock(sem_t *s) {
  return sem_wait(s);
}
static int gate_trylock(sem_t *s) {
  return sem_trywait(s);
}
static int gate_unlock(sem_t *s) {
  return sem_post(s);
}
static int li_gate_lock(struct lockinstr_site *site, sem_t *a1) {
  LI_WRAPPER_(LI_BODY_ACQUIRE_, LI_CONFIG, gate_lock,
              (LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL), LI_S_CFG_ZERO,
              LI_OUT_ERROR, int, (a1), (void *)a1, LI_S_CFG_ZERO,
              gate_trylock(a1))
}
static int li_gate_unlock(struct lockinstr_site *site, sem_t *a1) {
  LI_WRAPPER_(LI_BODY_RELEASE_, LI_CONFIG, gate_unlock,
              (LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL), LI_S_CFG_ZERO,
              LI_OUT_ERROR, int, (a1), (void *)a1, LI_S_NONE, 0)
}

/* ---- item locks: locked by hash, unlocked by pointer ---- */
static pthread_mutex_t item_locks[16];
static void item_lock(void *hv) {
  pthread_mutex_lock(&item_locks[(uintptr_t)hv % 16]);
}
static void item_unlock(pthread_mutex_t *m) {
  pthread_mutex_unlock(m);
}
static void li_item_lock(struct lockinstr_site *site, void *a1) {
  LI_WRAPPER_(LI_BODY_WRAP_, LI_CONFIG, item_lock,
              (LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL), LI_S_NONE,
              LI_OUT_ERROR, void, (a1), (void *)a1, LI_S_NONE, 0)
}
static void li_item_unlock(struct lockinstr_site *site, pthread_mutex_t *a1) {
  LI_WRAPPER_(LI_BODY_RELEASE_, LI_CONFIG, item_unlock,
              (LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL), LI_S_NONE,
              LI_OUT_ERROR, void, (a1), (void *)a1, LI_S_NONE, 0)
}

static pthread_mutex_t other = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t inner = PTHREAD_MUTEX_INITIALIZER;
static sem_t go, back; /* the ping-pong, not recorded */

static void *helper(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < HANDOFFS; i++) {
    sem_wait(&go);
    li_gate_unlock(&LI_SITE[1], &gate); /* main's lock */
    sem_post(&back);
  }
  return NULL;
}

static void *third(void *arg) {
  (void)arg;
  lockinstr_pthread_mutex_lock(&LI_SITE[4], &other);
  li_gate_lock(&LI_SITE[5], &gate); /* other -> gate */
  li_gate_unlock(&LI_SITE[6], &gate);
  lockinstr_pthread_mutex_unlock(&LI_SITE[7], &other);
  return NULL;
}

/* The line of the site with profile id `id`. */
static unsigned long long line_of(json_t *p, json_int_t id) {
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(p, "sites"), i, s) {
    if (json_integer_value(json_object_get(s, "id")) == id)
      return t_u64(s, "line");
  }
  fail_msg("no site %lld", (long long)id);
  return 0;
}

/* The profile's one edge's (from line, to line, count); fails unless it
 * has exactly one. */
static void one_edge(json_t *p, unsigned long long *from,
                     unsigned long long *to, unsigned long long *count) {
  json_t *edges = json_object_get(json_object_get(p, "lock_order"), "edges");
  json_t *e;
  assert_int_equal(json_array_size(edges), 1);
  e = json_array_get(edges, 0);
  *from = line_of(p, json_integer_value(json_object_get(e, "from_site")));
  *to = line_of(p, json_integer_value(json_object_get(e, "to_site")));
  *count = t_u64(e, "count");
}

static void handoffs_leave_no_record(void **state) {
  pthread_t h, t3;
  unsigned int depth, max_depth = 0;
  unsigned long long from, to, count;
  json_t *p;
  int i;
  (void)state;
  lockinstr_reset();
  assert_int_equal(sem_init(&gate, 0, 1), 0);
  assert_int_equal(sem_init(&go, 0, 0), 0);
  assert_int_equal(sem_init(&back, 0, 0), 0);
  assert_int_equal(pthread_create(&h, NULL, helper, NULL), 0);
  for (i = 0; i < HANDOFFS; i++) {
    assert_int_equal(li_gate_lock(&LI_SITE[0], &gate), 0);
    sem_post(&go);
    sem_wait(&back); /* the helper released gate */
    lockinstr_pthread_mutex_lock(&LI_SITE[2], &other);
    depth = li_held_depth();
    if (depth > max_depth)
      max_depth = depth;
    lockinstr_pthread_mutex_unlock(&LI_SITE[3], &other);
  }
  assert_int_equal(pthread_join(h, NULL), 0);
  /* at most the last hand-off's dead entry and `other`: flat */
  assert_int_equal(max_depth, 2);
  assert_int_equal(pthread_create(&t3, NULL, third, NULL), 0);
  assert_int_equal(pthread_join(t3, NULL), 0);
  p = t_dump();
  assert_int_equal(t_u64(p, "dropped.stale_held"), HANDOFFS);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), HANDOFFS);
  assert_int_equal(t_u64(p, "dropped.held_overflow"), 0);
  assert_int_equal(t_site_u64(p, "gate_lock", 20, "acquisitions"), HANDOFFS);
  assert_int_equal(t_site_u64(p, "gate_unlock", 21, "releases"), HANDOFFS);
  one_edge(p, &from, &to, &count); /* no gate -> other: no cycle */
  assert_int_equal(from, 24);
  assert_int_equal(to, 25);
  assert_int_equal(count, 1);
  json_decref(p);
}

static void mismatched_keys_leave_no_record(void **state) {
  unsigned long long from, to, count;
  uintptr_t hv;
  json_t *p;
  int i;
  (void)state;
  for (i = 0; i < 16; i++)
    pthread_mutex_init(&item_locks[i], NULL);
  lockinstr_reset();
  for (i = 0; i < ITEMS; i++) {
    hv = (uintptr_t)(i * 7 + 1);
    li_item_lock(&LI_SITE[8], (void *)hv);
    lockinstr_pthread_mutex_lock(&LI_SITE[10], &inner);
    lockinstr_pthread_mutex_unlock(&LI_SITE[11], &inner);
    li_item_unlock(&LI_SITE[9], &item_locks[hv % 16]);
    assert_int_equal(li_held_depth(), 0); /* no growth */
  }
  p = t_dump();
  assert_int_equal(t_site_u64(p, "item_unlock", 31, "key_mismatches"), ITEMS);
  assert_int_equal(t_site_u64(p, "item_unlock", 31, "releases"), ITEMS);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  assert_int_equal(t_u64(p, "dropped.stale_held"), 0);
  /* only the real edge: no item_locks[] -> item_locks[] */
  one_edge(p, &from, &to, &count);
  assert_int_equal(from, 30);
  assert_int_equal(to, 32);
  assert_int_equal(count, ITEMS);
  assert_null(json_object_get(t_site(p, "item_lock", 30), "key_mismatches"));
  json_decref(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(handoffs_leave_no_record),
      cmocka_unit_test(mismatched_keys_leave_no_record),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
