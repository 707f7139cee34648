/*
 * lockid.c — the lock-instance table (see lockid.h).
 *
 * Concurrency: slot.addr is published with a release store after the
 * slot's inst and name are written; slot.inst changes (a new instance, or
 * 0 at an init/destroy) only under li_lock, and is read with acquire loads.
 * A reader that races with an init or destroy at the same address sees the
 * old or the new life, which is what the program itself raced on. Record
 * names go from 0 to a site id once (compare-and-swap) and are read
 * relaxed. The tables live as long as the process.
 */
#include "lockid.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"

#define NSLOTS (2u * LI_LOCKIDS_MAX) /* a power of two: at most half full */

struct li_lockid_slot {
  uintptr_t addr;    /* 0 = empty; set once, last */
  unsigned int inst; /* the current instance, 0 = none yet (or ended) */
  unsigned int name; /* strong site id that initialised it, or 0 */
};

struct li_lockid_rec {
  unsigned int name;  /* strong site id that named it, or 0 */
  unsigned int first; /* site id that first took it */
};

static struct li_lockid_slot *slots; /* NSLOTS, or NULL; set under li_lock */
static struct li_lockid_rec *recs;   /* [1 .. ninst] used */
static unsigned int nused, ninst;    /* written under li_lock */
static unsigned long long ndropped;  /* atomic */

int li_class_weak(const char *cls) {
  const char *p = cls;
  if (!cls || !*cls)
    return 0;
  if (strstr(cls, " @ "))
    return 1; /* the expression fallback */
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
         (*p >= '0' && *p <= '9') || *p == '_' || *p == '$')
    p++;
  return p > cls && p[0] == ':' && p[1] != ':'; /* fn:m, not fn::m */
}

/* The first slot to probe for addr. */
static unsigned int slot0(uintptr_t addr) {
  return (unsigned int)(((unsigned long long)addr * 0x9e3779b97f4a7c15ull) >>
                        40) &
         (NSLOTS - 1);
}

/* The slot of addr, or NULL if it has none (lock-free). */
static struct li_lockid_slot *find(struct li_lockid_slot *tab, uintptr_t a) {
  unsigned int i = slot0(a);
  uintptr_t k;
  while ((k = __atomic_load_n(&tab[i].addr, __ATOMIC_ACQUIRE)) != 0) {
    if (k == a)
      return &tab[i];
    i = (i + 1) & (NSLOTS - 1);
  }
  return NULL;
}

/* Allocates the tables if needed; li_lock held. Returns 0 or -1. */
static int ensure(void) {
  int err = errno;
  if (slots)
    return 0;
  recs = calloc(LI_LOCKIDS_MAX + 1, sizeof *recs);
  if (recs)
    __atomic_store_n(&slots, calloc(NSLOTS, sizeof *slots), __ATOMIC_RELEASE);
  errno = err;
  if (slots)
    return 0;
  free(recs);
  recs = NULL;
  return -1;
}

/* The slot of addr, made if it has none; li_lock held. NULL at the bound
 * or out of memory. */
static struct li_lockid_slot *slot_of(uintptr_t a) {
  struct li_lockid_slot *s;
  unsigned int i;
  if (ensure() != 0)
    return NULL;
  s = find(slots, a);
  if (s || nused >= LI_LOCKIDS_MAX)
    return s;
  i = slot0(a);
  while (slots[i].addr != 0)
    i = (i + 1) & (NSLOTS - 1);
  __atomic_store_n(&nused, nused + 1, __ATOMIC_RELAXED);
  __atomic_store_n(&slots[i].addr, a, __ATOMIC_RELEASE); /* inst, name: 0 */
  return &slots[i];
}

/* Names record r by strong site name if it has no name yet. */
static void name_rec(struct li_lockid_rec *r, unsigned int name) {
  unsigned int none = 0;
  if (name && __atomic_load_n(&r->name, __ATOMIC_RELAXED) == 0)
    __atomic_compare_exchange_n(&r->name, &none, name, 0, __ATOMIC_RELAXED,
                                __ATOMIC_RELAXED);
}

/* 1 when no instance can be made for an address whose slot is s (NULL:
 * none): the bound is reached. Lock-free (a stale answer only sends the
 * caller to create(), which checks again). */
static int full(const struct li_lockid_slot *s) {
  return __atomic_load_n(&ninst, __ATOMIC_RELAXED) >= LI_LOCKIDS_MAX ||
         (!s && __atomic_load_n(&nused, __ATOMIC_RELAXED) >= LI_LOCKIDS_MAX);
}

/* li_lockid_get's creating path: under li_lock. */
static unsigned int create(uintptr_t a, unsigned int site, unsigned int name) {
  struct li_lockid_slot *s;
  unsigned int inst = 0;
  li_lock();
  s = slot_of(a);
  if (s)
    inst = __atomic_load_n(&s->inst, __ATOMIC_RELAXED);
  if (s && !inst && ninst < LI_LOCKIDS_MAX) {
    inst = ninst + 1;
    __atomic_store_n(&ninst, inst, __ATOMIC_RELAXED);
    recs[inst].name = s->name ? s->name : name;
    recs[inst].first = site;
    __atomic_store_n(&s->inst, inst, __ATOMIC_RELEASE);
  }
  li_unlock();
  return inst;
}

unsigned int li_lockid_get(const void *lock, unsigned int site,
                           unsigned int name) {
  struct li_lockid_slot *tab = __atomic_load_n(&slots, __ATOMIC_ACQUIRE), *s;
  uintptr_t a = (uintptr_t)lock;
  unsigned int inst;
  s = tab ? find(tab, a) : NULL;
  inst = s ? __atomic_load_n(&s->inst, __ATOMIC_ACQUIRE) : 0;
  if (!inst && full(s))
    return 0; /* at the bound: no lock taken */
  if (!inst)
    return create(a, site, name);
  name_rec(&recs[inst], name);
  return inst;
}

void li_lockid_lifecycle(const void *lock, unsigned int name, int born) {
  struct li_lockid_slot *s;
  if (!(born && name) && !__atomic_load_n(&slots, __ATOMIC_ACQUIRE))
    return; /* no life was ever recorded */
  li_lock();
  /* only a name needs a slot of its own */
  s = born && name ? slot_of((uintptr_t)lock)
                   : (slots ? find(slots, (uintptr_t)lock) : NULL);
  if (s) {
    __atomic_store_n(&s->inst, 0, __ATOMIC_RELEASE);
    s->name = born ? name : 0;
  }
  li_unlock();
}

void li_lockid_names(unsigned int inst, unsigned int *name,
                     unsigned int *first) {
  *name = __atomic_load_n(&recs[inst].name, __ATOMIC_RELAXED);
  *first = recs[inst].first;
}

void li_lockid_drop(void) {
  __atomic_fetch_add(&ndropped, 1, __ATOMIC_RELAXED);
}

unsigned long long li_lockid_dropped(void) {
  return __atomic_load_n(&ndropped, __ATOMIC_RELAXED);
}

void li_lockid_zero(void) {
  __atomic_store_n(&ndropped, 0, __ATOMIC_RELAXED);
}
