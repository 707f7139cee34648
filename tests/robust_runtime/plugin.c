/*
 * plugin.c — an instrumented shared object for the dlopen/dlclose case
 * (issue #7, runtime), in the shape of the rewriter's output (its site
 * table lives in this object's data, its strings in its read-only data:
 * both vanish at dlclose). plugin_src.c is the same plugin as a user
 * writes it, instrumented by the real lockinstr at test time.
 *
 * plugin_work(n): two threads each lock plug_mu n times, with plug_inner
 * locked inside it on every 10th round (a lock-order edge between two of
 * this object's sites), and a hand-annotated "plug_spin" whose API name
 * comes from track_describe (a string in this object too). Returns the
 * total the threads computed.
 */
#define _GNU_SOURCE
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site S[4] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 5, "plugin.c", "plug_loop",
                        "&plug_mu", "plug_mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 12, 7, "plugin.c", "plug_loop",
                        "&plug_inner", "plug_inner", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 13, 7, "plugin.c", "plug_loop",
                        "&plug_inner", "plug_inner", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 15, 5, "plugin.c", "plug_loop",
                        "&plug_mu", "plug_mu", ""),
};
#include <pthread.h>

#include "lockinstr.h"

static pthread_mutex_t plug_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t plug_inner = PTHREAD_MUTEX_INITIALIZER;
static unsigned long total;
static struct lockinstr_site spin_site =
    LOCKINSTR_SITE_CUSTOM("plug_loop", "&plug_spin", "plug_spin");
static struct lockinstr_site spin_release =
    LOCKINSTR_SITE_CUSTOM("plug_loop", "&plug_spin", "plug_spin");
static int plug_spin;

static void *plug_loop(void *arg) {
  long n = (long)arg, i;
  for (i = 0; i < n; i++) {
    lockinstr_pthread_mutex_lock(&S[0], &plug_mu);
    total += 1;
    if (i % 10 == 0) {
      lockinstr_pthread_mutex_lock(&S[1], &plug_inner);
      total += 1000000;
      lockinstr_pthread_mutex_unlock(&S[2], &plug_inner);
    }
    lockinstr_pthread_mutex_unlock(&S[3], &plug_mu);
  }
  track_acquire(&spin_site, &plug_spin, LOCKINSTR_MODE_EXCL, 0, 0);
  track_release(&spin_release, &plug_spin);
  return NULL;
}

__attribute__((visibility("default"))) unsigned long plugin_work(long n) {
  pthread_t th[2];
  int i;
  track_describe(&spin_site, "plug_spin_lock", LOCKINSTR_KIND_ACQUIRE,
                 LOCKINSTR_MODE_EXCL);
  total = 0;
  for (i = 0; i < 2; i++)
    if (pthread_create(&th[i], NULL, plug_loop, (void *)n) != 0)
      return 0;
  for (i = 0; i < 2; i++)
    pthread_join(th[i], NULL);
  return total;
}
#include <lockinstr_pthread.h>
