/* A project header calling the configured spin_lock/spin_unlock, declared
 * in another header (spin.h): from static inline helpers, which a.c and
 * b.c both use, and from macros, used by a.c and by queue_len() itself. */
#ifndef QUEUE_H
#define QUEUE_H
#include "spin.h"

struct queue {
  spinlock_t lock;
  int n;
};

#define QUEUE_LOCK(q) spin_lock(&(q)->lock)
#define QUEUE_UNLOCK(q) spin_unlock(&(q)->lock)

static inline void queue_push(struct queue *q) {
  spin_lock(&q->lock);
  q->n++;
  spin_unlock(&q->lock);
}

static inline int queue_len(struct queue *q) {
  int n;
  QUEUE_LOCK(q);
  n = q->n;
  QUEUE_UNLOCK(q);
  return n;
}

#ifdef QUEUE_TRACE /* not defined: this helper's calls stay as written */
static inline void queue_trace(struct queue *q) {
  spin_lock(&q->lock);
  spin_unlock(&q->lock);
}
#endif

/* after a conditional directive: its copy declares the wrappers again */
static inline void queue_clear(struct queue *q) {
  spin_lock(&q->lock);
  q->n = 0;
  spin_unlock(&q->lock);
}
#endif
