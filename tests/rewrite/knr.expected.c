/* lockinstr: instrumented from knr.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(4)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 17, 12, "knr.c", "take", "&q->mu", "struct queue.mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 19, 15, "knr.c", "take", "&q->mu", "struct queue.mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_trylock, 0, 22, 39, "knr.c", "give", "&q->mu", "struct queue.mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 28, 10, "knr.c", "drop", "m", "drop:m", ""),
};
#line 1 "knr.c"
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
  int rc = lockinstr_pthread_mutex_lock(&LI_SITE[0], &q->mu);
  q->n -= how;
  return rc | lockinstr_pthread_mutex_unlock(&LI_SITE[1], &q->mu);
}

int give(q) struct queue *q; { return lockinstr_pthread_mutex_trylock(&LI_SITE[2], &q->mu); }

int drop(m, n)
  pthread_mutex_t *m;
  int n;
{
  return lockinstr_pthread_mutex_unlock(&LI_SITE[3], m) + n;
}
#include <lockinstr_pthread.h>
