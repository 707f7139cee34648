/* Lock expressions and the lock class each one gets. */
#include <pthread.h>

struct queue {
  pthread_mutex_t mu;
  pthread_mutex_t locks[4];
  pthread_mutex_t *lockp;
  struct {
    pthread_mutex_t inner_mu;
  } sub;
  struct {
    union {
      pthread_mutex_t anon_mu;
      long pad;
    };
  };
};
typedef struct {
  pthread_mutex_t mu;
} table_t;
struct slot {
  pthread_mutex_t mu;
};

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t file_static = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t locks[8];
static pthread_mutex_t static_locks[8];
struct slot slots[8];
pthread_mutex_t *get_lock(int i);

pthread_mutex_t *get_lock(int i) { return &locks[i & 7]; }

int classes(struct queue *q, struct queue s, table_t *t, pthread_mutex_t *p,
            int i) {
  static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_t *local = p;
  int rc = 0;
  rc |= pthread_mutex_lock(&g);
  rc |= pthread_mutex_lock(&file_static);
  rc |= pthread_mutex_lock(&q->mu);
  rc |= pthread_mutex_lock(&s.mu);
  rc |= pthread_mutex_lock(&(q->mu));
  rc |= pthread_mutex_lock(&locks[i]);
  rc |= pthread_mutex_lock(&static_locks[i]);
  rc |= pthread_mutex_lock(&slots[i].mu);
  rc |= pthread_mutex_lock(&q->locks[i]);
  rc |= pthread_mutex_lock(q->lockp);
  rc |= pthread_mutex_lock(p);
  rc |= pthread_mutex_lock(local);
  rc |= pthread_mutex_lock(get_lock(i));
  rc |= pthread_mutex_lock(p + 1);
  rc |= pthread_mutex_lock((pthread_mutex_t *)(void *)&g);
  rc |= pthread_mutex_lock(&q->sub.inner_mu);
  rc |= pthread_mutex_lock(&q->anon_mu);
  rc |= pthread_mutex_lock(&t->mu);
  rc |= pthread_mutex_lock(&once);
  rc |= pthread_mutex_lock(&*p);
  rc |= pthread_mutex_lock(&q[1].mu);
  rc |= pthread_mutex_lock(i > 2 ? &g : get_lock((int)sizeof "x\"y"));
  return rc;
}
