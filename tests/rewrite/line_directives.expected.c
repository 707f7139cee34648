/* lockinstr: instrumented from line_directives.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(2)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 101, 3, "grammar.y", "generated", "&gen_lock", "gen_lock", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 12, 10, "line_directives.c", "generated", "&gen_lock", "gen_lock", ""),
};
#line 1 "line_directives.c"
/* Generated code with its own #line directives: sites and diagnostics
 * report the generator's input, as the compiler does. */
#include <pthread.h>

pthread_mutex_t gen_lock = PTHREAD_MUTEX_INITIALIZER;

#line 100 "grammar.y"
int generated(void) {
  lockinstr_pthread_mutex_lock(&LI_SITE[0], &gen_lock);
#line 12 "line_directives.c"
  return lockinstr_pthread_mutex_unlock(&LI_SITE[1], &gen_lock);
}
#include <lockinstr_pthread.h>
