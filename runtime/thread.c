/*
 * thread.c — per-thread state and the live-thread registry.
 */
#include "thread.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "control.h"
#include "lifecycle.h"
#include "sample.h"
#include "site.h"

__thread struct li_thread li_tls __attribute__((tls_model("initial-exec")));

static pthread_key_t exit_key;
static struct li_thread_ext *live; /* list head; li_lock */
static unsigned long long seen;    /* threads registered; li_lock */

static void thread_exit(void *arg);

void li_threads_init(void) { pthread_key_create(&exit_key, thread_exit); }

/* Allocates and links the calling thread's cold state. */
static struct li_thread_ext *register_thread(struct li_thread *t) {
  struct li_thread_ext *ext = calloc(1, sizeof *ext);
  if (!ext)
    return NULL;
  t->held = malloc(LI_HELD_INITIAL * sizeof *t->held);
  t->capheld = t->held ? LI_HELD_INITIAL : 0;
  t->nheld = 0;
  ext->rng = li_rng_seed((unsigned long long)(uintptr_t)t);
  ext->draw_rate = li_sample_rate();
  ext->reset_gen = li_reset_gen();
  t->countdown = li_sample_draw(&ext->rng, ext->draw_rate);
  t->seen = __atomic_load_n(&li_control, __ATOMIC_RELAXED);
  li_lock();
  ext->next = live;
  if (live)
    live->prev = ext;
  live = ext;
  seen++;
  li_unlock();
  pthread_setspecific(exit_key, ext);
  return ext;
}

struct li_thread *li_thread_get(void) {
  struct li_thread *t = &li_tls;
  if (__builtin_expect(t->ext != NULL, 1))
    return t;
  li_init();
  t->ext = register_thread(t);
  return t->ext ? t : NULL;
}

void li_thread_sync(struct li_thread *t) {
  struct li_thread_ext *ext = t->ext;
  unsigned long c = __atomic_load_n(&li_control, __ATOMIC_RELAXED);
  unsigned int rate;
  unsigned long gen;
  if (c == t->seen)
    return;
  rate = li_sample_rate();
  if (rate != ext->draw_rate) {
    ext->draw_rate = rate;
    t->countdown = li_sample_draw(&ext->rng, rate);
  }
  gen = li_reset_gen();
  if (gen != ext->reset_gen) {
    ext->nevents = 0; /* buffered before the reset */
    ext->reset_gen = gen;
  }
  t->seen = c;
}

/* Grows the counters to cover `id` (and every site registered so far).
 * Returns 0, or -1 out of memory. */
static int grow_counts(struct li_thread *t, unsigned int id) {
  struct li_counts *old = t->counts, *c;
  unsigned int n;
  li_lock();
  n = li_site_count();
  if (n < id)
    n = id;
  if (n < 2 * t->ncounts)
    n = 2 * t->ncounts;
  if (n < 64)
    n = 64;
  c = calloc(n, sizeof *c);
  if (!c) {
    li_unlock();
    return -1;
  }
  if (old)
    memcpy(c, old, t->ncounts * sizeof *c);
  t->counts = t->ext->counts = c;
  t->ncounts = t->ext->ncounts = n;
  free(old);
  li_unlock();
  return 0;
}

struct li_counts *li_thread_counts(struct li_thread *t, unsigned int id) {
  assert(id >= 1 && !(id & 0x80000000u));
  if (id - 1u >= t->ncounts && grow_counts(t, id) != 0)
    return NULL;
  return &t->counts[id - 1];
}

unsigned int li_thread_sample(struct li_thread *t) {
  unsigned int w;
  if (t->countdown > 1) {
    t->countdown--;
    return 0;
  }
  w = t->ext->draw_rate;
  t->countdown = li_sample_draw(&t->ext->rng, w);
  return w;
}

void li_held_push(struct li_thread *t, void *lock, unsigned int site,
                  unsigned int weight, unsigned long long t0) {
  struct li_held *h;
  if (t->nheld == t->capheld) {
    unsigned int cap = t->capheld ? 2 * t->capheld : LI_HELD_INITIAL;
    struct li_held *p = realloc(t->held, cap * sizeof *p);
    if (!p) {
      LI_DROP(held_overflow);
      return;
    }
    t->held = p;
    t->capheld = cap;
  }
  h = &t->held[t->nheld++];
  h->lock = lock;
  h->site = site;
  h->weight = weight;
  h->t0 = t0;
}

long li_held_find(const struct li_thread *t, const void *lock) {
  long i;
  for (i = (long)t->nheld - 1; i >= 0; i--)
    if (t->held[i].lock == lock)
      return i;
  return -1;
}

void li_held_remove(struct li_thread *t, long i) {
  assert(i >= 0 && (unsigned long)i < t->nheld);
  memmove(&t->held[i], &t->held[i + 1],
          (t->nheld - (unsigned long)i - 1) * sizeof *t->held);
  t->nheld--;
}

