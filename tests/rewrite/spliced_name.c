/* A callee name cut by line splices (backslash-newline): still the call,
 * rewritten where its name starts (issue 20, item 7). */
#include <pthread.h>

pthread_mutex_t sn = PTHREAD_MUTEX_INITIALIZER;

int spliced(void) {
  int rc = pthread_mutex_\
lock(&sn);
  return rc | pthread_mutex_un\
lo\
ck\
(&sn);
}
