/* K&R-style (old-style) function definitions: the parameter declarations
 * come between the ) and the {. Sites, functions and lock classes are the
 * same as for prototyped definitions. */
#include <pthread.h>

struct queue {
  pthread_mutex_t mu;
  int n;
};

int take();

int take(q, how)
  struct queue *q;
  int how;
{
  int rc = pthread_mutex_lock(&q->mu);
  q->n -= how;
  return rc | pthread_mutex_unlock(&q->mu);
}

int give(q) struct queue *q; { return pthread_mutex_trylock(&q->mu); }

int drop(m, n)
  pthread_mutex_t *m;
  int n;
{
  return pthread_mutex_unlock(m) + n;
}