void li_event_push(struct li_thread *t, unsigned int site,
                   enum li_event_type type, unsigned long long value,
                   int is_ns, unsigned int weight, unsigned long long now) {
  struct li_thread_ext *ext = t->ext;
  struct li_event *e;
  if (!now)
    now = li_now();
  if (ext->nevents == 0)
    ext->first_tick = now;
  e = &ext->events[ext->nevents++];
  e->site = site;
  e->type = (unsigned char)type;
  e->is_ns = (unsigned char)is_ns;
  e->weight = weight;
  e->value = value;
  if (ext->nevents == LI_EVENT_BUF ||
      now - ext->first_tick > li_clock_flush_ticks())
    li_thread_flush(t);
}

/* Adds one event to its site's record; li_lock held. */
static void apply_event(const struct li_event *e) {
  struct li_site_agg *a = li_site_agg(e->site);
  unsigned long long ns = e->is_ns ? e->value : li_ticks_to_ns(e->value);
  switch (e->type) {
  case LI_EV_WAIT:
    li_hist_add(&a->wait, ns);
    break;
  case LI_EV_HOLD:
    li_hold_add(&a->hold, ns, e->weight);
    break;
  default:
    li_hist_add(&a->cond, ns);
    break;
  }
}

void li_thread_flush(struct li_thread *t) {
  struct li_thread_ext *ext = t->ext;
  unsigned int i;
  if (!ext || ext->nevents == 0)
    return;
  li_lock();
  if (ext->reset_gen == li_reset_gen()) {
    li_clock_calibrate();
    for (i = 0; i < ext->nevents; i++)
      apply_event(&ext->events[i]);
  }
  li_unlock();
  ext->nevents = 0;
}

void li_threads_add_counts(struct li_counts *sums, unsigned int nsites) {
  struct li_thread_ext *e;
  unsigned int i, n;
  for (e = live; e; e = e->next) {
    n = e->ncounts < nsites ? e->ncounts : nsites;
    for (i = 0; i < n; i++) {
      const struct li_counts *c = &e->counts[i];
      sums[i].acq += __atomic_load_n(&c->acq, __ATOMIC_RELAXED);
      sums[i].rel += __atomic_load_n(&c->rel, __ATOMIC_RELAXED);
      sums[i].cont += __atomic_load_n(&c->cont, __ATOMIC_RELAXED);
      sums[i].tryfail += __atomic_load_n(&c->tryfail, __ATOMIC_RELAXED);
      sums[i].timeout += __atomic_load_n(&c->timeout, __ATOMIC_RELAXED);
      sums[i].err += __atomic_load_n(&c->err, __ATOMIC_RELAXED);
    }
  }
}

unsigned long long li_threads_seen(void) { return seen; }

void li_threads_reset_seen(void) {
  struct li_thread_ext *e;
  seen = 0;
  for (e = live; e; e = e->next)
    seen++;
}

/* Unlinks ext from the live list; li_lock held. */
static void unlink_ext(struct li_thread_ext *ext) {
  if (ext->prev)
    ext->prev->next = ext->next;
  else
    live = ext->next;
  if (ext->next)
    ext->next->prev = ext->prev;
  ext->next = ext->prev = NULL;
}

/* The key destructor: runs on the exiting thread. Flushes its events,
 * folds its counters into the aggregate, and frees its state. A lock taken
 * by a later destructor registers the thread again. */
static void thread_exit(void *arg) {
  struct li_thread *t = &li_tls;
  struct li_thread_ext *ext = arg;
  unsigned int i, n;
  assert(t->ext == ext);
  li_thread_flush(t);
  li_lock();
  n = li_site_count();
  if (n > t->ncounts)
    n = t->ncounts;
  for (i = 0; i < n; i++)
    li_counts_add(&li_site_agg(i + 1)->folded, &t->counts[i]);
  unlink_ext(ext);
  li_unlock();
  free(t->counts);
  free(t->held);
  free(ext);
  memset(t, 0, sizeof *t);
}

void li_threads_fork_child(void) {
  struct li_thread_ext *e, *next, *self = li_tls.ext;
  unsigned int i;
  for (e = live; e; e = next) {
    next = e->next;
    if (e == self)
      continue;
    unlink_ext(e);
    free(e->counts); /* the held stacks of other threads are lost: */
    free(e);         /* they were in those threads' TLS */
  }
  seen = 0;
  if (!self)
    return;
  seen = 1;
  memset(li_tls.counts, 0, li_tls.ncounts * sizeof *li_tls.counts);
  self->nevents = 0;
  self->rng = li_rng_seed(self->rng);
  for (i = 0; i < li_tls.nheld; i++)
    li_tls.held[i].weight = 0; /* holds that began in the parent */
}
