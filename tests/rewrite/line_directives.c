/* Generated code with its own #line directives: sites and diagnostics
 * report the generator's input, as the compiler does. */
#include <pthread.h>

pthread_mutex_t gen_lock = PTHREAD_MUTEX_INITIALIZER;

#line 100 "grammar.y"
int generated(void) {
  pthread_mutex_lock(&gen_lock);
#line 12 "line_directives.c"
  return pthread_mutex_unlock(&gen_lock);
}
