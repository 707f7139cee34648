#line 1 "local_include.h"
/* A local header included with quotes. */
#ifndef LOCAL_INCLUDE_H
#define LOCAL_INCLUDE_H
#include <pthread.h>
struct box {
  pthread_mutex_t mu;
  int v;
};
#endif
