/* A static inline lock helper in a project header: one site per call
 * written here, shared by every file that includes the header. */
#ifndef HDR_INLINE_H
#define HDR_INLINE_H
#include <pthread.h>

struct table {
  pthread_rwlock_t lock;
  int slots[16];
};

static inline int table_get(struct table *t, int i) {
  pthread_rwlock_rdlock(&t->lock);
  int v = t->slots[i & 15];
  pthread_rwlock_unlock(&t->lock);
  return v;
}

static inline void table_put(struct table *t, int i, int v) {
  if (pthread_rwlock_wrlock(&t->lock) == 0) {
    t->slots[i & 15] = v;
    pthread_rwlock_unlock(&t->lock);
  }
}

#endif
