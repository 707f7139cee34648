/* C89 input (issue #20, item 4): the instrumented copy must still compile
 * with -std=c89 / -ansi -pedantic -Werror, and -std=gnu89, with gcc and
 * clang; run.sh c89 compiles and runs it that way. */
#define _POSIX_C_SOURCE 200112L
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <threads.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_spinlock_t sp;
static mtx_t cm;
static long counter;

static void *worker(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < 1000; i++) {
    pthread_mutex_lock(&m);
    counter++;
    pthread_mutex_unlock(&m);
    pthread_rwlock_rdlock(&rw);
    pthread_rwlock_unlock(&rw);
    pthread_spin_lock(&sp);
    pthread_spin_unlock(&sp);
    if (mtx_lock(&cm) == thrd_success)
      mtx_unlock(&cm);
  }
  return NULL;
}

int main(void) {
  pthread_t t[4];
  struct timespec ts;
  int i, rc;
  ts.tv_sec = 0;
  ts.tv_nsec = 0;
  pthread_spin_init(&sp, PTHREAD_PROCESS_PRIVATE);
  mtx_init(&cm, mtx_plain);
  for (i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  if (pthread_mutex_trylock(&m) == 0)
    pthread_mutex_unlock(&m);
  pthread_mutex_lock(&m);
  rc = pthread_cond_timedwait(&cv, &m, &ts);
  pthread_mutex_unlock(&m);
  mtx_destroy(&cm);
  pthread_spin_destroy(&sp);
  printf("counter %ld, timedwait %s\n", counter,
         rc == ETIMEDOUT ? "timed out" : "returned");
  return 0;
}
