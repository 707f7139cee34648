/* A program defining, as its own macros, every bare word of the lock-API
 * table's rows (kinds, modes, success conventions, header groups), some
 * before and some after its includes: the wrappers, defined in the
 * epilogue after all of it, must still compile and count (run.sh
 * bare-words). */
#define ACQUIRE 1
#define TRY 2
#define TIMED 3
#define RELEASE 4
#define CONDWAIT 5
#define CONDTIMEDWAIT 6
#define INIT 7
#define DESTROY 8
#define THREADS 8
#include <pthread.h>
#include <stdio.h>
#include <threads.h>
#define EXCL 9
#define READ 10
#define WRITE 11
#define ANY 12
#define ZERO 13
#define THRD 14
#define NONE 15
#define PTHREAD 16

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static mtx_t cm;
static long counter;

static void *worker(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < 1000; i++) {
    pthread_mutex_lock(&m);
    counter++;
    pthread_mutex_unlock(&m);
    pthread_rwlock_wrlock(&rw);
    pthread_rwlock_unlock(&rw);
    mtx_lock(&cm);
    mtx_unlock(&cm);
  }
  return NULL;
}

int main(void) {
  pthread_t t[4];
  struct timespec ts = {0, 0};
  int i;
  mtx_init(&cm, mtx_plain);
  for (i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  pthread_mutex_lock(&m);
  pthread_cond_timedwait(&cv, &m, &ts);
  pthread_mutex_unlock(&m);
  mtx_destroy(&cm);
  printf("counter %ld, words %d %d %d\n", counter, ACQUIRE + EXCL, ZERO,
         THREADS + PTHREAD);
  return 0;
}
