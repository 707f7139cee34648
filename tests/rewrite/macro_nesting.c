/* A lock macro used inside an argument of another of its uses, over two
 * lines: each use that __LINE__ tells apart gets its own site; line 24 is
 * the inner use's and (clang) the outer one's, so it selects the macro's
 * unattributed site, never another line's (rewrite.macro_nesting_run
 * runs it and counts). */
#include <pthread.h>

#define LOCK(m) pthread_mutex_lock(m)
#define WITH(m, body)                                                          \
  do {                                                                         \
    LOCK(m);                                                                   \
    body;                                                                      \
    pthread_mutex_unlock(m);                                                   \
  } while (0)

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

int nesting_run(void);

int nesting_run(void) {
  int x = 0;
  WITH(&a,
       WITH(&b, x++));
  WITH(&b, x++);
  return x;
}
