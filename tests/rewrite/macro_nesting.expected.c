/* lockinstr: instrumented from macro_nesting.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(6)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 23, 3, "macro_nesting.c", "nesting_run", "&a", "a (macro_nesting.c)", "LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 25, 3, "macro_nesting.c", "nesting_run", "&b", "b (macro_nesting.c)", "LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "macro_nesting.c", "", "unattributed use of macro LOCK", "unattributed use of macro LOCK @ macro_nesting.c", "LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 23, 3, "macro_nesting.c", "nesting_run", "&a", "a (macro_nesting.c)", "WITH"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 25, 3, "macro_nesting.c", "nesting_run", "&b", "b (macro_nesting.c)", "WITH"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "macro_nesting.c", "", "unattributed use of macro WITH", "unattributed use of macro WITH @ macro_nesting.c", "WITH"),
};
#line 1 "macro_nesting.c"
/* A lock macro used inside an argument of another of its uses, over two
 * lines: each use that __LINE__ tells apart gets its own site; line 24 is
 * the inner use's and (clang) the outer one's, so it selects the macro's
 * unattributed site, never another line's (rewrite.macro_nesting_run
 * runs it and counts). */
#include <pthread.h>

#define LOCK(m) lockinstr_pthread_mutex_lock(&LI_SITE[__LINE__ == 23 ? 0 : __LINE__ == 25 ? 1 : 2], m)
#define WITH(m, body)                                                          \
  do {                                                                         \
    LOCK(m);                                                                   \
    body;                                                                      \
    lockinstr_pthread_mutex_unlock(&LI_SITE[__LINE__ == 23 ? 3 : __LINE__ == 25 ? 4 : 5], m);                                                   \
  } while (0)

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

int nesting_run(void);

int nesting_run(void) {
  int x = 0;
  WITH(&a,
       WITH(&b, x++));
  WITH(&b, x++);
  return x;
}
#include <lockinstr_pthread.h>
