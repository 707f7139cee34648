/* lockinstr: instrumented from lockexprs.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(22)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 39, 9, "lockexprs.c", "classes", "&g", "g", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 40, 9, "lockexprs.c", "classes", "&file_static", "file_static (lockexprs.c)", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 41, 9, "lockexprs.c", "classes", "&q->mu", "struct queue.mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 42, 9, "lockexprs.c", "classes", "&s.mu", "struct queue.mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 43, 9, "lockexprs.c", "classes", "&(q->mu)", "struct queue.mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 44, 9, "lockexprs.c", "classes", "&locks[i]", "locks[]", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 45, 9, "lockexprs.c", "classes", "&static_locks[i]", "static_locks[] (lockexprs.c)", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 46, 9, "lockexprs.c", "classes", "&slots[i].mu", "struct slot.mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 47, 9, "lockexprs.c", "classes", "&q->locks[i]", "struct queue.locks[]", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 48, 9, "lockexprs.c", "classes", "q->lockp", "struct queue.lockp", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 49, 9, "lockexprs.c", "classes", "p", "classes:p", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 50, 9, "lockexprs.c", "classes", "local", "classes:local", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 51, 9, "lockexprs.c", "classes", "get_lock(i)", "get_lock(i) @ lockexprs.c:51", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 52, 9, "lockexprs.c", "classes", "p + 1", "p + 1 @ lockexprs.c:52", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 53, 9, "lockexprs.c", "classes", "(pthread_mutex_t *)(void *)&g", "g", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 54, 9, "lockexprs.c", "classes", "&q->sub.inner_mu", "struct queue.sub.inner_mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 55, 9, "lockexprs.c", "classes", "&q->anon_mu", "struct queue.anon_mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 56, 9, "lockexprs.c", "classes", "&t->mu", "table_t.mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 57, 9, "lockexprs.c", "classes", "&once", "classes::once", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 58, 9, "lockexprs.c", "classes", "&*p", "classes:p", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 59, 9, "lockexprs.c", "classes", "&q[1].mu", "struct queue.mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 60, 9, "lockexprs.c", "classes", "i > 2 ? &g : get_lock((int)sizeof \"x\\\"y\")", "i > 2 ? &g : get_lock((int)sizeof \"x\\\"y\") @ lockexprs.c:60", ""),
};
#line 1 "lockexprs.c"
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
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[0], &g);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[1], &file_static);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[2], &q->mu);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[3], &s.mu);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[4], &(q->mu));
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[5], &locks[i]);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[6], &static_locks[i]);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[7], &slots[i].mu);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[8], &q->locks[i]);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[9], q->lockp);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[10], p);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[11], local);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[12], get_lock(i));
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[13], p + 1);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[14], (pthread_mutex_t *)(void *)&g);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[15], &q->sub.inner_mu);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[16], &q->anon_mu);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[17], &t->mu);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[18], &once);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[19], &*p);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[20], &q[1].mu);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[21], i > 2 ? &g : get_lock((int)sizeof "x\"y"));
  return rc;
}
#include <lockinstr_pthread.h>
