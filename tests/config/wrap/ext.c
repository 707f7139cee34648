/* Compiled as it is, not instrumented: a library's wrappers, whose body
 * lockinstr cannot see (tests/config/wrap). */
#include "wrap.h"

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
void CACHE_LOCK(void) { pthread_mutex_lock(&cache_lock); }
void CACHE_UNLOCK(void) { pthread_mutex_unlock(&cache_lock); }
