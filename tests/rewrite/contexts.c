/* Lock calls in every expression context; the rewrite is correct in each
 * and never adds a statement. */
#include <assert.h>
#include <pthread.h>

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

int in_if(void) {
  int rc;
  if ((rc = pthread_mutex_trylock(&a)))
    return rc;
  if (pthread_mutex_unlock(&a) != 0)
    return -1;
  return 0;
}

int in_loops(int n) {
  int i;
  while (pthread_mutex_trylock(&a) != 0)
    ;
  for (i = 0; i < n; i++)
    pthread_mutex_lock(&b), pthread_mutex_unlock(&b);
  for (i = 0; i < n; i++)
    if (pthread_mutex_lock(&b) == 0) pthread_mutex_unlock(&b); else break;
  do
    pthread_mutex_unlock(&a);
  while (0);
  return i;
}

int in_return(int x) {
  return x ? pthread_mutex_lock(&a) : pthread_mutex_lock(&b);
}

int in_expressions(void) {
  int rc = pthread_mutex_lock(&a) + pthread_mutex_unlock(&a);
  rc = (pthread_mutex_lock(&b), pthread_mutex_unlock(&b));
  rc += pthread_mutex_lock(&a) == 0 ? pthread_mutex_unlock(&a) : -1;
  int (*check)(int) = 0;
  (void)check;
  return rc ? rc : (pthread_mutex_lock)(&a);
}

int two_on_a_line(void) { pthread_mutex_lock(&a); return pthread_mutex_unlock(&a); }

int multi_line_call(void) {
  return pthread_mutex_lock(
      &a
  ) | pthread_mutex_unlock /* why */ (&a);
}

void in_a_system_macro_argument(void) {
  int rc = pthread_mutex_lock(&a);
  assert(rc == 0 && pthread_mutex_unlock(&a) == 0);
  (void)rc;
}
