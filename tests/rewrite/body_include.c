/* A project header included inside a function body: never a prologue
 * there, its copy is the header itself and its calls are noted (issue
 * 20, item 3). The file's own calls are still instrumented. */
#include <pthread.h>

pthread_mutex_t bi_m = PTHREAD_MUTEX_INITIALIZER;

int body_user(void);
int body_user(void) {
#include "body_include.h"
  BODY_LOCK(&bi_m);
  return pthread_mutex_unlock(&bi_m);
}
