/* nested.c — a GNU C nested function: gcc compiles it, libclang cannot
 * parse it, so lockinstr cannot rewrite this file. The launcher must warn
 * once and compile it unchanged (or fail under --strict). */
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int f(int x) {
  int add(int y) { return x + y; }
  pthread_mutex_lock(&m);
  x = add(1);
  pthread_mutex_unlock(&m);
  return x;
}
