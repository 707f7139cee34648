/* A project header whose lock macros are used from two .c files
 * (hdr_macro_a.c, hdr_macro_b.c): its copy is the same for both, each use
 * gets a site of the file and line where it is written, and the helper
 * that uses the macros has its own sites, shared by every includer. */
#ifndef HDR_LOCK_H
#define HDR_LOCK_H
#include <pthread.h>

#define HL_LOCK(m) pthread_mutex_lock(m)
#define HL_UNLOCK(m) pthread_mutex_unlock(m)
#define HL_STAT_INC(s)                                                         \
  do {                                                                         \
    HL_LOCK(&(s)->mu);                                                         \
    (s)->n++;                                                                  \
    HL_UNLOCK(&(s)->mu);                                                       \
  } while (0)
#define HL_MSG "pthread_mutex_lock(not a call)"

struct hl_stat {
  pthread_mutex_t mu;
  long n;
};

static inline void hl_bump(struct hl_stat *s) {
  HL_LOCK(&s->mu);
  s->n++;
  HL_UNLOCK(&s->mu);
}

#endif
